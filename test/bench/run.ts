import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { cpus, freemem, loadavg, tmpdir, totalmem } from "node:os";
import { basename, join, resolve } from "node:path";
import { build } from "esbuild";
import { parseArgs } from "node:util";
import { seedBaselineFixture, seedOurFixture, type Fixture } from "./fixture.ts";
import { combine, measure, residentBytes, type Measurement, type Target } from "./measure.ts";
import { workloads, type RequestSpec, type Workload, type WorkloadData } from "./workloads.ts";
import { createTestDatabase } from "../support/databases.ts";

// `npm run bench`: seeds our server and the bare-metal baseline with the same data, runs each
// workload against both over loopback, and prints one table. See docs/benchmarks.md.

const usage = `npm run bench -- [--users 100000] [--db sqlite|postgres] [--duration 10] [--connections 10]
                     [--only a,b,c-page1,c,c-cursor,h,e,f,d,g] [--warmup 2] [--rounds 3] [--cpu-prof]
--rounds splits each compared workload's measured time into that many turns per server, ours and
the baseline taking turns, so that both meet the machine in the same states
--cpu-prof writes a CPU profile of our server per measured run to ${join(tmpdir(), "scim-bench-profiles")} (one round)`;

const root = resolve(import.meta.dirname, "../..");

interface Options {
  readonly users: number;
  readonly db: "sqlite" | "postgres";
  readonly duration: number;
  readonly warmup: number;
  readonly connections: number;
  readonly only: readonly Workload[];
  readonly rounds: number;
  readonly cpuProf: boolean;
}

function readOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      users: { type: "string", default: "100000" },
      db: { type: "string", default: "sqlite" },
      duration: { type: "string", default: "10" },
      warmup: { type: "string", default: "2" },
      connections: { type: "string", default: "10" },
      only: { type: "string" },
      rounds: { type: "string", default: "3" },
      "cpu-prof": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const positive = (name: string, text: string, min: number) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer of at least ${min}\n${usage}`);
    return value;
  };
  if (values.db !== "sqlite" && values.db !== "postgres") throw new Error(`--db must be sqlite or postgres\n${usage}`);
  const ids = values.only?.split(",").map((id) => id.trim()).filter(Boolean);
  const unknown = ids?.filter((id) => !workloads.some((workload) => workload.id === id)) ?? [];
  if (unknown.length > 0) throw new Error(`--only: unknown workload ${unknown.join(", ")}\n${usage}`);
  return {
    users: positive("users", values.users, 1000),
    db: values.db,
    duration: positive("duration", values.duration, 1),
    warmup: positive("warmup", values.warmup, 0),
    connections: positive("connections", values.connections, 1),
    only: ids ? workloads.filter((workload) => ids.includes(workload.id)) : workloads,
    rounds: values["cpu-prof"] ? 1 : positive("rounds", values.rounds, 1),
    cpuProf: values["cpu-prof"],
  };
}

// Everything the run created, undone in reverse order whatever happens.
const cleanups: Array<() => Promise<void> | void> = [];

async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch (error) {
      console.error(`cleanup: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

// A scratch PostgreSQL database (the test suite's own), dropped at the end.
async function scratchPostgres(): Promise<string> {
  const database = await createTestDatabase("postgresql");
  cleanups.push(() => database.drop());
  return database.url;
}

// Both servers run as `npm start` runs ours: bundled by esbuild (dependencies left as imports) and
// started with plain node, so that neither carries a TypeScript loader's memory or start-up.
async function bundled(script: string): Promise<string> {
  const outfile = join(root, "dist", "bench", basename(script).replace(/\.ts$/, ".js"));
  await build({ entryPoints: [join(root, script)], bundle: true, platform: "node", format: "esm", packages: "external", sourcemap: true, outfile, logLevel: "warning" });
  return outfile;
}

// Starts the bundled <script> and waits for the message it sends once it listens.
async function startChild<T>(name: string, script: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<{ child: ChildProcess; message: T }> {
  const child = spawn(process.execPath, [...nodeArgs, "--enable-source-maps", await bundled(script)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  cleanups.push(() => stopChild(child));
  const message = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 120 s`)), 120_000);
    child.once("message", (message) => {
      clearTimeout(timer);
      resolve(message as T);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} before listening`));
    });
  });
  return { child, message };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

