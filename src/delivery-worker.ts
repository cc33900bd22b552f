import { createPrivateKey } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import { idle, stopping, woken, type DeliveryWorkerData, type LogWrite, type LogWritten } from "./delivery-protocol.ts";
import { Dispatcher } from "./events/delivery.ts";
import { pushFormats } from "./events/formats.ts";
import { signingKeyOf } from "./events/signing-key.ts";
import { createLogger } from "./logger.ts";
import { openConnection } from "./store/connection.ts";
import { loggedRequestsOf } from "./provisioning-log/batch.ts";
import { SqlProvisioningLogStore } from "./store/provisioning-log.ts";
import { SqlSubscriptionStore } from "./store/subscriptions.ts";

// The event delivery thread (delivery-thread.ts starts it): a Dispatcher over a database
// connection of its own, so that building, signing and sending requests and recording their
// outcome take no time from the thread that serves requests. It also writes the provisioning
// log's batches the serving thread hands it, for the same reason.

// How long after one wake the thread listens for the next.
const wakeGapMs = 25;

// Statements the thread runs at once: leasing, reading events, recording a pass.
const poolSize = 2;

async function run(data: DeliveryWorkerData): Promise<void> {
  const logger = createLogger(data.config).child({ thread: "event-delivery" });
  const connection = openConnection(data.config.DATABASE_URL, poolSize);
  const dispatcher = new Dispatcher({
    store: new SqlSubscriptionStore(connection.sql),
    formats: pushFormats({ issuer: data.issuer, key: signingKeyOf(createPrivateKey(data.signingKey)), mode: data.setMode }),
    retentionDays: data.config.EVENTS_RETENTION_DAYS,
    leaseSeconds: data.config.EVENTS_LEASE_SECONDS,
    logger,
    userAgent: data.userAgent,
  });
  dispatcher.start();
  const log = new SqlProvisioningLogStore(connection.sql);
  parentPort?.on("message", (message: LogWrite) => {
    if (message.kind !== "log") return;
    // Decoded inside the promise, so that a batch that cannot be read is answered as a failure.
    Promise.resolve().then(() => log.append(loggedRequestsOf(message.entries))).then(
      () => parentPort?.postMessage({ kind: "logged", id: message.id } satisfies LogWritten),
      (error: unknown) => parentPort?.postMessage({ kind: "logged", id: message.id, error: error instanceof Error ? error.message : String(error) } satisfies LogWritten),
    );
  });
  const signal = new Int32Array(data.signal);
  for (;;) {
    const waited = waitAsync(signal, 0, idle);
    if (waited.async) await waited.value;
    if (Atomics.compareExchange(signal, 0, woken, idle) === stopping) break;
    dispatcher.wake();
    // The dispatcher looks no more often than this anyway (its passGapMs). Until then the flag is
    // left set, so that the serving thread's wakes are an atomic exchange and not a notify each.
    await new Promise((resolve) => setTimeout(resolve, wakeGapMs));
  }
  await dispatcher.stop();
  await connection.close();
}

// ES2024's Atomics.waitAsync, which Node has; the project's TypeScript library is ES2022's.
const waitAsync = (Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number): { readonly async: false; readonly value: string } | { readonly async: true; readonly value: Promise<string> };
}).waitAsync;

const data = workerData as DeliveryWorkerData;
run(data).then(
  () => parentPort?.close(),
  (error: unknown) => {
    // Reaches the serving thread as the worker's error, which logs it and starts another thread.
    throw error;
  },
);
