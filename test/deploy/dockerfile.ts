import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, posix, relative } from "node:path";
import { promisify } from "node:util";

// The Dockerfile's instructions, carried out without a container engine: each stage's file system
// is a folder (the image's / mapped onto it), COPY copies from the build context (less
// .dockerignore) or from an earlier stage, RUN runs its command with the stage's working directory
// and environment, and the final stage's CMD and HEALTHCHECK are what the image runs. What the
// image's own OS provides (the base image, apt-get packages, its users) is this machine's.

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

export interface Stage {
  readonly name: string;
  readonly base: string;
  readonly instructions: readonly Instruction[];
}

// The Dockerfile as stages, with continuation lines joined and comments dropped.
export function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let pending = "";
  for (const raw of text.split("\n")) {
    if (/^\s*#/.test(raw) && pending === "") continue;
    const line = raw.replace(/\s+$/, "");
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const whole = `${pending}${line}`.trim();
    pending = "";
    if (whole !== "") logical.push(whole);
  }
  const stages: { name: string; base: string; instructions: Instruction[] }[] = [];
  for (const line of logical) {
    const [, keyword = "", args = ""] = /^(\w+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === "FROM") {
      const [base = "", , name] = args.split(/\s+/);
      stages.push({ name: name ?? String(stages.length), base, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`${keyword} before FROM`);
    stage.instructions.push({ keyword: keyword.toUpperCase(), args });
  }
  return stages;
}

// An exec-form command (["node", "x.js"]).
export function execForm(args: string): string[] {
  const parsed = JSON.parse(args) as unknown;
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === "string")) throw new Error(`not an exec form: ${args}`);
  return parsed;
}

// ENV key=value ... (values may be quoted).
function envPairs(args: string): [string, string][] {
  return [...args.matchAll(/(\w+)=("([^"]*)"|\S*)/g)].map((match) => [match[1] as string, match[3] ?? (match[2] as string)]);
}

export interface BuiltImage {
  // The final stage's folder (its /), working directory and environment.
  readonly root: string;
  readonly workdir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly cmd: readonly string[];
  readonly healthcheck: readonly string[] | undefined;
  readonly stopSignal: string | undefined;
  readonly user: string | undefined;
  // RUN commands left to this machine's OS (apt-get).
  readonly systemCommands: readonly string[];
}

const run = promisify(execFile);

// Carries out every stage into a folder of its own under a cache folder named after the
// Dockerfile and every file it copies, so that the same inputs are built once.
export async function buildImage(context: string, log: (line: string) => void = () => undefined): Promise<BuiltImage> {
  const dockerfile = readFileSync(join(context, "Dockerfile"), "utf8");
  const stages = parseDockerfile(dockerfile);
  const ignore = ignoredBy(context);
  const key = inputsHash(context, dockerfile, stages, ignore);
  const cache = join(tmpdir(), `scim-image-${key}`);
  for (const entry of readdirSync(tmpdir())) {
    if (entry.startsWith("scim-image-") && entry !== `scim-image-${key}`) rmSync(join(tmpdir(), entry), { recursive: true, force: true });
  }
  const done = join(cache, "built.json");
  if (existsSync(done)) return JSON.parse(readFileSync(done, "utf8")) as BuiltImage;
  rmSync(cache, { recursive: true, force: true });

  const roots = new Map<string, string>();
  let image: BuiltImage | undefined;
  const systemCommands: string[] = [];
  for (const stage of stages) {
    const root = join(cache, stage.name);
    mkdirSync(root, { recursive: true });
    roots.set(stage.name, root);
    let workdir = "/";
    const env: Record<string, string> = {};
    let cmd: string[] = [];
    let healthcheck: string[] | undefined;
    let stopSignal: string | undefined;
    let user: string | undefined;
    const at = (path: string) => join(root, posix.resolve(workdir, path));
    for (const { keyword, args } of stage.instructions) {
      switch (keyword) {
        case "WORKDIR":
          workdir = posix.resolve(workdir, args);
          mkdirSync(at("."), { recursive: true });
          break;
        case "ENV":
          for (const [name, value] of envPairs(args)) env[name] = value;
          break;
        case "COPY": {
          const parts = args.split(/\s+/);
          const from = parts[0]?.startsWith("--from=") ? (parts.shift() as string).slice("--from=".length) : undefined;
          const destination = parts.pop() as string;
          for (const source of parts) {
            const sourcePath = from === undefined ? join(context, source) : join(roots.get(from) ?? fail(`no stage ${from}`), source);
            const target = destination.endsWith("/") ? join(at(destination), posix.basename(source)) : at(destination);
            mkdirSync(dirname(target), { recursive: true });
            cpSync(sourcePath, target, {
              recursive: true,
              filter: (path) => from !== undefined || !ignore(relative(context, path)),
            });
          }
          break;
        }
        case "RUN":
          if (/^apt-get\b/.test(args)) {
            systemCommands.push(args);
            break;
          }
          log(`RUN ${args}`);
          await run("sh", ["-c", args], { cwd: at("."), env: { ...process.env, ...env }, timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 });
          break;
        case "CMD":
          cmd = execForm(args);
          break;
        case "HEALTHCHECK": {
          const command = /\bCMD\s+(\[.*\])\s*$/.exec(args)?.[1];
          healthcheck = command === undefined ? undefined : execForm(command);
          break;
        }
        case "STOPSIGNAL":
          stopSignal = args.trim();
          break;
        case "USER":
          user = args.trim();
          break;
        case "EXPOSE":
        case "VOLUME":
        case "LABEL":
        case "ARG":
          break;
        default:
          throw new Error(`the Dockerfile uses ${keyword}, which this runner does not carry out`);
      }
    }
    image = { root, workdir, env, cmd, healthcheck, stopSignal, user, systemCommands };
  }
  if (!image) throw new Error("the Dockerfile has no stage");
  // Only the final stage is the image.
  for (const root of roots.values()) if (root !== image.root) rmSync(root, { recursive: true, force: true });
  writeFileSync(done, JSON.stringify(image));
  return image;
}

function fail(message: string): never {
  throw new Error(message);
}

// .dockerignore's patterns: paths from the context's root, * within one path segment.
function ignoredBy(context: string): (path: string) => boolean {
  const file = join(context, ".dockerignore");
  const patterns = existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "" && !line.startsWith("#"))
    : [];
  const matchers = patterns.map((pattern) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}(/|$)`));
  return (path) => matchers.some((matcher) => matcher.test(path));
}

// The Dockerfile, .dockerignore and every file the stages copy from the context.
function inputsHash(context: string, dockerfile: string, stages: readonly Stage[], ignore: (path: string) => boolean): string {
  const hash = createHash("sha256").update(dockerfile);
  const ignoreFile = join(context, ".dockerignore");
  if (existsSync(ignoreFile)) hash.update(readFileSync(ignoreFile));
  const files = (path: string): string[] => {
    if (ignore(relative(context, path))) return [];
    if (!statSync(path).isDirectory()) return [path];
    return readdirSync(path)
      .sort()
      .flatMap((entry) => files(join(path, entry)));
  };
  for (const stage of stages) {
    for (const { keyword, args } of stage.instructions) {
      if (keyword !== "COPY" || args.startsWith("--from=")) continue;
      for (const source of args.split(/\s+/).slice(0, -1)) {
        for (const path of files(join(context, source))) hash.update(relative(context, path)).update(readFileSync(path));
      }
    }
  }
  return hash.digest("hex").slice(0, 16);
}
