import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { isIP } from "node:net";
import { resolve } from "node:path";
import { z } from "zod";

// Environment variables, parsed and validated once at boot. Every variable is documented in
// .env.example; a bad value stops the boot with one line naming the variable.

const integer = (fallback: number, min: number, max: number) =>
  z.coerce
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int(`must be a whole number from ${min} to ${max}`)
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

const flag = (fallback: boolean) =>
  z
    .string()
    .toLowerCase()
    .pipe(z.enum(["true", "false"], { error: "must be true or false" }))
    .transform((value) => value === "true")
    .default(fallback);

export const defaultDatabaseUrl = "file:./data/scim.db";

const configSchema = z.object({
  PORT: integer(8080, 0, 65535),
  // An IP address or a host name: anything else is refused before the server tries to bind it.
  HOST: z
    .string()
    .refine((host) => isIP(host) !== 0 || /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(host), "must be an IP address or a host name")
    .default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .default(defaultDatabaseUrl)
    .refine((url) => /^(file:.+|postgres(ql)?:\/\/.+)/.test(url), {
      message: "must start with file: (SQLite) or postgresql:// (PostgreSQL)",
    }),
  DATABASE_POOL_SIZE: integer(10, 1, 1000),
  WORKERS: integer(1, 1, 256),
  PUBLIC_BASE_URL: z
    .url("must be an absolute http(s) URL")
    .refine((url) => !/\/scim\/v2\/?$/i.test(url), "must be the origin the server is reached at, without /scim/v2 (the server adds it)")
    .optional(),
  TOKEN_ALGORITHM: z.enum(["HS256", "RS256", "ES256"], { error: "must be HS256, RS256 or ES256" }).default("HS256"),
  TOKEN_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  TOKEN_PUBLIC_KEY: z.string().optional(),
  TOKEN_PRIVATE_KEY: z.string().optional(),
  TOKEN_PUBLIC_KEY_FILE: z.string().optional(),
  TOKEN_PRIVATE_KEY_FILE: z.string().optional(),
  TOKEN_ISSUER: z.string().min(1).default("scim-server"),
  TOKEN_CACHE_SECONDS: integer(5, 0, 3600),
  MAX_BODY_BYTES: integer(1_048_576, 1024, 104_857_600),
  MAX_PAGE_SIZE: integer(1000, 1, 100_000),
  DEFAULT_PAGE_SIZE: integer(100, 1, 100_000),
  BULK_MAX_OPERATIONS: integer(1000, 1, 100_000),
  BULK_MAX_PAYLOAD_BYTES: integer(4_194_304, 1024, 104_857_600),
  FILTER_MAX_LENGTH: integer(4096, 16, 1_048_576),
  FILTER_MAX_DEPTH: integer(16, 1, 256),
  FILTER_MAX_TERMS: integer(64, 1, 10_000),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], { error: "must be fatal, error, warn, info, debug, trace or silent" })
    .default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"], { error: "must be json or pretty" }).default("json"),
  SHUTDOWN_TIMEOUT_SECONDS: integer(10, 0, 3600),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  METRICS_TENANT_LABEL: flag(false),
  // The P-256 private key (PEM) that signs security event tokens; generated once and kept in the
  // database when not set (docs/events-api.md).
  EVENTS_SIGNING_KEY: z.string().optional(),
  // RFC 9967 §2.4: SETs carry the resource ("full") or only the names of the attributes that
  // changed ("notice").
  EVENTS_SET_MODE: z.enum(["full", "notice"], { error: "must be full or notice" }).default("full"),
  // How long an RFC 8936 poll without returnImmediately waits for an event.
  EVENTS_POLL_WAIT_SECONDS: integer(5, 0, 300),
  // Change events (docs/event-delivery.md): how long events and the record of delivery attempts
  // are kept; how long a subscription retries an event by default; how long a process's claim on
  // a subscription lasts without renewal, so how soon another process takes over from one that died.
  EVENTS_RETENTION_DAYS: integer(30, 1, 36_500),
  EVENTS_RETRY_FOR_SECONDS: integer(259_200, 1, 31_536_000),
  EVENTS_LEASE_SECONDS: integer(30, 1, 3600),
  // The provisioning log (docs/provisioning-log.md): every request to /scim/v2 and /compat/*
  // ("all"), only those that failed ("errors"), or none ("off"); kept this many days within this
  // many megabytes; each stored body cut at this many bytes.
  PROVISIONING_LOG: z.enum(["all", "errors", "off"], { error: "must be all, errors or off" }).default("all"),
  PROVISIONING_LOG_RETENTION_DAYS: integer(7, 1, 3650),
  PROVISIONING_LOG_MAX_MB: integer(256, 1, 1_048_576),
  PROVISIONING_LOG_BODY_BYTES: integer(16_384, 256, 1_048_576),
});

export type Config = z.infer<typeof configSchema>;

// Every variable the server reads.
export const settingNames = Object.keys(configSchema.shape) as (keyof Config)[];

