import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

// The webhook receiver of `npm run bench -- --events`: a child process of its own, as the servers
// are, so that neither the load generator nor our server shares its event loop. It answers 200
// to every POST as soon as the body has arrived, and keeps, per event, its arrival time (one
// machine's clock: the runner's, which knows when events were committed) and the time from its
// `occurredAt` to its arrival. It does not check signatures; test/support/receiver.ts does that
// for the tests.
//
// Bundled by the runner and started with plain node; it sends `{ port }` to its parent once it
// listens on 127.0.0.1, and answers `{ stats: "reset" | "count" | "read" | "arrivals" }` with what
// it has kept since the last reset (ReceiverStats).

export interface ReceiverStats {
  // Events received, and how many of them had not been received before (delivery is at least once).
  readonly count: number;
  readonly distinct: number;
  // When the latest of them arrived (Date.now()).
  readonly last?: number;
  // Arrival minus occurredAt, in milliseconds (in answers to "read").
  readonly p50?: number;
  readonly p99?: number;
  readonly max?: number;
  // [sequence, arrival (Date.now())] of each event's first arrival since the last answer to
  // "arrivals" (in answers to "arrivals").
  readonly arrivals?: readonly (readonly [number, number])[];
}

let delays: number[] = [];
let ids = new Set<string>();
let arrivals: [number, number][] = [];
let last: number | undefined;
let unreadable = 0;

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const arrived = Date.now();
    response.writeHead(200, { "Content-Type": "text/plain" }).end();
    try {
      const event = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { id: string; sequence: number; occurredAt: string };
      delays.push(arrived - Date.parse(event.occurredAt));
      if (!ids.has(event.id)) arrivals.push([event.sequence, arrived]);
      ids.add(event.id);
      last = arrived;
    } catch {
      unreadable++;
    }
  });
});

// As a receiver behind a usual proxy does, it keeps idle connections open longer than Node's
// default, so that the pauses between turns do not close the connections delivery keeps open.
server.keepAliveTimeout = 60_000;

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] as number);
}

process.on("message", (message: { stats?: "reset" | "count" | "read" | "arrivals" }) => {
  if (message.stats === "reset") {
    delays = [];
    ids = new Set();
    arrivals = [];
    last = undefined;
  }
  const stats: ReceiverStats = { count: delays.length, distinct: ids.size, ...(last === undefined ? {} : { last }) };
  if (message.stats === "arrivals") {
    process.send?.({ ...stats, arrivals });
    arrivals = [];
    return;
  }
  if (message.stats !== "read") {
    process.send?.(stats);
    return;
  }
  const sorted = [...delays].sort((x, y) => x - y);
  process.send?.({ ...stats, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? Number.NaN });
});

server.listen(0, "127.0.0.1", () => process.send?.({ port: (server.address() as AddressInfo).port }));

const stop = () => {
  if (unreadable > 0) console.error(`receiver: ${unreadable} bodies were not events`);
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on("SIGTERM", stop);
process.on("disconnect", stop);
