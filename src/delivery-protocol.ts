import type { Config } from "./config.ts";
import type { SetMode } from "./events/set.ts";

// What the serving thread (delivery-thread.ts) gives the event delivery thread
// (delivery-worker.ts) when it starts it.

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
