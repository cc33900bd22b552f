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

// Resolves with the receiver's answer; rejects when there is none (refused, reset, or `signal`
// aborted: the request timed out or delivery is stopping).
export type Sender = (request: PushRequest, signal: AbortSignal) => Promise<PushResponse>;

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
  const send: Sender = (request, signal) =>
    new Promise((resolve, reject) => {
      const url = new URL(request.url);
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
