import { Agent, request as httpRequest } from "node:http";
import type { Target } from "./measure.ts";

// The full import (issue #20): every user of the tenant read in pages of 100, as an IdP's import
// reads them, first by startIndex (Okta, Entra) then by cursor (RFC 9865), one request at a time
// on a kept-alive connection; and, for scale, the baseline reading and serialising every row once
// in one streamed answer (baseline.ts, /bench/all-users). Each page's latency is kept, so that a
// cost that grows with the position shows as the last pages' latency over the first pages'.
//
// Pages are not parsed as a whole: the walk reads the number of resources and the next cursor out
// of the text, so that the client's JSON parsing, which the baseline's single answer would not
// pay, does not count against the server.

export interface Walk {
  readonly users: number;
  readonly pages: number;
  readonly seconds: number;
  // Median latency of the first and of the last `edge` full pages.
  readonly firstMs: number;
  readonly lastMs: number;
}

export const importPageSize = 100;
// Pages at each end of a walk, of which the median is taken: one page's latency is a few
// milliseconds, and a garbage collection, a checkpoint or the provisioning log's write landing
// on a few of them would otherwise decide the ratio.
const edge = 50;
export const importEdgePages = edge;

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function get(target: Target, path: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${target.url}${path}`, { agent, timeout: 600_000, headers: { authorization: `Bearer ${target.token}` } });
    request.on("timeout", () => request.destroy(new Error(`GET ${path}: no answer within 600 s`)));
    request.on("error", reject);
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
    });
    request.end();
  });
}

// Walks every user, one page after another; `next` names the page after `page` pages have been
// read, given the last answer, or undefined at the end.
async function walk(target: Target, first: string, next: (text: string, pages: number) => string | undefined, onPage: (users: number) => void): Promise<Walk> {
  const latencies: number[] = [];
  let users = 0;
  const started = performance.now();
  for (let path: string | undefined = first; path !== undefined; ) {
    const sent = performance.now();
    const { status, text } = await get(target, path);
    latencies.push(performance.now() - sent);
    if (status !== 200) throw new Error(`full import: GET ${path} answered ${status}: ${text.slice(0, 300)}`);
    const items = /"itemsPerPage":(\d+)/.exec(text);
    if (!items) throw new Error(`full import: GET ${path} has no itemsPerPage`);
    users += Number(items[1]);
    onPage(users);
    path = Number(items[1]) < importPageSize ? undefined : next(text, latencies.length);
  }
  const seconds = (performance.now() - started) / 1000;
  // The last page is short, and often empty: the edges are taken among full pages.
  const full = latencies.slice(0, Math.max(1, latencies.length - 1));
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  return { users, pages: latencies.length, seconds, firstMs: median(full.slice(0, edge)), lastMs: median(full.slice(-edge)) };
}

export function walkByStartIndex(target: Target, onPage: (users: number) => void): Promise<Walk> {
  const path = (startIndex: number) => `/scim/v2/Users?startIndex=${startIndex}&count=${importPageSize}`;
  return walk(target, path(1), (_text, pages) => path(1 + pages * importPageSize), onPage);
}

export function walkByCursor(target: Target, onPage: (users: number) => void): Promise<Walk> {
  const path = (cursor: string) => `/scim/v2/Users?cursor=${encodeURIComponent(cursor)}&count=${importPageSize}`;
  return walk(target, path(""), (text) => {
    const cursor = /"nextCursor":"([^"]+)"/.exec(text)?.[1];
    return cursor === undefined ? undefined : path(cursor);
  }, onPage);
}

// The baseline's single answer with every user, counted as it streams in (at a million users it
// is larger than the longest string JavaScript holds).
export function readAll(target: Target): Promise<{ users: number; bytes: number; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${target.url}/bench/all-users`, { agent, timeout: 600_000, headers: { authorization: `Bearer ${target.token}` } });
    request.on("timeout", () => request.destroy(new Error("the baseline's read of every user: no answer within 600 s")));
    request.on("error", reject);
    request.on("response", (response) => {
      if (response.statusCode !== 200) return reject(new Error(`the baseline's read of every user answered ${response.statusCode}`));
      let head = "";
      let bytes = 0;
      response.on("data", (chunk: Buffer) => {
        if (head.length < 200) head += chunk.toString("utf8", 0, Math.min(chunk.length, 200));
        bytes += chunk.length;
      });
      response.on("error", reject);
      response.on("end", () =>
        resolve({ users: Number(/"totalResults":(\d+)/.exec(head)?.[1] ?? Number.NaN), bytes, seconds: (performance.now() - started) / 1000 }),
      );
    });
    request.end();
  });
}
