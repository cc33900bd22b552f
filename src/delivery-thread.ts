import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import { idle, stopping, woken, type DeliveryWorkerData, type LogWrite, type LogWritten } from "./delivery-protocol.ts";
import type { EncodedEntries } from "./provisioning-log/batch.ts";

// Event delivery on a thread of its own (delivery-worker.ts). Delivering an event costs about as
// much CPU as the write that produced it (a request built, signed and sent, its answer read, its
// outcome recorded): on the serving thread that would slow every write by as much while a
// subscription is active. On its own thread it runs on another core, over its own connection.
//
// The serving thread wakes it after each write through one shared Int32 (an atomic exchange, and
// a notify only when the thread was not already woken), not a message per write.

// What the server holds: this thread, or a Dispatcher in the serving thread (an in-memory SQLite
// database, which a second connection cannot open).
export interface Delivery {
  start(): void;
  wake(): void;
  stop(): Promise<void>;
  // Writes provisioning log entries on the thread, resolving once they are stored; undefined
  // when no thread runs (before start, once stopped, on the serving thread's own Dispatcher),
  // and the caller writes them itself.
  writeLog?(entries: EncodedEntries): Promise<void> | undefined;
}

type WorkerSettings = Omit<DeliveryWorkerData, "signal">;

// How long a thread that ended unexpectedly is waited for before another is started.
const restartMs = 1000;
// How long stopping waits for the thread (its Dispatcher's own grace, and closing its connection).
const stopMs = 10_000;

export class DeliveryThread implements Delivery {
  readonly #settings: WorkerSettings;
  readonly #logger: Logger;
  readonly #signal = new Int32Array(new SharedArrayBuffer(4));
  #worker: Worker | undefined;
  #exited: Promise<void> | undefined;
  #restart: NodeJS.Timeout | undefined;
  #started = false;
  #stopped = false;
  #logWrites = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  #nextLogWrite = 0;

  constructor(settings: WorkerSettings, logger: Logger) {
    this.#settings = settings;
    this.#logger = logger;
  }

  // The running thread's id (worker_threads), none before start() or once stopped.
  get threadId(): number | undefined {
    return this.#worker?.threadId;
  }

  start(): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    this.#spawn();
  }

  wake(): void {
    if (Atomics.compareExchange(this.#signal, 0, idle, woken) === idle) Atomics.notify(this.#signal, 0);
  }

  writeLog(entries: EncodedEntries): Promise<void> | undefined {
    const worker = this.#worker;
    if (worker === undefined || this.#stopped) return undefined;
    const id = (this.#nextLogWrite += 1);
    return new Promise<void>((resolve, reject) => {
      this.#logWrites.set(id, { resolve, reject });
      worker.postMessage({ kind: "log", id, entries } satisfies LogWrite, [entries.bytes]);
    });
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#restart);
    const worker = this.#worker;
    if (worker === undefined) return;
    Atomics.store(this.#signal, 0, stopping);
    Atomics.notify(this.#signal, 0);
    const late = setTimeout(() => {
      this.#logger.warn({ seconds: stopMs / 1000 }, "event delivery: the delivery thread did not stop in time");
      void worker.terminate();
    }, stopMs);
    await this.#exited;
    clearTimeout(late);
  }

  #spawn(): void {
    Atomics.store(this.#signal, 0, woken);
    const data: DeliveryWorkerData = { ...this.#settings, signal: this.#signal.buffer as SharedArrayBuffer };
    const worker = startWorker(data);
    this.#worker = worker;
    worker.on("error", (error) => this.#logger.error({ err: error }, "event delivery: the delivery thread failed"));
    worker.on("message", (message: LogWritten) => {
      if (message.kind !== "logged") return;
      const waiting = this.#logWrites.get(message.id);
      this.#logWrites.delete(message.id);
      if (message.error === undefined) waiting?.resolve();
      else waiting?.reject(new Error(message.error));
    });
    this.#exited = new Promise((resolve) =>
      worker.once("exit", (code) => {
        this.#worker = undefined;
        for (const waiting of this.#logWrites.values()) waiting.reject(new Error("the delivery thread ended before writing these entries"));
        this.#logWrites.clear();
        resolve();
        if (this.#stopped) return;
        this.#logger.error({ code }, `event delivery: the delivery thread ended; another starts in ${restartMs / 1000} s`);
        this.#restart = setTimeout(() => this.#spawn(), restartMs);
      }),
    );
  }
}

// Bundled (npm run build), the worker is the bundle beside this one's (dist/delivery-worker.js
// beside dist/main.js). From the TypeScript sources (npm run dev, tests) it is the .ts file,
// loaded through tsx, which a worker does not inherit from its parent.
function startWorker(data: DeliveryWorkerData): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./delivery-worker.js", import.meta.url), { workerData: data });
  const tsx = import.meta.resolve("tsx/esm/api");
  const file = new URL("./delivery-worker.ts", import.meta.url).href;
  const code = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(file)}); });`;
  return new Worker(code, { eval: true, workerData: data });
}
