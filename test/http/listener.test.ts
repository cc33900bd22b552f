import { request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpServer } from "../../src/http/listener.ts";

// The server src/main.ts listens with (src/http/listener.ts): Node creates each request and
// response with Express's prototypes already in place.

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function listen(app: express.Express): Promise<string> {
  server = createHttpServer(app).listen(0, "127.0.0.1");
  await new Promise((resolve) => server!.once("listening", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingMessage["headers"]; body: string }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    })
      .on("error", reject)
      .end();
  });
}

describe("createHttpServer", () => {
  it("creates requests and responses whose prototypes are Express's before Express sees them", async () => {
    const app = express();
    app.get("/", (_req, res) => void res.json({ ok: true }));
    const url = await listen(app);
    const seen: Array<[object | null, object | null]> = [];
    server!.prependListener("request", (req: IncomingMessage, res: ServerResponse) => {
      seen.push([Object.getPrototypeOf(req), Object.getPrototypeOf(res)]);
    });

    await get(url);
    await get(url);

    expect(seen).toEqual([
      [app.request, app.response],
      [app.request, app.response],
    ]);
  });

  it("serves the app: routing, parameters, query, headers and Node's own request and response", async () => {
    const app = express();
    app.get("/users/:id", (req, res) => {
      res.setHeader("X-Seen", String(req.headers["x-test"]));
      res.status(201).json({ id: req.params.id, q: req.query.q, path: req.path, node: req.socket.remoteAddress !== undefined });
    });
    const url = await listen(app);

    const answer = await get(`${url}/users/abc?q=1`, { "X-Test": "yes" });

    expect(answer.status).toBe(201);
    expect(answer.headers["x-seen"]).toBe("yes");
    expect(answer.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(answer.body)).toEqual({ id: "abc", q: "1", path: "/users/abc", node: true });
  });
});