// One request on a connection of its own: a kept-alive one may have been closed by the server
// while a run lasted.
function call(target: Target, spec: RequestSpec): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${target.url}${spec.path}`, {
      method: spec.method,
      agent: false,
      timeout: 300_000,
      headers: { authorization: `Bearer ${target.token}`, "content-type": "application/scim+json" },
    });
    request.on("timeout", () => request.destroy(new Error(`${spec.method} ${spec.path}: no answer within 300 s`)));
    request.on("error", reject);
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Left as text.
        }
        resolve({ status: response.statusCode ?? 0, body });
      });
    });
    request.end(spec.body);
  });
}

// The cursor of the row before position `depth`, found by walking pages of 1000 ids.
async function cursorAt(target: Target, depth: number): Promise<string> {
  let cursor = "";
  for (let position = 1; position < depth; ) {
    const count = Math.min(1000, depth - position);
    const page = await call(target, { method: "GET", path: `/scim/v2/Users?cursor=${encodeURIComponent(cursor)}&count=${count}&attributes=id` });
    if (page.status !== 200 || typeof page.body.nextCursor !== "string") throw new Error(`walking the cursor failed at ${position}: ${page.status}`);
    cursor = page.body.nextCursor;
    position += count;
  }
  return cursor;
}

// The keys of a resource, nested ones as a.b, for comparing the two servers' answers.
function shapeOf(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => shapeOf(inner, prefix ? `${prefix}.${key}` : key)).sort();
}

interface Row {
  readonly workload: Workload;
  readonly title: string;
  readonly ours?: Measurement;
  readonly baseline?: Measurement;
  readonly notes: string[];
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : "-");
// The server's CPU time per request: steadier between runs than req/s, which also depends on how
// much of the machine the load generator and other processes take.
const cpuPerRequest = (run: Measurement) => (run.requests > 0 ? fixed((run.cpuSeconds * 1e6) / run.requests, 0) : "-");
const rate = (perSecond: number) => fixed(perSecond, perSecond < 10 ? 2 : 0);

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  // One reserve user per request of (f), its warm-up included, at up to 3000 requests a second.
  const reserve = Math.max(2000, 3000 * (options.duration + options.warmup + 1));
  const depth = Math.min(50_001, Math.floor(options.users / 2) + 1);
  const startLoad = loadavg();
  const started = new Date();
  const dir = mkdtempSync(join(tmpdir(), "scim-bench-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));

  console.error(`seeding ${options.users} users (+${reserve} reserve users for (f)) into ${options.db} and the baseline's SQLite`);
  const now = new Date();
  const fixture: Fixture = seedBaselineFixture(join(dir, "baseline.db"), { users: options.users, reserve }, now);
  const ourUrl = options.db === "sqlite" ? `file:${join(dir, "scim.db")}` : await scratchPostgres();
  await seedOurFixture(ourUrl, "bench", { users: options.users, reserve }, now, fixture);

  const baselineToken = randomBytes(24).toString("base64url");
  const profileDir = join(tmpdir(), "scim-bench-profiles");
  if (options.cpuProf) mkdirSync(profileDir, { recursive: true });
  const [ourChild, baselineChild] = await Promise.all([
    startChild<{ port: number; token: string }>(
      "our server",
      "test/bench/serve.ts",
      {
        DATABASE_URL: ourUrl,
        BENCH_TENANT: "bench",
        TOKEN_SECRET: randomBytes(32).toString("base64url"),
        LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
        ...(options.cpuProf ? { BENCH_PROFILE_DIR: profileDir } : {}),
      },
    ),
    startChild<{ port: number }>("baseline", "test/bench/baseline.ts", { BASELINE_DB: join(dir, "baseline.db"), BASELINE_TOKEN: baselineToken }),
  ]);
  const ours: Target = { name: "ours", url: `http://127.0.0.1:${ourChild.message.port}`, token: ourChild.message.token, pid: ourChild.child.pid as number };
  const baseline: Target = { name: "baseline", url: `http://127.0.0.1:${baselineChild.message.port}`, token: baselineToken, pid: baselineChild.child.pid as number };

  const idleRss = { ours: residentBytes(ours.pid, "VmRSS"), baseline: residentBytes(baseline.pid, "VmRSS") };
  const groups = await call(ours, { method: "GET", path: `/scim/v2/Groups?filter=${encodeURIComponent(`displayName eq "${fixture.bigGroupName}"`)}&excludedAttributes=members` });
  const bigGroupId = groups.body?.Resources?.[0]?.id as string | undefined;
  if (!bigGroupId) throw new Error(`the group ${fixture.bigGroupName} was not found: ${groups.status}`);
  const deepCursor = options.only.some((workload) => workload.id === "c-cursor") ? await cursorAt(ours, depth) : undefined;
  const runTag = randomBytes(4).toString("hex");
  const dataFor = (target: Target): WorkloadData => ({
    userNames: fixture.userNames,
    userIds: fixture.userIds,
    reserveIds: fixture.reserveIds,
    bigGroupId,
    depth,
    ...(target === ours && deepCursor !== undefined ? { deepCursor } : {}),
    tag: `${runTag}-${target.name}`,
  });

  // Both servers must answer with the same resource shape, or the comparison means nothing.
  const probe = { method: "GET", path: `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${fixture.userNames[0]}"`)}` } as const;
  const [ourProbe, baselineProbe] = await Promise.all([call(ours, probe), call(baseline, probe)]);
  const ourShape = shapeOf(ourProbe.body).join(" ");
  const baselineShape = shapeOf(baselineProbe.body).join(" ");
  if (ourShape !== baselineShape) console.error(`warning: the two servers' answers differ in shape:\n  ours:     ${ourShape}\n  baseline: ${baselineShape}`);

  const servers = { ours, baseline, profiler: options.cpuProf ? ourChild.child : undefined };
  const rows: Row[] = [];
  const measured = new Map<Workload, Row>();
  for (const workload of options.only) {
    const partner = options.only.find((other) => other.takesTurnsWith === workload.id);
    if (partner) {
      const [row, partnerRow] = await runTogether([workload, partner], servers, dataFor, options);
      measured.set(partner, partnerRow as Row);
      rows.push(row as Row);
    } else {
      rows.push(measured.get(workload) ?? (await runWorkload(workload, servers, dataFor, options)));
    }
  }

  const ourPeak = residentBytes(ours.pid, "VmHWM");
  const baselinePeak = residentBytes(baseline.pid, "VmHWM");
  await cleanUp();
  report({ options, started, startLoad, endLoad: loadavg(), rows, ourPeak, baselinePeak, idleRss, fixture, reserve });
}

