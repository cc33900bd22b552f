import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

// SQLite in WAL mode copies the log back into the database file at checkpoints. Left to the
// writing connection, a checkpoint runs inside whichever write crosses the threshold, on the one
// thread that serves requests. Here a worker thread with a connection of its own checkpoints
// every interval (PASSIVE: it never waits for, nor blocks, readers and writers), so requests only
// append to the log. Under steady writes those checkpoints never reach the end of the log, and
// the log starts over only after one that does: the serving connection's autocheckpoint, kept
// high, is that one (and the backstop should the worker fall behind).
//
// That checkpoint syncs the log and, having reached the end, the database file, on the serving
// thread. So after a pass that found new frames the worker also flushes both files to disk
// (fdatasync), and the sync finds little left (docs/benchmarks.md, "The backstop checkpoint's
// syncs").

const intervalMs = 50;

// Written with import(), which both CommonJS and ES module evaluation accept (a process started
// with --input-type=module evaluates its workers' code as a module).
const worker = `
import("node:worker_threads").then(async ({ workerData, parentPort }) => {
  const { default: Database } = await import(workerData.driver);
  const { openSync, fdatasyncSync, closeSync } = await import("node:fs");
  const db = new Database(workerData.path, { timeout: 1000 });
  const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
  // Opened each time: the files SQLite has now, whatever happened to them before.
  const flush = (file) => {
    let fd;
    try {
      fd = openSync(file, "r");
      fdatasyncSync(fd);
    } catch { /* gone meanwhile: nothing to flush */ }
    if (fd !== undefined) closeSync(fd);
  };
  let seen = "";
  const timer = setInterval(() => {
    let state;
    try { state = checkpoint.get(); } catch { return; /* busy: the next interval tries again */ }
    const now = state.log + "/" + state.checkpointed;
    if (now === seen) return;
    seen = now;
    flush(workerData.path + "-wal");
    flush(workerData.path);
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
