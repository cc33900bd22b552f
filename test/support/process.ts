import { execFile, spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { once } from "node:events";
import { connect } from "node:net";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";

// The server as an operator runs it: a process started from the esbuild bundle (what `npm start`
// runs) or through npm itself, read through its log lines.

export const repoRoot = resolve(import.meta.dirname, "../..");

// Builds the bundle with the project's own build script into a file of the caller's, so that test
// files running at the same time never write the same bundle.
export async function buildBundle(tag: string): Promise<string> {
  const outdir = join(repoRoot, "dist", "tests", tag);
  await promisify(execFile)("npm", ["run", "-s", "build", "--", `--outdir=${outdir}`], { cwd: repoRoot, timeout: 120_000 });
  return join(outdir, "main.js");
}

export interface ServerProcess {
  readonly child: ChildProcess;
  // Every line written to stdout so far, parsed when it is JSON.
  readonly lines: readonly Record<string, unknown>[];
  stderr(): string;
  // The first log line for which `test` holds, waiting for it.
  waitFor(test: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startProcess(command: string, args: readonly string[], options: SpawnOptions): ServerProcess {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  const lines: Record<string, unknown>[] = [];
  let stderr = "";
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on("line", (line) => {
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      lines.push({ text: line });
    }
    for (const waiter of waiters) waiter();
  });
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  // "close" rather than "exit": every line the process wrote has been read by then.
  const exit = once(child, "close").then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  return {
    child,
    lines,
    stderr: () => stderr,
    exited: () => exit,
    waitFor(test, timeoutMs = 60_000) {
      return new Promise((done, fail) => {
        const check = () => {
          const found = lines.find(test);
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            done(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          fail(new Error(`no such log line within ${timeoutMs} ms; stdout: ${JSON.stringify(lines)}; stderr: ${stderr}`));
        }, timeoutMs);
        waiters.add(check);
        void exit.then(() => setTimeout(check, 50));
        check();
      });
    },
  };
}

// The listening line's port.
export async function listeningPort(server: ServerProcess): Promise<number> {
  const line = await server.waitFor((entry) => typeof entry.port === "number" && typeof entry.address === "string");
  return line.port as number;
}

// Whether anything accepts connections on 127.0.0.1:port.
export async function accepting(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
  });
}

// Whether a process with this id is alive.
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// An environment without the variables the server reads from a developer's shell, plus `env`.
export function serverEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(PORT|HOST|WORKERS|DATABASE_URL|PUBLIC_BASE_URL|TOKEN_|MAX_|DEFAULT_PAGE_SIZE|BULK_|FILTER_|LOG_|SHUTDOWN_|METRICS_|EVENTS_)/.test(name)) clean[name] = value;
  }
  return { ...clean, ...env };
}

export interface ToolRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

// One of the command-line tools (src/cli/<name>.ts) run as `npm run <name>` runs it, on the
// given database, with the variables of a developer's shell that the tools read left out (and
// `env` added).
export function runTool(name: "token" | "tenant" | "backup" | "events", args: readonly string[], databaseUrl: string, env: Record<string, string> = {}): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile("npx", ["tsx", `src/cli/${name}.ts`, ...args], { cwd: repoRoot, env: serverEnv({ ...env, DATABASE_URL: databaseUrl }), timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

// A command-line tool from the bundle buildBundle built (`main` is the bundle's main.js), run
// under plain node as the image runs it: without tsx compiling the sources at each start.
export function runBundledTool(main: string, name: "token" | "tenant" | "backup" | "events", args: readonly string[], databaseUrl: string, env: Record<string, string> = {}): Promise<ToolRun> {
  return new Promise((resolve) => {
    const tool = join(main, "..", "cli", `${name}.js`);
    execFile(process.execPath, [tool, ...args], { cwd: repoRoot, env: serverEnv({ ...env, DATABASE_URL: databaseUrl }), timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
