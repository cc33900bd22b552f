import { createServer, IncomingMessage, ServerResponse, type Server } from "node:http";
import type { Socket } from "node:net";
import type { Express } from "express";

// The HTTP server an Express app listens with. Express gives every request and response its own
// prototypes (app.request, app.response) as it starts handling them, with Object.setPrototypeOf.
// On the IncomingMessage and ServerResponse that Node creates, that swap gives each object a new
// hidden class, so property reads in Node's HTTP code, Express, the router and the handlers miss
// V8's inline caches on every request (docs/benchmarks.md, "Express's prototype swap"). Here Node
// creates them with Express's prototypes already in place, and the swap changes nothing. Node's
// IncomingMessage and ServerResponse are constructor functions, called here on the
// object `new` made (Reflect.construct, which would also accept classes, keeps the misses).
export function createHttpServer(app: Express): Server {
  if (!callable(IncomingMessage) || !callable(ServerResponse)) return createServer(app);
  function Request(this: IncomingMessage, socket: Socket): void {
    (IncomingMessage as unknown as (this: IncomingMessage, socket: Socket) => void).call(this, socket);
  }
  Request.prototype = app.request;
  function Response(this: ServerResponse, req: IncomingMessage, options?: unknown): void {
    (ServerResponse as unknown as (this: ServerResponse, req: IncomingMessage, options?: unknown) => void).call(this, req, options);
  }
  Response.prototype = app.response;
  return createServer(
    { IncomingMessage: Request as unknown as typeof IncomingMessage, ServerResponse: Response as unknown as typeof ServerResponse },
    app,
  );
}

// A class constructor cannot be called without `new`.
function callable(constructor: unknown): boolean {
  return typeof constructor === "function" && !Function.prototype.toString.call(constructor).startsWith("class");
}