// A setting that stops the boot: its name and what is wrong with it, printed as one line.
export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    readonly problem: string,
  ) {
    super(`${setting}: ${problem}`);
  }
}

// Something the process needs at start that is not there or not usable (a port in use, a
// database that does not answer): the setting that names it and the cause, printed as one line.
export class StartupError extends Error {
  constructor(
    readonly setting: string,
    readonly problem: string,
  ) {
    super(`${setting}: ${problem}`);
  }
}

// Reads the configuration from an environment; throws ConfigError naming every bad variable.
export function readConfig(env: NodeJS.ProcessEnv): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const settings = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))];
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(settings.join(", "), problems.map((line) => line.slice(line.indexOf(": ") + 2)).join("; "));
  }
  const config = withKeyFiles(parsed.data);
  if (config.TOKEN_ALGORITHM !== "HS256") {
    if (!config.TOKEN_PUBLIC_KEY) throw new ConfigError("TOKEN_PUBLIC_KEY", `required when TOKEN_ALGORITHM is ${config.TOKEN_ALGORITHM}`);
    checkKey(config, "TOKEN_PUBLIC_KEY");
    if (config.TOKEN_PRIVATE_KEY) checkKey(config, "TOKEN_PRIVATE_KEY");
  }
  if (config.EVENTS_SIGNING_KEY !== undefined) checkEventSigningKey(config.EVENTS_SIGNING_KEY);
  if (config.WORKERS > 1 && config.DATABASE_URL.startsWith("file:")) {
    throw new ConfigError("WORKERS", "must be 1 on SQLite, which one process serves (several processes need PostgreSQL)");
  }
  if (config.DEFAULT_PAGE_SIZE > config.MAX_PAGE_SIZE) {
    throw new ConfigError("DEFAULT_PAGE_SIZE", `must not exceed MAX_PAGE_SIZE (${config.MAX_PAGE_SIZE})`);
  }
  return config;
}

// Reads `.env` from the working directory into process.env, if there is one. Variables already
// in the environment win over the file's.
export function loadEnvFile(directory = process.cwd()): void {
  const file = resolve(directory, ".env");
  if (!existsSync(file)) return;
  try {
    process.loadEnvFile(file);
  } catch (error) {
    throw new ConfigError(".env", `cannot be read (${(error as Error).message})`);
  }
}

// TOKEN_PUBLIC_KEY_FILE / TOKEN_PRIVATE_KEY_FILE: the PEM read from a file (a mounted secret)
// instead of the variable itself.
function withKeyFiles(config: Config): Config {
  let result = config;
  for (const name of ["TOKEN_PUBLIC_KEY", "TOKEN_PRIVATE_KEY"] as const) {
    const file = config[`${name}_FILE`];
    if (file === undefined) continue;
    if (config[name] !== undefined) throw new ConfigError(`${name}_FILE`, `set either ${name} or ${name}_FILE, not both`);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "is a folder" : (error as Error).message;
      throw new ConfigError(`${name}_FILE`, `cannot read ${file}: ${reason}`);
    }
    result = { ...result, [name]: text };
  }
  return result;
}

const keyTypes = { RS256: "rsa", ES256: "ec" } as const;

// The key must parse as a PEM key of the algorithm's type, so that a wrong or truncated key
// stops the boot rather than the first request.
function checkKey(config: Config, name: "TOKEN_PUBLIC_KEY" | "TOKEN_PRIVATE_KEY"): void {
  const setting = config[`${name}_FILE`] === undefined ? name : `${name}_FILE`;
  const text = pemText(config[name] as string);
  let key: KeyObject;
  try {
    key = name === "TOKEN_PUBLIC_KEY" ? createPublicKey(text) : createPrivateKey(text);
  } catch {
    throw new ConfigError(setting, `not a PEM ${name === "TOKEN_PUBLIC_KEY" ? "public" : "private"} key`);
  }
  const expected = keyTypes[config.TOKEN_ALGORITHM as "RS256" | "ES256"];
  if (key.asymmetricKeyType !== expected) {
    throw new ConfigError(setting, `${config.TOKEN_ALGORITHM} needs an ${expected.toUpperCase()} key, not ${key.asymmetricKeyType?.toUpperCase() ?? "this one"}`);
  }
  if (expected === "ec" && key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
    throw new ConfigError(setting, `ES256 needs a P-256 key, not ${key.asymmetricKeyDetails?.namedCurve ?? "this curve"}`);
  }
}

// SETs are signed with ES256 (events/set.ts): the key must be a P-256 private key.
function checkEventSigningKey(pem: string): void {
  let key: KeyObject;
  try {
    key = createPrivateKey(pemText(pem));
  } catch {
    throw new ConfigError("EVENTS_SIGNING_KEY", "not a PEM private key");
  }
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
    throw new ConfigError("EVENTS_SIGNING_KEY", "must be an EC key on the P-256 curve (ES256)");
  }
}

// Keys may be given with literal "\n" sequences, as environment files often carry them.
export function pemText(key: string): string {
  return key.includes("\\n") ? key.replace(/\\n/g, "\n") : key;
}
