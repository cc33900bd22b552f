import pino, { type Logger } from "pino";
import pretty from "pino-pretty";
import type { Config } from "./config.ts";

// The server's log: one JSON object per line with an ISO 8601 time (LOG_FORMAT=json, the
// default, for log collectors), or pino-pretty's readable lines (LOG_FORMAT=pretty, for people).
// Lines are written to stdout synchronously: with pino's asynchronous default, a write still in
// flight when the process exits was lost (the "stopped" line at shutdown, on a pipe), and so would
// be the last lines before a crash.
export function createLogger(config: Pick<Config, "LOG_LEVEL" | "LOG_FORMAT">, destination?: NodeJS.WritableStream): Logger {
  const options = { level: config.LOG_LEVEL, timestamp: pino.stdTimeFunctions.isoTime };
  if (config.LOG_FORMAT === "pretty") {
    return pino(options, pretty({ translateTime: "SYS:yyyy-mm-dd HH:MM:ss.l o", ignore: "pid,hostname", destination: destination ?? 1, sync: true }));
  }
  return pino(options, destination ?? pino.destination({ dest: 1, sync: true }));
}
