import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";

// WORKERS=N on PostgreSQL: this process starts N server processes (node:cluster) that share the
// port, the kernel handing each new connection to one of them, and each with its own database
// pool, event delivery thread and provisioning log writer, as separate machines behind a load
// balancer would have (docs/operations.md, "Several processes"). It serves nothing itself:
// - a worker that exits once it has served is replaced;
// - a worker that exits before it listens (a database that does not answer, say) would fail the
//   same way again, so the others are stopped and this process exits with its code;
// - SIGTERM or SIGINT is passed on to every worker, each of which finishes its requests in flight
//   and closes the database as a single server does, and this process exits once they all have.
export function superviseWorkers(count: number, logger: Logger, shutdownTimeoutSeconds: number): void {
  const listening = new Set<number>();
  let stopping: { code: number } | undefined;

  const start = () => {
    const worker = cluster.fork();
    worker.once("listening", () => listening.add(worker.id));
  };
  const running = () => Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined && !worker.isDead());

  const stop = (code: number, signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = { code };
    for (const worker of running()) worker.process.kill(signal);
    // Past the workers' own deadline (main.ts: the shutdown timeout, then the database's close),
    // what is left is stopped outright.
    setTimeout(() => {
      for (const worker of running()) worker.process.kill("SIGKILL");
    }, (shutdownTimeoutSeconds + workerCloseSeconds) * 1000).unref();
  };

  cluster.on("exit", (worker, code, signal) => {
    const started = listening.delete(worker.id);
    if (stopping) {
      if (running().length === 0) {
        logger.info({ workers: count }, "every worker stopped");
        logger.flush(() => process.exit(stopping!.code));
      }
      return;
    }
    if (!started) {
      logger.error({ worker: worker.process.pid, code, signal }, "a worker stopped before it listened: stopping the others");
      stop(code === 0 || code === null ? 1 : code, "SIGTERM");
      return;
    }
    logger.warn({ worker: worker.process.pid, code, signal }, "a worker exited: starting another");
    start();
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      logger.info({ signal, workers: running().length }, `${signal} received: stopping every worker`);
      stop(0, signal);
    });
  }
  logger.info({ workers: count }, `starting ${count} server processes`);
  for (let index = 0; index < count; index += 1) start();
}

// What a worker may take beyond the shutdown timeout to close its database and exit.
const workerCloseSeconds = 10;
