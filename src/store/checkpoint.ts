import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

// SQLite in WAL mode copies the log back into the database file at checkpoints. Left to the
// writing connection, a checkpoint runs inside whichever write crosses the threshold, on the one
// thread that serves requests. Here a worker thread with a connection of its own checkpoints
// every interval (PASSIVE: it never waits for, nor blocks, readers and writers), so requests only
// append to the log. The serving connection keeps a high autocheckpoint as a backstop should the
// worker fall behind.

const intervalMs = 250;

// Written with import(), which both CommonJS and ES module evaluation accept (a process started
// with --input-type=module evaluates its workers' code as a module).
const worker = `
import("node:worker_threads").then(async ({ workerData, parentPort }) => {
  const { default: Database } = await import(workerData.driver);
  const db = new Database(workerData.path, { timeout: 1000 });
  const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
  const timer = setInterval(() => {
    try { checkpoint.run(); } catch { /* busy: the next interval tries again */ }
  }, workerData.intervalMs);
  parentPort.on("message", () => { clearInterval(timer); db.close(); parentPort.close(); });
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(path: string): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const thread = new Worker(worker, { eval: true, workerData: { path, driver, intervalMs } });
  thread.unref();
  return {
    stop: async () => {
      // Referenced again, so that the process waits for the worker's exit.
      thread.ref();
      const exited = new Promise((resolve) => thread.once("exit", resolve));
      thread.postMessage("stop");
      await exited;
    },
  };
}