interface Servers {
  readonly ours: Target;
  readonly baseline: Target;
  // Our server's process, when each measured run is to be profiled.
  readonly profiler: ChildProcess | undefined;
}

// A workload on one server.
interface Contender {
  readonly workload: Workload;
  readonly target: Target;
}

interface Turns {
  readonly contender: Contender;
  readonly data: WorkloadData;
  readonly sent: number;
  // Undefined when the first request failed (`failure` says how).
  readonly result?: Measurement;
  readonly failure?: string;
}

// Contenders measured in turns: for each, a first request that must succeed and a warm-up that is
// not counted; then the measured time, split into rounds in which they take turns (the first
// first, then the order alternates: A, B, B, A, A, B), so that a machine that changes speed during
// the run affects all alike.
async function takeTurns(contenders: readonly Contender[], servers: Servers, dataFor: (target: Target) => WorkloadData, options: Options): Promise<Turns[]> {
  const ready: { contender: Contender; data: WorkloadData; next: () => RequestSpec; sent: () => number; connections: number }[] = [];
  const failed: Turns[] = [];
  for (const contender of contenders) {
    const { workload, target } = contender;
    const connections = connectionsOf(workload, options);
    const data = dataFor(target);
    const source = workload.requests(data);
    let sent = 0;
    const next = () => {
      sent++;
      return source();
    };
    const first = await call(target, next());
    if (first.status >= 300) {
      failed.push({ contender, data, sent, failure: `${target.name}: ${first.status} ${JSON.stringify(first.body).slice(0, 200)}` });
      continue;
    }
    console.error(`${workload.id} ${target.name}: ${workload.title(data)} (${connections} connection${connections > 1 ? "s" : ""})`);
    if (options.warmup > 0 && workload.amount === undefined) await measure(target, next, { seconds: options.warmup, connections });
    await settle(target);
    ready.push({ contender, data, next, sent: () => sent, connections });
  }

  const rounds = ready.length > 1 && ready.every(({ contender }) => contender.workload.amount === undefined) ? options.rounds : 1;
  const runs = new Map<Contender, Measurement[]>(ready.map(({ contender }) => [contender, []]));
  for (let round = 0; round < rounds; round++) {
    for (const { contender, next, connections } of round % 2 === 0 ? ready : [...ready].reverse()) {
      const { workload, target } = contender;
      const amount = workload.amount === undefined ? {} : { amount: workload.amount };
      const profiler = target === servers.ours ? servers.profiler : undefined;
      if (profiler) await ask(profiler, { profile: "start" });
      (runs.get(contender) as Measurement[]).push(await measure(target, next, { seconds: options.duration / rounds, connections, ...amount }));
      await settle(target);
      if (profiler) console.error(`  profile: ${(await ask<{ profiled: string }>(profiler, { profile: "stop", name: workload.id })).profiled}`);
    }
  }
  const measured = ready.map(({ contender, data, sent }) => ({ contender, data, sent: sent(), result: combine(runs.get(contender) as Measurement[]) }));
  return contenders.map((contender) => (measured.find((turns) => turns.contender === contender) ?? failed.find((turns) => turns.contender === contender)) as Turns);
}

