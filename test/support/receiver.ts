import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

// A webhook receiver as a subscriber would write one, on 127.0.0.1: it checks X-Scim-Signature
// with its own reading of the scheme in docs/event-delivery.md (not the server's code), answers
// 401 to a bad signature, and keeps what it accepted. Each subscription posts to a path of its
// own, whose secret the test registers.

export interface Received {
  readonly path: string;
  readonly eventId: string;
  readonly event: { readonly id: string; readonly type: string; readonly sequence: number; readonly tenant: string; readonly resource: { readonly id: string } } & Record<string, unknown>;
  readonly headers: IncomingMessage["headers"];
  // performance.now() when it arrived.
  readonly at: number;
}

export interface Receiver {
  readonly port: number;
  url(path: string): string;
  // The secret the requests to `path` are signed with.
  expect(path: string, secret: string): void;
  readonly received: Received[];
  // Requests refused for their signature.
  readonly refused: { readonly path: string; readonly reason: string }[];
  // The status to answer requests that pass the check with (200 unless set).
  answer(status: number | ((event: Received["event"], path: string) => number)): void;
  // Resolves once `count` events were accepted in all (or for `path`).
  waitFor(count: number, options?: { readonly path?: string; readonly timeoutMs?: number }): Promise<void>;
  close(): Promise<void>;
}

// `maxAgeSeconds`: requests signed longer ago (or further ahead) than this are refused too.
export async function startReceiver(options: { readonly port?: number; readonly maxAgeSeconds?: number } = {}): Promise<Receiver> {
  const secrets = new Map<string, string>();
  const received: Received[] = [];
  const refused: { path: string; reason: string }[] = [];
  let status: number | ((event: Received["event"], path: string) => number) = 200;
  const waiters = new Set<() => void>();

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const path = request.url ?? "/";
      const problem = signatureProblem(secrets.get(path), request.headers["x-scim-signature"], body, options.maxAgeSeconds);
      if (problem !== undefined) {
        refused.push({ path, reason: problem });
        response.writeHead(401).end();
        return;
      }
      const event = JSON.parse(body) as Received["event"];
      const answer = typeof status === "function" ? status(event, path) : status;
      if (answer >= 200 && answer < 300) {
        received.push({ path, eventId: String(request.headers["x-scim-event-id"]), event, headers: request.headers, at: performance.now() });
        for (const waiter of waiters) waiter();
      }
      response.writeHead(answer, { "Content-Type": "text/plain" }).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    expect: (path, secret) => void secrets.set(path, secret),
    received,
    refused,
    answer: (next) => void (status = next),
    waitFor(count, { path, timeoutMs = 20_000 } = {}) {
      const enough = () => (path === undefined ? received.length : received.filter((entry) => entry.path === path).length) >= count;
      if (enough()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!enough()) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${received.length} events received${path ? ` (${received.filter((entry) => entry.path === path).length} at ${path})` : ""}, waited for ${count}`));
        }, timeoutMs);
        waiters.add(check);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// X-Scim-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 keyed with the secret, of "<t>.<body>">.
function signatureProblem(secret: string | undefined, header: string | string[] | undefined, body: string, maxAgeSeconds: number | undefined): string | undefined {
  if (secret === undefined) return "no secret for this path";
  if (typeof header !== "string") return "no signature";
  const parts = new Map(header.split(",").map((part) => [part.slice(0, part.indexOf("=")), part.slice(part.indexOf("=") + 1)] as const));
  const t = parts.get("t");
  const v1 = parts.get("v1");
  if (t === undefined || !/^\d+$/.test(t) || v1 === undefined || !/^[0-9a-f]{64}$/.test(v1)) return "malformed signature";
  if (maxAgeSeconds !== undefined && Math.abs(Date.now() / 1000 - Number(t)) > maxAgeSeconds) return "signed too long ago";
  const expected = createHmac("sha256", Buffer.from(secret, "utf8")).update(Buffer.from(`${t}.${body}`, "utf8")).digest();
  return timingSafeEqual(expected, Buffer.from(v1, "hex")) ? undefined : "signature does not match";
}
