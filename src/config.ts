import { z } from "zod";

// Environment variables, parsed and validated once at boot. Every variable is documented in
// .env.example; a bad value stops the boot with a message naming the variable.

const integer = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const configSchema = z.object({
  PORT: integer(8080, 0, 65535),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .default("file:./data/scim.db")
    .refine((url) => /^(file:|postgres(ql)?:\/\/)/.test(url), {
      message: "must start with file: (SQLite) or postgresql:// (PostgreSQL)",
    }),
  PUBLIC_BASE_URL: z.url().optional(),
  TOKEN_ALGORITHM: z.enum(["HS256", "RS256", "ES256"]).default("HS256"),
  TOKEN_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  TOKEN_PUBLIC_KEY: z.string().optional(),
  TOKEN_PRIVATE_KEY: z.string().optional(),
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
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

// Reads the configuration from an environment; throws ConfigError listing every bad variable.
export function readConfig(env: NodeJS.ProcessEnv): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const config = parsed.data;
  if (config.TOKEN_ALGORITHM !== "HS256" && !config.TOKEN_PUBLIC_KEY) {
    throw new ConfigError(
      `Invalid configuration:\n  TOKEN_PUBLIC_KEY: required when TOKEN_ALGORITHM is ${config.TOKEN_ALGORITHM}`,
    );
  }
  if (config.DEFAULT_PAGE_SIZE > config.MAX_PAGE_SIZE) {
    throw new ConfigError("Invalid configuration:\n  DEFAULT_PAGE_SIZE: must not exceed MAX_PAGE_SIZE");
  }
  return config;
}