function connectionsOf(workload: Workload, options: Options): number {
  return Math.min(options.connections, workload.connections ?? options.connections);
}

// One workload against ours and, when it is compared, the baseline, in turns.
async function runWorkload(workload: Workload, servers: Servers, dataFor: (target: Target) => WorkloadData, options: Options): Promise<Row> {
  const targets = workload.compared ? [servers.ours, servers.baseline] : [servers.ours];
  return rowOf(workload, await takeTurns(targets.map((target) => ({ workload, target })), servers, dataFor, options), servers, dataFor, options);
}

// Workloads of ours compared with each other (takesTurnsWith), in turns; a row each.
async function runTogether(workloads: readonly Workload[], servers: Servers, dataFor: (target: Target) => WorkloadData, options: Options): Promise<Row[]> {
  const turns = await takeTurns(workloads.map((workload) => ({ workload, target: servers.ours })), servers, dataFor, options);
  return workloads.map((workload) => {
    const row = rowOf(workload, turns.filter((turn) => turn.contender.workload === workload), servers, dataFor, options);
    const others = workloads.filter((other) => other !== workload).map((other) => `(${other.id})`);
    return { ...row, notes: [...row.notes, `measured in turns with ${others.join(", ")}`] };
  });
}

function rowOf(workload: Workload, turns: readonly Turns[], servers: Servers, dataFor: (target: Target) => WorkloadData, options: Options): Row {
  const notes: string[] = [];
  const results: Partial<Record<Target["name"], Measurement>> = {};
  for (const { contender, data, sent, result, failure } of turns) {
    if (failure) notes.push(failure);
    if (!result) continue;
    const { target } = contender;
    results[target.name] = result;
    if (result.non2xx > 0 || result.errors > 0) notes.push(`${target.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    if (target === servers.ours) notes.push(...(workload.notes?.(data, result.perSecond, sent) ?? []));
  }
  const connections = connectionsOf(workload, options);
  if (connections !== options.connections) notes.push(`${connections} connection${connections > 1 ? "s" : ""}`);
  if (workload.amount !== undefined) notes.push(`${workload.amount} requests`);
  return { workload, title: workload.title(dataFor(servers.ours)), ...results, notes };
}

// Sends a message to a child and waits for its answer.
function ask<T>(child: ChildProcess, message: object): Promise<T> {
  return new Promise((resolve) => {
    child.once("message", (answer) => resolve(answer as T));
    child.send(message);
  });
}

// Lets a server finish what a run left in flight before the next run starts.
async function settle(target: Target): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  await call(target, { method: "GET", path: "/scim/v2/ServiceProviderConfig" });
}

interface Report {
  readonly options: Options;
  readonly started: Date;
  readonly startLoad: number[];
  readonly endLoad: number[];
  readonly rows: readonly Row[];
  readonly ourPeak: number;
  readonly baselinePeak: number;
  readonly idleRss: { readonly ours: number; readonly baseline: number };
  readonly fixture: Fixture;
  readonly reserve: number;
}

function report({ options, started, startLoad, endLoad, rows, ourPeak, baselinePeak, idleRss, fixture, reserve }: Report): void {
  const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(" ");
  const out: string[] = [];
  out.push(`npm run bench -- ${process.argv.slice(2).join(" ")}`.trimEnd());
  out.push("");
  out.push(`- ${started.toISOString()}; ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? "?"}), ${mb(totalmem())} MB memory (${mb(freemem())} MB free at the end), Node ${process.version}`);
  out.push(`- load average at start ${load(startLoad)}, at end ${load(endLoad)}${startLoad[0]! > 0.5 * cpus().length ? " — the machine was busy: refresh these figures on a quiet machine" : ""}`);
  out.push(`- ours on ${options.db === "sqlite" ? "SQLite" : "PostgreSQL"}; the baseline (Express 5 + prepared better-sqlite3 statements) is always on SQLite${options.db === "postgres" ? ", so the ratios compare different databases" : ""}`);
  out.push(`- ${options.users} users (+${reserve} reserve users in no group), ${fixture.bigGroupSize}-member group "${fixture.bigGroupName}", 50 teams of 20; ${options.connections} connection${options.connections > 1 ? "s" : ""}, ${options.warmup} s warm-up then ${options.duration} s per workload${options.rounds > 1 ? ` (compared workloads in ${options.rounds} turns per server, taken in turn with the baseline)` : ""}, 127.0.0.1`);
  out.push("");
  out.push("| workload | req/s | p50 ms | p99 ms | CPU µs/req | peak RSS MB | baseline req/s | baseline p99 ms | baseline CPU µs/req | ours/baseline | notes |");
  out.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
  for (const row of rows) {
    const { ours, baseline } = row;
    out.push(
      `| (${row.workload.id}) ${row.title.replace(/\|/g, "\\|")} | ${ours ? rate(ours.perSecond) : "-"} | ${ours ? fixed(ours.p50, 2) : "-"} | ${ours ? fixed(ours.p99, 2) : "-"} | ${ours ? cpuPerRequest(ours) : "-"} | ${ours ? mb(ours.peakRss) : "-"} | ${baseline ? rate(baseline.perSecond) : ""} | ${baseline ? fixed(baseline.p99, 2) : ""} | ${baseline ? cpuPerRequest(baseline) : ""} | ${ours && baseline ? `**${fixed(ours.perSecond / baseline.perSecond, 2)}x**` : ""} | ${row.notes.join("; ")} |`,
    );
  }
  out.push("");
  out.push(`RSS after start: ours ${mb(idleRss.ours)} MB, baseline ${mb(idleRss.baseline)} MB; peak over the whole run (VmHWM): ours ${mb(ourPeak)} MB, baseline ${mb(baselinePeak)} MB.`);
  out.push("");
  out.push("Targets (issue #6):");
  const byId = new Map(rows.map((row) => [row.workload.id, row]));
  for (const row of rows.filter((row) => row.workload.compared)) {
    if (!row.ours || !row.baseline) continue;
    const ratio = row.ours.perSecond / row.baseline.perSecond;
    out.push(`- (${row.workload.id}) ≥ 0.8x baseline${options.db === "postgres" ? " (set for SQLite)" : ""}: ${fixed(ratio, 2)}x ${ratio >= 0.8 ? "met" : "MISSED"}`);
  }
  const deep = byId.get("c-cursor")?.ours;
  const first = byId.get("c-page1")?.ours;
  if (deep && first) {
    const ratio = deep.perSecond / first.perSecond;
    out.push(`- (c) by cursor within 10% of page one: ${fixed(ratio, 2)}x of page one's req/s ${ratio >= 0.9 ? "met" : "MISSED"}`);
  }
  const patch = byId.get("f")?.ours;
  if (patch) out.push(`- (f) p99 < 20 ms: ${fixed(patch.p99, 2)} ms ${patch.p99 < 20 ? "met" : "MISSED"}`);
  out.push(`- peak RSS < 300 MB at 100k users: ${mb(ourPeak)} MB at ${options.users} users ${ourPeak < 300 * 1024 * 1024 ? "met" : "MISSED"}`);
  console.log(out.join("\n"));
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void cleanUp().then(() => process.exit(130));
  });
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  if (error instanceof Error && error.cause) console.error("cause:", error.cause);
  await cleanUp();
  process.exit(1);
});
