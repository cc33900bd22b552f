import { Agent, errors } from "undici";
import type { PushRequest } from "./push-format.ts";

// Puts a push request on the wire: a POST over connections kept open per receiver, so that a
// backlog is not a TCP (and TLS) handshake per event. The client is undici's: sending an event
// with it costs less than half the CPU of node:http's client (docs/benchmarks.md, "Change
// events"), and delivery's cost per event is mostly this.

export interface PushResponse {
  readonly status: number;
  // The start of the response body, which is all a format reads; empty for a 2xx, which every
  // format takes as delivered.
  readonly body: string;
}

// Resolves with the receiver's answer; rejects when there is none: refused, reset, none within
// `timeoutMs`, or `signal` aborted (delivery is stopping).
export type Sender = (request: PushRequest, options: SendOptions) => Promise<PushResponse>;

export interface SendOptions {
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

export interface HttpSender {
  readonly send: Sender;
  // Closes the connections kept open.
  close(): void;
}

const bodyKept = 65_536;

export function httpSender(options: { readonly userAgent: string; readonly socketsPerReceiver: number }): HttpSender {
  // Redirects are not followed (an answer other than 2xx is a failure), and a connection idle for
  // as long as a receiver behind a usual proxy keeps it is kept.
  const agent = new Agent({ connections: options.socketsPerReceiver, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
  const send: Sender = async (request, { timeoutMs, signal }) => {
    try {
      const response = await agent.request({
        origin: originOf(request.url),
        path: pathOf(request.url),
        method: "POST",
        headers: { ...request.headers, "user-agent": options.userAgent },
        body: request.body,
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      // Every format takes any 2xx as delivered whatever its body, so that body is dropped unread.
      if (response.statusCode >= 200 && response.statusCode < 300) {
        await response.body.dump();
        return { status: response.statusCode, body: "" };
      }
      return { status: response.statusCode, body: await startOf(response.body) };
    } catch (error) {
      if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) {
        throw new Error(`no answer within ${timeoutMs / 1000} s`);
      }
      throw error;
    }
  };
  return { send, close: () => void agent.destroy() };
}

// The first bodyKept bytes; the rest is read and dropped, so that the connection can be reused.
async function startOf(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let kept = 0;
  for await (const chunk of body) {
    if (kept >= bodyKept) continue;
    chunks.push(chunk);
    kept += chunk.length;
  }
  return Buffer.concat(chunks).subarray(0, bodyKept).toString("utf8");
}

// A subscription's URL, split once: each is sent thousands of requests.
const split = new Map<string, { readonly origin: string; readonly path: string }>();

function parts(url: string): { readonly origin: string; readonly path: string } {
  let found = split.get(url);
  if (found === undefined) {
    const parsed = new URL(url);
    found = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    if (split.size >= 10_000) split.clear();
    split.set(url, found);
  }
  return found;
}

const originOf = (url: string) => parts(url).origin;
const pathOf = (url: string) => parts(url).path;
