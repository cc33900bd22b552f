import pino from "pino";
import { ConfigError, readConfig } from "./config.ts";
import { createHttpServer } from "./http/listener.ts";
import { buildServer } from "./server.ts";

// Entry point: read the configuration, build the server, listen.
async function main(): Promise<void> {
  let config;
  try {
    config = readConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = pino({ level: config.LOG_LEVEL });
  const server = await buildServer(config, logger);
  if (server.database.migrationsApplied.length > 0) {
    logger.info({ migrations: server.database.migrationsApplied }, "database migrated");
  }
  const listener = createHttpServer(server.app).listen(config.PORT, config.HOST, () => {
    const address = listener.address();
    const port = typeof address === "object" && address ? address.port : config.PORT;
    logger.info({ port, database: server.database.kind }, `SCIM server listening on http://localhost:${port}/scim/v2`);
  });
  const stop = () => {
    listener.close(() => void server.close().then(() => process.exit(0)));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
