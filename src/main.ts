import cluster from "node:cluster";
import type { Server as HttpServer } from "node:http";
import type { Logger } from "pino";
import { ConfigError, loadEnvFile, readConfig, StartupError, type Config } from "./config.ts";
import { createHttpServer } from "./http/listener.ts";
import { createLogger } from "./logger.ts";
import { buildServer, type Server } from "./server.ts";
import { databaseLocation } from "./store/database.ts";
import { superviseWorkers } from "./workers.ts";
import packageJson from "../package.json" with { type: "json" };

// Entry point: read the configuration (.env, then the environment), build the server, listen,
// and stop cleanly on SIGTERM or SIGINT. A start that fails prints one line naming the setting
// and the cause, and exits non-zero. With WORKERS above 1 this process starts that many server
// processes instead, which run this same entry point (workers.ts).
async function main(): Promise<void> {
  loadEnvFile();
  const config = readConfig(process.env);
  const logger = createLogger(config);
  if (config.WORKERS > 1 && cluster.isPrimary) {
    superviseWorkers(config.WORKERS, logger, config.SHUTDOWN_TIMEOUT_SECONDS);
    return;
  }
  const server = await buildServer(config, logger);
  if (server.database.migrationsApplied.length > 0) {
    logger.info({ migrations: server.database.migrationsApplied }, "database migrated");
  }
  const listener = createHttpServer(server.app);
  const port = await listen(listener, config);
  server.delivery.start();
  server.provisioningLog.start();
  const address = `http://${config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST}:${port}`;
  // Before the line that tells a supervisor the server is up, so that a signal sent on it is handled.
  stopOnSignals(listener, server, logger, config.SHUTDOWN_TIMEOUT_SECONDS);
  logger.info(
    { version: packageJson.version, database: server.database.kind, location: databaseLocation(config.DATABASE_URL), address, port },
    `scim-server ${packageJson.version} listening on ${address}/scim/v2 (${databaseLocation(config.DATABASE_URL)})`,
  );
}

// Resolves with the port listened on; a port in use or an address the machine lacks is a
// StartupError naming PORT or HOST.
function listen(listener: HttpServer, config: Config): Promise<number> {
  return new Promise((resolve, reject) => {
    listener.once("error", (error: NodeJS.ErrnoException) => reject(listenFailure(error, config)));
    listener.listen(config.PORT, config.HOST, () => {
      const address = listener.address();
      resolve(typeof address === "object" && address ? address.port : config.PORT);
    });
  });
}

function listenFailure(error: NodeJS.ErrnoException, config: Config): Error {
  switch (error.code) {
    case "EADDRINUSE":
      return new StartupError("PORT", `${config.PORT} is already in use on ${config.HOST}`);
    case "EACCES":
      return new StartupError("PORT", `${config.PORT} needs privileges this process lacks (use a port above 1023)`);
    case "EADDRNOTAVAIL":
      return new StartupError("HOST", `${config.HOST} is not an address of this machine`);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new StartupError("HOST", `${config.HOST} does not resolve to an address`);
    default:
      return new StartupError("HOST", `cannot listen on ${config.HOST}:${config.PORT}: ${error.message}`);
  }
}

// SIGTERM or SIGINT: stop accepting connections, let the requests in flight finish (for at most
// SHUTDOWN_TIMEOUT_SECONDS), close the database, exit 0. A second SIGINT exits at once. Under
// `npm start` a Ctrl-C reaches the server twice, from the terminal and forwarded by npm, a few
// milliseconds apart: a SIGINT that close to the first is the same one.
function stopOnSignals(listener: HttpServer, server: Server, logger: Logger, timeoutSeconds: number): void {
  let stoppedAt: number | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (stoppedAt !== undefined) {
      if (signal === "SIGINT" && performance.now() - stoppedAt > sameSignalMs) {
        logger.warn({ signal }, "second SIGINT: exiting now");
        process.exit(130);
      }
      return;
    }
    stoppedAt = performance.now();
    // Both timers are left referenced: while shutdown waits on them the process cannot end
    // before the database is closed and the last line is written.
    const deadline = setTimeout(() => {
      logger.warn({ timeoutSeconds }, "requests still in flight at the shutdown timeout: closing their connections");
      listener.closeAllConnections();
    }, timeoutSeconds * 1000);
    listener.close(() => {
      clearTimeout(deadline);
      let closing: NodeJS.Timeout | undefined;
      const bounded = new Promise<void>((resolve) => {
        closing = setTimeout(() => {
          logger.warn({ seconds: databaseCloseSeconds }, "the database did not close in time");
          resolve();
        }, databaseCloseSeconds * 1000);
      });
      void Promise.race([server.close(), bounded])
        .catch((error: unknown) => logger.error({ err: error }, "closing the database failed"))
        .finally(() => {
          clearTimeout(closing);
          logger.info("stopped");
          logger.flush(() => process.exit(0));
        });
    });
    // Keep-alive connections with no request in flight are closed now; the others once their
    // response is sent (Node answers them with Connection: close).
    listener.closeIdleConnections();
    logger.info({ signal, timeoutSeconds }, `${signal} received: no new connections; finishing requests in flight, then stopping`);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

const sameSignalMs = 500;

// How long closing the database may take once the last request has finished.
const databaseCloseSeconds = 5;

main().catch((error: unknown) => {
  const line =
    error instanceof ConfigError || error instanceof StartupError
      ? error.message
      : `unexpected error: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`;
  console.error(`scim-server cannot start: ${line}`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
