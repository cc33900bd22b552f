import pino, { type Logger } from "pino";
import pretty from "pino-pretty";
import type { Config } from "./config.ts";

// The server's log: one JSON object per line with an ISO 8601 time (LOG_FORMAT=json, the
// default, for log collectors), or pino-pretty's readable lines (LOG_FORMAT=pretty, for people).
export function createLogger(config: Pick<Config, "LOG_LEVEL" | "LOG_FORMAT">, destination?: NodeJS.WritableStream): Logger {
  const options = { level: config.LOG_LEVEL, timestamp: pino.stdTimeFunctions.isoTime };
  if (config.LOG_FORMAT === "pretty") {
    return pino(options, pretty({ translateTime: "SYS:yyyy-mm-dd HH:MM:ss.l o", ignore: "pid,hostname", destination: destination ?? 1, sync: destination !== undefined }));
  }
  return destination === undefined ? pino(options) : pino(options, destination);
}
