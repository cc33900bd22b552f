import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpServer } from "../../src/http/listener.ts";
import { userUrn } from "../../src/scim/schema/urns.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { expectScimError } from "../support/responses.ts";

// How a SCIM request body is read (src/http/json-body.ts): UTF-8 bodies directly, compressed
// bodies and other charsets through body-parser, with one limit and the same errors for both.

const limit = 2048;
let app: TestApp;
let token: string;

beforeAll(async () => {
  app = await startTestApp({ MAX_BODY_BYTES: String(limit) });
  token = await app.token();
});
afterAll(() => app.close());

const user = (userName: string, padding = "") => ({ schemas: [userUrn], userName, ...(padding ? { nickName: padding } : {}) });

function post(body: string, headers: Record<string, string> = {}) {
  return app
    .http()
    .post("/scim/v2/Users")
    .set("Authorization", `Bearer ${token}`)
    .set("Content-Type", "application/scim+json")
    .set(headers)
    .send(body);
}

// A request sent over a socket of its own, its body as the bytes given: in chunks without a
// Content-Length (as a client streaming it does), unless the headers give one.
async function postRaw(chunks: readonly (string | Buffer)[], headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const server = createHttpServer(app.server.app).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/scim/v2/Users",
          headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/scim+json", ...headers },
        },
        (res) => {
          let text = "";
          res.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
        },
      );
      req.on("error", reject);
      for (const chunk of chunks) req.write(chunk);
      req.end();
    });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe("SCIM request bodies", () => {
  it("reads a UTF-8 body, with its charset named or not, and keeps non-ASCII text", async () => {
    const created = await post(JSON.stringify(user("zoë@example.com"))).expect(201);
    expect(created.body.userName).toBe("zoë@example.com");
    await post(JSON.stringify(user("named@example.com")), { "Content-Type": 'application/scim+json; charset="UTF-8"' }).expect(201);
  });

  it("drops a byte order mark, as body-parser does", async () => {
    const created = await postRaw([Buffer.from(`\ufeff${JSON.stringify(user("bom@example.com"))}`, "utf8")]);
    expect(created.status).toBe(201);
    expect(created.body.userName).toBe("bom@example.com");
  });

  it("reads a gzip-compressed body through body-parser", async () => {
    const created = await postRaw([gzipSync(JSON.stringify(user("gzip@example.com")))], { "Content-Encoding": "gzip" });
    expect(created.status).toBe(201);
    expect(created.body.userName).toBe("gzip@example.com");
  });

  it("answers 415 for a charset other than UTF-8", async () => {
    const response = await postRaw([Buffer.from(JSON.stringify(user("latin@example.com")), "latin1")], { "Content-Type": "application/scim+json; charset=iso-8859-1" });
    expect(response.status).toBe(415);
    expect(response.body.status).toBe("415");
  });

  it("answers 400 invalidSyntax for a body that is not JSON", async () => {
    const response = await post('{"userName": ');
    expectScimError(response, 400, "invalidSyntax");
    expect(response.body.detail).toBe("The request body is not valid JSON");
  });

  it("answers 413 for a declared length over the limit, and accepts one at the limit", async () => {
    expectScimError(await post(JSON.stringify(user("big@example.com", "x".repeat(limit)))), 413);
    const fits = JSON.stringify(user("fits@example.com", ""));
    const padded = JSON.stringify(user("fits@example.com", "x".repeat(limit - fits.length - `,"nickName":""`.length)));
    expect(Buffer.byteLength(padded)).toBe(limit);
    await post(padded).expect(201);
  });

  it("answers 413 for a chunked body that grows past the limit, and reads one within it", async () => {
    const over = JSON.stringify(user("chunked-big@example.com", "x".repeat(limit)));
    const tooLarge = await postRaw([over.slice(0, 1000), over.slice(1000)]);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.status).toBe("413");
    const fits = JSON.stringify(user("chunked@example.com"));
    const created = await postRaw([fits.slice(0, 10), fits.slice(10)]);
    expect(created.status).toBe(201);
    expect(created.body.userName).toBe("chunked@example.com");
  });
});
