import http from "node:http";
import https from "node:https";
import type { PushRequest } from "./push-format.ts";

// Puts a push request on the wire: a POST over connections kept open per receiver, so that a
// backlog is not a TCP (and TLS) handshake per event.

export interface PushResponse {
  readonly status: number;
  // The start of the response body, which is all a format reads.
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
  const agents = {
    "http:": new http.Agent({ keepAlive: true, maxSockets: options.socketsPerReceiver }),
    "https:": new https.Agent({ keepAlive: true, maxSockets: options.socketsPerReceiver }),
  };
  const urls = new Map<string, URL>();
  const send: Sender = (request, { timeoutMs, signal }) =>
    new Promise<PushResponse>((resolve, reject) => {
      let url = urls.get(request.url);
      if (url === undefined) {
        url = new URL(request.url);
        if (urls.size >= 10_000) urls.clear();
        urls.set(request.url, url);
      }
      const secure = url.protocol === "https:";
      const body = Buffer.from(request.body);
      const outgoing = (secure ? https : http).request(
        url,
        {
          method: "POST",
          agent: secure ? agents["https:"] : agents["http:"],
          headers: { ...request.headers, "User-Agent": options.userAgent, "Content-Length": body.length },
          signal,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let kept = 0;
          response.on("data", (chunk: Buffer) => {
            if (kept < bodyKept) {
              chunks.push(chunk);
              kept += chunk.length;
            }
          });
          response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).subarray(0, bodyKept).toString("utf8") }));
          response.on("error", reject);
          response.on("close", () => {
            if (!response.complete) reject(new Error("the connection closed before the response ended"));
          });
        },
      );
      const timer = setTimeout(() => outgoing.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      outgoing.on("close", () => clearTimeout(timer));
      outgoing.on("error", reject);
      outgoing.end(body);
    });
  return {
    send,
    close: () => {
      agents["http:"].destroy();
      agents["https:"].destroy();
    },
  };
}
