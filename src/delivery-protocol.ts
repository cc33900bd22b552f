import type { Config } from "./config.ts";
import type { SetMode } from "./events/set.ts";
import type { EncodedEntries } from "./provisioning-log/batch.ts";

// What the serving thread (delivery-thread.ts) gives the event delivery thread
// (delivery-worker.ts) when it starts it, and the messages between them.

export interface DeliveryWorkerData {
  readonly config: Pick<Config, "DATABASE_URL" | "LOG_LEVEL" | "LOG_FORMAT" | "EVENTS_RETENTION_DAYS" | "EVENTS_LEASE_SECONDS">;
  readonly userAgent: string;
  // The SET issuer (events/set.ts) with its key as PKCS #8 PEM.
  readonly issuer: string;
  readonly signingKey: string;
  readonly setMode: SetMode;
  // One Int32 the serving thread sets when a commit may have appended events (woken) or when
  // delivery is to stop (stopping), and notifies.
  readonly signal: SharedArrayBuffer;
}

export const idle = 0;
export const woken = 1;
export const stopping = 2;

// The provisioning log's entries, written by the thread over its own connection, so that their
// inserts take no time from the serving thread; answered with the same id once written. The
// entries' buffer is transferred, not copied.
export interface LogWrite {
  readonly kind: "log";
  readonly id: number;
  readonly entries: EncodedEntries;
}

export interface LogWritten {
  readonly kind: "logged";
  readonly id: number;
  readonly error?: string;
}
