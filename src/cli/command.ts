import { parseArgs, type ParseArgsConfig } from "node:util";
import pino from "pino";
import { ConfigError, loadEnvFile, readConfig, StartupError } from "../config.ts";
import { durationSecondsOf } from "../duration.ts";
import { buildServer, type Server } from "../server.ts";

// What the command-line tools share: .env and the environment read as the server reads them,
// arguments checked strictly, and every failure as one line on stderr: exit 2 for a usage error
// (an unknown option, a bad value), 1 for anything else.

export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig["options"]>;

// parseArgs in strict mode, its errors turned into one line naming the option.
export function parseCommandLine<T extends Options>(options: T, allowPositionals = false) {
  try {
    return parseArgs({ options, allowPositionals, strict: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const named = /'(-[^' ]+)/.exec((error as Error).message)?.[1];
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new UsageError(`unknown option ${named}`);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") throw new UsageError(`option ${named} needs a value`);
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") throw new UsageError(`unexpected argument ${/'([^']+)'/.exec((error as Error).message)?.[1]}`);
    throw new UsageError((error as Error).message);
  }
}

// The server's object graph on the configured database, for a command that needs it.
export async function openServer(): Promise<Server> {
  return buildServer(readConfig(process.env), pino({ level: "silent" }));
}

// A duration as an option gives it: seconds, or a number ending in s, m, h or d.
export function durationSeconds(option: string, text: string): number {
  const seconds = durationSecondsOf(text);
  if (seconds === undefined) throw new UsageError(`${option} must be a number of seconds or end in s, m, h or d, not "${text}"`);
  if (seconds <= 0) throw new UsageError(`${option} must be positive`);
  return seconds;
}

export function runCommand(name: string, usage: string, main: () => Promise<void>): void {
  loadEnvFileOrExit(name);
  main().catch((error: unknown) => {
    const usageError = error instanceof UsageError || error instanceof ConfigError;
    const line =
      error instanceof UsageError || error instanceof ConfigError || error instanceof StartupError
        ? error.message
        : error instanceof Error
          ? error.message.split("\n")[0]
          : String(error);
    console.error(error instanceof UsageError ? `${name}: ${line} (${usage})` : `${name}: ${line}`);
    process.exit(usageError ? 2 : 1);
  });
}

function loadEnvFileOrExit(name: string): void {
  try {
    loadEnvFile();
  } catch (error) {
    console.error(`${name}: ${(error as Error).message}`);
    process.exit(2);
  }
}

// Rows as aligned columns under a header, for people; --json gives the same rows for scripts.
export function printTable(rows: readonly Record<string, string>[], columns: readonly string[]): void {
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((cell, index) => cell.padEnd(widths[index] as number)).join("  ").trimEnd();
  process.stdout.write(`${[line(columns), ...rows.map((row) => line(columns.map((column) => row[column] ?? "")))].join("\n")}\n`);
}
