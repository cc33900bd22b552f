import type { IncomingMessage, ServerResponse } from "node:http";
import express from "express";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createHttpServer } from "../../src/http/listener.ts";

// The server src/main.ts listens with (src/http/listener.ts): Node creates each request and
// response with Express's prototypes already in place.

describe("createHttpServer", () => {
  it("creates requests and responses whose prototypes are Express's before Express sees them", async () => {
    const app = express();
    app.get("/", (_req, res) => void res.json({ ok: true }));
    const server = createHttpServer(app);
    const seen: Array<[object | null, object | null]> = [];
    server.prependListener("request", (req: IncomingMessage, res: ServerResponse) => {
      seen.push([Object.getPrototypeOf(req), Object.getPrototypeOf(res)]);
    });

    await request(server).get("/").expect(200);
    await request(server).get("/").expect(200);

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

    const answer = await request(createHttpServer(app)).get("/users/abc?q=1").set("X-Test", "yes");

    expect(answer.status).toBe(201);
    expect(answer.headers["x-seen"]).toBe("yes");
    expect(answer.headers["content-type"]).toMatch(/^application\/json/);
    expect(answer.body).toEqual({ id: "abc", q: "1", path: "/users/abc", node: true });
  });
});
