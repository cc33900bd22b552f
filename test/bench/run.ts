import { spawn, type ChildProcess } from "node:child_process";
import { importEdgePages, importPageSize, readAll, walkByCursor, walkByStartIndex, type Walk } from "./import.ts";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { cpus, freemem, loadavg, tmpdir, totalmem } from "node:os";
import { basename, join, resolve } from "node:path";
import { build } from "esbuild";
import { parseArgs } from "node:util";
import { seedBaselineFixture, seedOurFixture, type Fixture } from "./fixture.ts";
import { combine, cpuSeconds, measure, percentile, residentBytes, targetResident, type Measurement, type Target } from "./measure.ts";
import { openOutbox, watchCommits, type BenchOutbox, type CommitWatch } from "./outbox.ts";
import { progress } from "./progress.ts";
import type { ReceiverStats } from "./receiver.ts";
import { eventWorkload, workloadById, workloads, type RequestSpec, type Workload, type WorkloadData } from "./workloads.ts";
import { createTestDatabase } from "../support/databases.ts";

// `npm run bench`: seeds our server and the bare-metal baseline with the same data, runs each
// workload against both over loopback, and prints one table. See docs/benchmarks.md.

const usage = `npm run bench -- [--users 100000] [--db sqlite|postgres] [--duration 10] [--connections 10]
                     [--only a,b,c-page1,c,c-cursor,h,e,f,d,g,import] [--warmup 2] [--rounds 3] [--cpu-prof]
                     [--events [--backlog 100000]] [--log] [--workers 1]
--rounds splits each compared workload's measured time into that many turns per server, ours and
the baseline taking turns, so that both meet the machine in the same states
--events then measures change-event delivery: (d), (e) and (f), those of --only, on ours without
and with a webhook subscription to a local receiver, in turns; the delay from commit to the
receiver; and a backlog of --backlog events drained to it
--log compares ours with the provisioning log on (PROVISIONING_LOG=all) against ours with it off,
on a copy of the same data, in place of the baseline: the ratio is the log's cost; the run is made
twice, with both servers started afresh and in the other order for its second half
import is the full import: every user read by startIndex pages of 100, then by cursor, one page at
a time, against the baseline reading every row once (before the other workloads, on the data as
seeded)
--workers runs ours as that many server processes on one port (WORKERS=N; PostgreSQL only); its CPU
and RSS columns are their sums
--cpu-prof writes a CPU profile of our server per measured run to ${join(tmpdir(), "scim-bench-profiles")} (one round)`;

const root = resolve(import.meta.dirname, "../..");
const benchTenant = "bench";

interface Options {
  readonly users: number;
  readonly db: "sqlite" | "postgres";
  readonly duration: number;
  readonly warmup: number;
  readonly connections: number;
  readonly only: readonly Workload[];
  // The full import (import.ts).
  readonly fullImport: boolean;
  readonly rounds: number;
  readonly cpuProf: boolean;
  readonly events: boolean;
  readonly backlog: number;
  // The baseline column is our own server with the provisioning log off.
  readonly log: boolean;
  // Our server's processes (WORKERS).
  readonly workers: number;
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
      events: { type: "boolean", default: false },
      backlog: { type: "string", default: "100000" },
      log: { type: "boolean", default: false },
      workers: { type: "string", default: "1" },
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
  const unknown = ids?.filter((id) => id !== "import" && !workloads.some((workload) => workload.id === id)) ?? [];
  if (unknown.length > 0) throw new Error(`--only: unknown workload ${unknown.join(", ")}\n${usage}`);
  if (values.log && values.events) throw new Error(`--log and --events are measured in runs of their own\n${usage}`);
  const fullImport = ids === undefined || ids.includes("import");
  const workerCount = positive("workers", values.workers, 1);
  if (workerCount > 1 && values.db !== "postgres") throw new Error(`--workers needs --db postgres: SQLite is served by one process\n${usage}`);
  if (workerCount > 1 && values.events) throw new Error(`--events measures one process: leave --workers out\n${usage}`);
  if (workerCount > 1 && values["cpu-prof"]) throw new Error(`--cpu-prof profiles one process: leave --workers out\n${usage}`);
  if (fullImport && values.log && ids !== undefined) throw new Error(`--only import compares with the baseline, which --log replaces\n${usage}`);
  return {
    users: positive("users", values.users, 1000),
    db: values.db,
    duration: positive("duration", values.duration, 1),
    warmup: positive("warmup", values.warmup, 0),
    connections: positive("connections", values.connections, 1),
    only: ids ? workloads.filter((workload) => ids.includes(workload.id)) : workloads,
    fullImport: fullImport && !values.log,
    rounds: values["cpu-prof"] ? 1 : positive("rounds", values.rounds, 1),
    cpuProf: values["cpu-prof"],
    events: values.events,
    backlog: positive("backlog", values.backlog, 1000),
    log: values.log,
    workers: workerCount,
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
// Our server's event delivery thread is a bundle of its own beside the server's (src/delivery-thread.ts).
async function bundled(script: string): Promise<string> {
  const outdir = join(root, "dist", "bench");
  const entryPoints = { [basename(script).replace(/\.ts$/, "")]: join(root, script), "delivery-worker": join(root, "src/delivery-worker.ts") };
  await build({ entryPoints, bundle: true, platform: "node", format: "esm", packages: "external", sourcemap: true, outdir, logLevel: "warning" });
  return join(outdir, basename(script).replace(/\.ts$/, ".js"));
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

// One workload's row of two halves of a run (--log): each server's turns of both.
function combinedRow(first: Row, second: Row): Row {
  const both = (a: Measurement | undefined, b: Measurement | undefined) => (a && b ? combine([a, b]) : (a ?? b));
  const ours = both(first.ours, second.ours);
  const baseline = both(first.baseline, second.baseline);
  return {
    workload: first.workload,
    title: first.title,
    ...(ours ? { ours } : {}),
    ...(baseline ? { baseline } : {}),
    notes: [...new Set([...first.notes, ...second.notes])],
  };
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : "-");
// The server's CPU time per request, every thread's and, in brackets, the serving thread's alone:
// steadier between runs than req/s, which also depends on how much of the machine the load
// generator and other processes take.
const cpuPerRequest = (run: Measurement) =>
  run.requests > 0 ? `${fixed((run.cpuSeconds * 1e6) / run.requests, 0)} (${fixed((run.servingCpuSeconds * 1e6) / run.requests, 0)})` : "-";
const rate = (perSecond: number) => fixed(perSecond, perSecond < 10 ? 2 : 0);

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  // One reserve user per request of (f), its warm-up included, at up to 5000 requests a second;
  // a pool of them for (f) as the table runs it, and, with --events, one more for each of the two
  // contenders of (e) and (f) there (the pools of (e) and (f) are the same users: one changes the
  // users, the other the group).
  const eventWrites = options.events ? options.only.flatMap((workload) => eventWorkload(workload.id) ?? []) : [];
  const pool = Math.max(2000, 5000 * (options.duration + options.warmup + 1));
  // With --log, a pool for each half of the run.
  const pools = eventWrites.some((workload) => workload.id !== "d") ? 3 : options.log ? 2 : 1;
  const reserve = pool * pools;
  const depth = Math.min(50_001, Math.floor(options.users / 2) + 1);
  const startLoad = loadavg();
  const started = new Date();
  const dir = mkdtempSync(join(tmpdir(), "scim-bench-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));

  console.error(`seeding ${options.users} users (+${reserve} reserve users for (f)) into ours and the baseline, on ${options.db}`);
  const now = new Date();
  // The baseline on the same database as ours, unless --log replaces it.
  const baselineDb = options.db === "postgres" && !options.log ? await scratchPostgres() : join(dir, "baseline.db");
  const fixture: Fixture = await seedBaselineFixture(baselineDb, { users: options.users, reserve }, now);
  const ourUrl = options.db === "sqlite" ? `file:${join(dir, "scim.db")}` : await scratchPostgres();
  await seedOurFixture(ourUrl, benchTenant, { users: options.users, reserve }, now, fixture);
  // With --log, the second server is ours with the provisioning log off, on data of its own.
  const logOffUrl = options.log ? (options.db === "sqlite" ? `file:${join(dir, "scim-log-off.db")}` : await scratchPostgres()) : undefined;
  if (logOffUrl !== undefined) await seedOurFixture(logOffUrl, benchTenant, { users: options.users, reserve }, now, fixture);

  const baselineToken = randomBytes(24).toString("base64url");
  const profileDir = join(tmpdir(), "scim-bench-profiles");
  if (options.cpuProf) mkdirSync(profileDir, { recursive: true });
  const ourEnv = (url: string, log: string) => ({
    DATABASE_URL: url,
    BENCH_TENANT: benchTenant,
    TOKEN_SECRET: randomBytes(32).toString("base64url"),
    LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
    PROVISIONING_LOG: log,
  });
  // Our server, and the baseline or ours with the log off, both spawned at once in `order`.
  const startServers = async (order: "ours first" | "baseline first") => {
    const startOurs = () =>
      startChild<{ port: number; token: string; pids?: number[] }>("our server", "test/bench/serve.ts", {
        ...ourEnv(ourUrl, options.log ? "all" : (process.env.PROVISIONING_LOG ?? "all")),
        ...(options.workers > 1 ? { BENCH_WORKERS: String(options.workers) } : {}),
        ...(options.cpuProf ? { BENCH_PROFILE_DIR: profileDir } : {}),
      });
    const startBaseline = () =>
      logOffUrl === undefined
        ? startChild<{ port: number; token?: string }>("baseline", "test/bench/baseline.ts", { BASELINE_DB: baselineDb, BASELINE_TOKEN: baselineToken })
        : startChild<{ port: number; token?: string }>("our server with the log off", "test/bench/serve.ts", ourEnv(logOffUrl, "off"));
    const [ourChild, baselineChild] =
      order === "ours first" ? await Promise.all([startOurs(), startBaseline()]) : (await Promise.all([startBaseline(), startOurs()])).reverse() as [Awaited<ReturnType<typeof startOurs>>, Awaited<ReturnType<typeof startBaseline>>];
    const ours: Target = {
      name: "ours",
      url: `http://127.0.0.1:${ourChild.message.port}`,
      token: ourChild.message.token,
      pid: ourChild.child.pid as number,
      ...(ourChild.message.pids ? { pids: ourChild.message.pids } : {}),
    };
    const baseline: Target = {
      name: "baseline",
      url: `http://127.0.0.1:${baselineChild.message.port}`,
      token: baselineChild.message.token ?? baselineToken,
      pid: baselineChild.child.pid as number,
    };
    return { ours, baseline, ourChild: ourChild.child, stop: () => Promise.all([stopChild(ourChild.child), stopChild(baselineChild.child)]) };
  };

  // With --log, both servers are ours, and which of two identical servers was spawned first
  // moved their ratio (docs/benchmarks.md, "The provisioning log"). So the run is
  // made twice, the servers started afresh for the second half in the other order, and each
  // server's turns of both halves are combined.
  const halves = options.log ? (["ours first", "baseline first"] as const) : (["ours first"] as const);
  let rows: Row[] = [];
  let idleRss = { ours: 0, baseline: 0 };
  let ourPeak = 0;
  let baselinePeak = 0;
  let events: Delivery | undefined;
  let fullImport: FullImport | undefined;
  // The full import on servers of its own, so that the positions a walk leaves in our server's
  // memory do not serve (c)'s deep page afterwards.
  if (options.fullImport) {
    const { ours, baseline, stop } = await startServers("ours first");
    fullImport = await measureImport(ours, baseline);
    await stop();
  }
  for (const [half, order] of halves.entries()) {
    if (halves.length > 1) console.error(`${half === 0 ? "first" : "second"} half: ${order === "ours first" ? "ours" : "the server with the log off"} spawned first`);
    const { ours, baseline, ourChild, stop } = await startServers(order);
    if (half === 0) idleRss = { ours: targetResident(ours, "VmRSS"), baseline: targetResident(baseline, "VmRSS") };
    const groups = await call(ours, { method: "GET", path: `/scim/v2/Groups?filter=${encodeURIComponent(`displayName eq "${fixture.bigGroupName}"`)}&excludedAttributes=members` });
    const bigGroupId = groups.body?.Resources?.[0]?.id as string | undefined;
    if (!bigGroupId) throw new Error(`the group ${fixture.bigGroupName} was not found: ${groups.status}`);
    const deepCursor = options.only.some((workload) => workload.id === "c-cursor") ? await cursorAt(ours, depth) : undefined;
    const runTag = randomBytes(4).toString("hex");
    // `contender` names the requests' author in new userNames; `reservePool` picks its reserve
    // users (each half of a --log run its own).
    const dataFor = (target: Target, contender: string = target.name, reservePool = half): WorkloadData => {
      const reserveIds = fixture.reserveIds.slice(reservePool * pool, (reservePool + 1) * pool);
      const active = fixture.reserveActive.slice(reservePool * pool, (reservePool + 1) * pool);
      return {
        userNames: fixture.userNames,
        userIds: fixture.userIds,
        reserveIds,
        activeReserveIds: reserveIds.filter((_id, i) => active[i]),
        bigGroupId,
        depth,
        ...(target === ours && deepCursor !== undefined ? { deepCursor } : {}),
        tag: `${runTag}-${contender}`,
      };
    };

    // Both servers must answer with the same resource shape, or the comparison means nothing.
    const probe = { method: "GET", path: `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${fixture.userNames[0]}"`)}` } as const;
    const [ourProbe, baselineProbe] = await Promise.all([call(ours, probe), call(baseline, probe)]);
    const ourShape = shapeOf(ourProbe.body).join(" ");
    const baselineShape = shapeOf(baselineProbe.body).join(" ");
    if (ourShape !== baselineShape) console.error(`warning: the two servers' answers differ in shape:\n  ours:     ${ourShape}\n  baseline: ${baselineShape}`);

    const servers = { ours, baseline, profiler: options.cpuProf ? ourChild : undefined };
    const halfRows: Row[] = [];
    const measured = new Map<Workload, Row>();
    for (const workload of options.only) {
      const partner = options.only.find((other) => other.takesTurnsWith === workload.id);
      if (partner) {
        const [row, partnerRow] = await runTogether([workload, partner], servers, dataFor, options);
        measured.set(partner, partnerRow as Row);
        halfRows.push(row as Row);
      } else {
        halfRows.push(measured.get(workload) ?? (await runWorkload(workload, servers, dataFor, options)));
      }
    }
    rows = half === 0 ? halfRows : rows.map((row, index) => combinedRow(row, halfRows[index] as Row));

    if (options.events) events = await measureDelivery(eventWrites, servers, ourUrl, (contender, reservePool) => dataFor(ours, contender, reservePool), options);
    ourPeak = Math.max(ourPeak, targetResident(ours, "VmHWM"));
    baselinePeak = Math.max(baselinePeak, residentBytes(baseline.pid, "VmHWM"));
    await stop();
  }
  await cleanUp();
  report({ options, started, startLoad, endLoad: loadavg(), rows, ourPeak, baselinePeak, idleRss, fixture, reserve, events, fullImport });
}

interface FullImport {
  readonly byStartIndex: Walk;
  readonly byCursor: Walk;
  readonly baseline: { readonly users: number; readonly bytes: number; readonly seconds: number };
}

async function measureImport(ours: Target, baseline: Target): Promise<FullImport> {
  const all = await readAll(baseline);
  const walked = async (name: string, walk: typeof walkByStartIndex) => {
    const bar = progress(`full import by ${name}`, all.users);
    const result = await walk(ours, bar.update);
    bar.done();
    return result;
  };
  // Each walk twice, in turns, and the baseline's read first and last; each kept at its faster,
  // so that no figure is only a cold one.
  const faster = (a: Walk, b: Walk) => (b.seconds < a.seconds ? b : a);
  const byStartIndex = await walked("startIndex", walkByStartIndex);
  const byCursor = await walked("cursor", walkByCursor);
  const byStartIndexAgain = await walked("startIndex", walkByStartIndex);
  const byCursorAgain = await walked("cursor", walkByCursor);
  const again = await readAll(baseline);
  return {
    byStartIndex: faster(byStartIndex, byStartIndexAgain),
    byCursor: faster(byCursor, byCursorAgain),
    baseline: again.seconds < all.seconds ? again : all,
  };
}

function importReport({ byStartIndex, byCursor, baseline }: FullImport): string[] {
  const out: string[] = [];
  out.push(`Full import: every user in pages of ${importPageSize}, one request at a time, on servers started for it; each walk made twice in turns and the faster kept, its first and last pages the median of ${importEdgePages}; the baseline reads and serialises every row once, in one streamed answer (${mb(baseline.bytes)} MB), the faster of two.`);
  out.push("");
  out.push("| walk | users | pages | total s | users/s | first pages ms | last pages ms | last/first | total/baseline |");
  out.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const [name, walk] of [["startIndex", byStartIndex], ["cursor", byCursor]] as const) {
    out.push(`| ours by ${name} | ${walk.users} | ${walk.pages} | ${fixed(walk.seconds, 1)} | ${fixed(walk.users / walk.seconds, 0)} | ${fixed(walk.firstMs, 2)} | ${fixed(walk.lastMs, 2)} | ${fixed(walk.lastMs / walk.firstMs, 2)}x | ${fixed(walk.seconds / baseline.seconds, 2)}x |`);
  }
  out.push(`| baseline, every row once | ${baseline.users} | 1 | ${fixed(baseline.seconds, 1)} | ${fixed(baseline.users / baseline.seconds, 0)} | | | | |`);
  out.push("");
  out.push("Targets (issue #20):");
  for (const [name, walk] of [["startIndex", byStartIndex], ["cursor", byCursor]] as const) {
    const ratio = walk.lastMs / walk.firstMs;
    const total = walk.seconds / baseline.seconds;
    out.push(`- full import by ${name}, last pages within 1.2x of the first: ${fixed(ratio, 2)}x ${ratio <= 1.2 ? "met" : "MISSED"}`);
    out.push(`- full import by ${name} within 2x of the baseline reading every row: ${fixed(total, 2)}x ${total <= 2 ? "met" : "MISSED"}`);
    if (walk.users !== baseline.users) out.push(`- warning: the walk by ${name} read ${walk.users} users, the baseline ${baseline.users}`);
  }
  return out;
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
  // When two contenders share a server: the name that tells them apart in the log and in profile
  // file names, and the data each one's requests draw on (instead of dataFor(target)).
  readonly label?: string;
  readonly data?: WorkloadData;
  // Sets the server up for the contender's requests and undoes it: around its first request and
  // warm-up, and around each of its turns.
  readonly around?: TurnHooks;
}

interface TurnHooks {
  before(): Promise<void>;
  // Once the server has settled; `ended` is the time (Date.now()) the turn's requests ended.
  after(phase: "warm-up" | "turn", ended: number): Promise<void>;
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
    const { workload, target, around } = contender;
    const name = contender.label ?? target.name;
    const connections = connectionsOf(workload, options);
    const data = contender.data ?? dataFor(target);
    const source = workload.requests(data);
    let sent = 0;
    const next = () => {
      sent++;
      return source();
    };
    await around?.before();
    const first = await call(target, next());
    if (first.status >= 300) {
      await around?.after("warm-up", Date.now());
      failed.push({ contender, data, sent, failure: `${name}: ${first.status} ${JSON.stringify(first.body).slice(0, 200)}` });
      continue;
    }
    console.error(`${workload.id} ${name}: ${workload.title(data)} (${connections} connection${connections > 1 ? "s" : ""})`);
    if (options.warmup > 0 && workload.amount === undefined) await measure(target, next, { seconds: options.warmup, connections });
    const warmed = Date.now();
    await settle(target);
    await around?.after("warm-up", warmed);
    ready.push({ contender, data, next, sent: () => sent, connections });
  }

  const rounds = ready.length > 1 && ready.every(({ contender }) => contender.workload.amount === undefined) ? options.rounds : 1;
  const runs = new Map<Contender, Measurement[]>(ready.map(({ contender }) => [contender, []]));
  for (let round = 0; round < rounds; round++) {
    for (const { contender, next, connections } of round % 2 === 0 ? ready : [...ready].reverse()) {
      const { workload, target, around } = contender;
      const amount = workload.amount === undefined ? {} : { amount: workload.amount };
      const profiler = target === servers.ours ? servers.profiler : undefined;
      await around?.before();
      if (profiler) await ask(profiler, { profile: "start" });
      (runs.get(contender) as Measurement[]).push(await measure(target, next, { seconds: options.duration / rounds, connections, ...amount }));
      const ended = Date.now();
      await settle(target);
      await around?.after("turn", ended);
      const profileName = contender.label === undefined ? workload.id : `${workload.id}-${contender.label}`;
      if (profiler) console.error(`  profile: ${(await ask<{ profiled: string }>(profiler, { profile: "stop", name: profileName })).profiled}`);
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

// What --events measured (docs/benchmarks.md, "Change events").
interface Delivery {
  readonly rows: readonly DeliveryRow[];
  readonly drain: Drain;
}

// A write of ours without a subscription and with the webhook subscription, in turns.
interface DeliveryRow {
  readonly workload: Workload;
  readonly title: string;
  readonly plain?: Measurement;
  readonly subscribed?: Measurement;
  readonly notes: readonly string[];
  // The events written during the subscribed turns, and what the receiver got of them.
  readonly written: number;
  readonly received: ReceiverStats;
  // From commit to arrival, in milliseconds, sorted: bounded from above (outbox.ts, watchCommits).
  readonly delays: readonly number[];
  // The longest time from the end of a subscribed turn to the arrival of its last event, over
  // the turns whose events all arrived; and the turns whose events had not all arrived when the
  // wait for them ended.
  readonly caughtUpMs: number;
  readonly behind: number;
  readonly receiverCpuSeconds: number;
}

interface Drain {
  readonly events: number;
  readonly appendSeconds: number;
  // From the replay to the arrival of the last event (or to the end of the wait).
  readonly seconds: number;
  readonly received: ReceiverStats;
  readonly serverCpuSeconds: number;
  readonly receiverCpuSeconds: number;
}

interface Receiver {
  readonly child: ChildProcess;
  readonly pid: number;
  // Where the subscriptions point.
  readonly url: string;
}

// How long the events of a subscribed turn are waited for once it has settled; those still
// missing then are reported as not delivered.
const catchUpMs = 10_000;

// How often the tenant's last sequence is read to time commits.
const commitReadMs = 5;

// Change-event delivery (--events), once the table's workloads have run. The receiver starts
// only now, so that the table's runs are the same with and without --events.
async function measureDelivery(
  writes: readonly Workload[],
  servers: Servers,
  ourUrl: string,
  dataFor: (contender: string, reservePool: number) => WorkloadData,
  options: Options,
): Promise<Delivery> {
  const started = await startChild<{ port: number }>("receiver", "test/bench/receiver.ts", {});
  const receiver: Receiver = { child: started.child, pid: started.child.pid as number, url: `http://127.0.0.1:${started.message.port}/scim-events` };
  const outbox = await openOutbox(ourUrl, benchTenant);
  cleanups.push(() => outbox.close());
  await outbox.unsubscribeAll();
  const rows: DeliveryRow[] = [];
  for (const workload of writes) rows.push(await compareDelivery(workload, servers, outbox, receiver, dataFor, options));
  const drain = await drainBacklog(servers.ours, outbox, receiver, dataFor("backlog", 0), options.backlog);
  return { rows, drain };
}

// Two contenders on our server taking turns: one without a subscription, one whose turns (and
// warm-up) each run with a webhook subscription created just before them. A new subscription
// starts at the tenant's last event, so it is sent only the events of its own turn; after the
// turn the receiver is waited for until it has all of them, and the subscription is removed, so
// that no delivery runs into the other contender's turn.
async function compareDelivery(
  workload: Workload,
  servers: Servers,
  outbox: BenchOutbox,
  receiver: Receiver,
  dataFor: (contender: string, reservePool: number) => WorkloadData,
  options: Options,
): Promise<DeliveryRow> {
  let cursor = 0;
  let written = 0;
  let arrived = 0;
  let caughtUpMs = 0;
  let behind = 0;
  let receiverCpuSeconds = 0;
  let receiverCpuAt = 0;
  let commits: CommitWatch | undefined;
  const delays: number[] = [];
  const subscribed: TurnHooks = {
    async before() {
      commits = watchCommits(outbox, commitReadMs);
      await commits.ready;
      cursor = (await outbox.subscribe(receiver.url)).cursor;
      receiverCpuAt = cpuSeconds(receiver.pid);
    },
    async after(phase, ended) {
      const last = await outbox.lastSequence();
      const events = last - cursor;
      const expected = (phase === "turn" ? arrived : 0) + events;
      const stats = await receiverCount(receiver, expected, catchUpMs);
      const committed = await (commits as CommitWatch).stop();
      const { arrivals } = await ask<ReceiverStats>(receiver.child, { stats: "arrivals" });
      await outbox.unsubscribeAll();
      if (phase === "warm-up") {
        await ask(receiver.child, { stats: "reset" });
        return;
      }
      for (const [sequence, at] of arrivals ?? []) {
        const notBefore = sequence > cursor && sequence <= last ? committed(sequence) : undefined;
        if (notBefore !== undefined) delays.push(at - notBefore);
      }
      receiverCpuSeconds += cpuSeconds(receiver.pid) - receiverCpuAt;
      written += events;
      arrived = stats.distinct;
      if (stats.distinct < expected) behind++;
      else if (events > 0) caughtUpMs = Math.max(caughtUpMs, (stats.last ?? ended) - ended);
    },
  };
  const contenders: Contender[] = [
    { workload, target: servers.ours, label: "ours", data: dataFor("ours-plain", 1) },
    { workload, target: servers.ours, label: "ours+webhook", data: dataFor("ours-webhook", 2), around: subscribed },
  ];
  await ask(receiver.child, { stats: "reset" });
  const turns = await takeTurns(contenders, servers, () => contenders[0]?.data as WorkloadData, options);
  const received = await ask<ReceiverStats>(receiver.child, { stats: "read" });
  const notes: string[] = [];
  for (const { contender, data, sent, result, failure } of turns) {
    if (failure) notes.push(failure);
    if (!result) continue;
    if (result.non2xx > 0 || result.errors > 0) notes.push(`${contender.label}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    notes.push(...(workload.notes?.(data, result.perSecond, sent) ?? []).map((note) => `${contender.label}: ${note}`));
  }
  const [plain, withWebhook] = turns.map((turn) => turn.result);
  if (withWebhook && withWebhook.requests > 0) notes.push(`${fixed(written / withWebhook.requests, 2)} events per request`);
  delays.sort((x, y) => x - y);
  return {
    workload,
    title: workload.title(contenders[0]?.data as WorkloadData),
    ...(plain ? { plain } : {}),
    ...(withWebhook ? { subscribed: withWebhook } : {}),
    notes,
    written,
    received,
    delays,
    caughtUpMs,
    behind,
    receiverCpuSeconds,
  };
}

// The receiver's counts once it has `distinct` events, or once `timeoutMs` have passed.
async function receiverCount(receiver: Receiver, distinct: number, timeoutMs: number, onCount?: (distinct: number) => void): Promise<ReceiverStats> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const stats = await ask<ReceiverStats>(receiver.child, { stats: "count" });
    onCount?.(stats.distinct);
    if (stats.distinct >= distinct || performance.now() >= deadline) return stats;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// A backlog: `count` copies of a user.created event that our server wrote, appended to the
// outbox while nothing is subscribed, then a subscription replayed from the first of them; timed
// until the receiver has them all. The wait ends, whatever has arrived, after four times as long
// as the target's rate allows.
async function drainBacklog(ours: Target, outbox: BenchOutbox, receiver: Receiver, data: WorkloadData, count: number): Promise<Drain> {
  await outbox.unsubscribeAll();
  const before = await outbox.lastSequence();
  const created = await call(ours, (workloadById("d") as Workload).requests(data)());
  const template = (await outbox.eventsOf(String(created.body?.id), before)).find((event) => event.type === "user.created");
  if (created.status !== 201 || template === undefined) throw new Error(`no user.created event to copy: POST /Users answered ${created.status}`);
  const appending = progress(`backlog: appending ${count} events`, count);
  const appendStarted = performance.now();
  const { first } = await outbox.appendCopies(template, count, appending.update);
  appending.done();
  const appendSeconds = (performance.now() - appendStarted) / 1000;
  const { id } = await outbox.subscribe(receiver.url);
  await ask(receiver.child, { stats: "reset" });
  const cpuAt = { server: cpuSeconds(ours.pid), receiver: cpuSeconds(receiver.pid) };
  const draining = progress("backlog: delivered", count);
  const started = Date.now();
  await outbox.replay(id, first);
  const counted = await receiverCount(receiver, count, count * 4, draining.update);
  const ended = counted.distinct >= count ? (counted.last ?? Date.now()) : Date.now();
  draining.done();
  const serverCpuSeconds = cpuSeconds(ours.pid) - cpuAt.server;
  const receiverCpuSeconds = cpuSeconds(receiver.pid) - cpuAt.receiver;
  await outbox.unsubscribeAll();
  const received = await ask<ReceiverStats>(receiver.child, { stats: "read" });
  return { events: count, appendSeconds, seconds: (ended - started) / 1000, received, serverCpuSeconds, receiverCpuSeconds };
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
  readonly events: Delivery | undefined;
  readonly fullImport: FullImport | undefined;
}

function report({ options, started, startLoad, endLoad, rows, ourPeak, baselinePeak, idleRss, fixture, reserve, events, fullImport }: Report): void {
  const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(" ");
  const out: string[] = [];
  out.push(`npm run bench -- ${process.argv.slice(2).join(" ")}`.trimEnd());
  out.push("");
  out.push(`- ${started.toISOString()}; ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? "?"}), ${mb(totalmem())} MB memory (${mb(freemem())} MB free at the end), Node ${process.version}`);
  out.push(`- load average at start ${load(startLoad)}, at end ${load(endLoad)}${startLoad[0]! > 0.5 * cpus().length ? " — the machine was busy: refresh these figures on a quiet machine" : ""}`);
  out.push(
    options.log
      ? `- ours on ${options.db === "sqlite" ? "SQLite" : "PostgreSQL"} with the provisioning log on (PROVISIONING_LOG=all); the "baseline" columns are ours with it off, on a copy of the same data`
      : options.db === "sqlite"
        ? "- ours on SQLite; the baseline (Express 5 + prepared better-sqlite3 statements) on SQLite"
        : `- ours on PostgreSQL (127.0.0.1)${options.workers > 1 ? ` as ${options.workers} processes (WORKERS=${options.workers}; CPU and RSS are their sums)` : ""}; the baseline (Express 5 + pg with named prepared statements, a pool of 10, one process) on another database of the same PostgreSQL`,
  );
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
  out.push(options.log ? "Targets (issue #19):" : "Targets (issue #6):");
  const byId = new Map(rows.map((row) => [row.workload.id, row]));
  for (const row of rows.filter((row) => row.workload.compared)) {
    if (!row.ours || !row.baseline) continue;
    const ratio = row.ours.perSecond / row.baseline.perSecond;
    if (options.log) out.push(`- (${row.workload.id}) with the log ≥ 0.95x without: ${fixed(ratio, 2)}x ${ratio >= 0.95 ? "met" : "MISSED"}`);
    else out.push(`- (${row.workload.id}) ≥ 0.8x baseline${options.db === "postgres" ? " on PostgreSQL (issue #20)" : ""}: ${fixed(ratio, 2)}x ${ratio >= 0.8 ? "met" : "MISSED"}`);
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
  if (fullImport) out.push("", ...importReport(fullImport));
  if (events) out.push("", ...deliveryReport(events, options));
  console.log(out.join("\n"));
}

const perEvent = (cpu: number, events: number) => (events > 0 ? fixed((cpu * 1e6) / events, 0) : "-");

function deliveryReport({ rows, drain }: Delivery, options: Options): string[] {
  const out: string[] = [];
  out.push("Change events: each write on ours without a subscription and with one webhook subscription to a receiver on 127.0.0.1 that answers 200, in turns; the events of the turns with the subscription, from commit to receiver; a backlog drained to the receiver.");
  out.push("");
  out.push("| workload | req/s | with webhook req/s | with/without | CPU µs/req | with webhook CPU µs/req | p99 ms | with webhook p99 ms | notes |");
  out.push("|---|---:|---:|---:|---:|---:|---:|---:|---|");
  for (const row of rows) {
    const { plain, subscribed } = row;
    const ratio = plain && subscribed ? `**${fixed(subscribed.perSecond / plain.perSecond, 2)}x**` : "";
    out.push(
      `| (${row.workload.id}) ${row.title.replace(/\|/g, "\\|")} | ${plain ? rate(plain.perSecond) : "-"} | ${subscribed ? rate(subscribed.perSecond) : "-"} | ${ratio} | ${plain ? cpuPerRequest(plain) : "-"} | ${subscribed ? cpuPerRequest(subscribed) : "-"} | ${plain ? fixed(plain.p99, 2) : "-"} | ${subscribed ? fixed(subscribed.p99, 2) : "-"} | ${row.notes.join("; ")} |`,
    );
  }
  out.push("");
  out.push(
    `Commit to receiver, the measured turns with the webhook (commits timed by reading the tenant's last sequence every ${commitReadMs} ms from another connection, so each delay is an upper bound; in brackets, the receiver's clock minus the event's occurredAt):`,
  );
  for (const row of rows) {
    const { received, delays } = row;
    const caughtUp = row.behind > 0 ? `${row.behind} turn${row.behind > 1 ? "s" : ""} still missing events ${catchUpMs / 1000} s after settling` : `the last event of a turn arrived at most ${fixed(row.caughtUpMs, 0)} ms after its end`;
    const ms = (value: number | undefined) => `${fixed(value ?? Number.NaN, 0)} ms`;
    out.push(
      `- (${row.workload.id}) p50 ${ms(percentile(delays, 0.5))}, p99 ${ms(percentile(delays, 0.99))}, max ${ms(delays.at(-1))} over ${delays.length} events (occurredAt: p50 ${ms(received.p50)}, p99 ${ms(received.p99)}, max ${ms(received.max)}); ${row.written} events written, ${received.distinct} delivered${received.count > received.distinct ? ` (${received.count - received.distinct} twice)` : ""}; ${caughtUp}; receiver ${perEvent(row.receiverCpuSeconds, received.count)} µs CPU/event`,
    );
  }
  const drained = drain.received.distinct;
  const drainRate = drained / drain.seconds;
  out.push("");
  out.push(
    `Backlog: ${drain.events} user.created events appended in ${fixed(drain.appendSeconds, 1)} s; ${drained} delivered in ${fixed(drain.seconds, 1)} s from the replay: ${fixed(drainRate, 0)} events/s; our server ${perEvent(drain.serverCpuSeconds, drained)} µs CPU/event, receiver ${perEvent(drain.receiverCpuSeconds, drained)} µs CPU/event`,
  );
  out.push("");
  out.push("Targets (change events):");
  for (const row of rows) {
    if (!row.plain || !row.subscribed) continue;
    const ratio = row.subscribed.perSecond / row.plain.perSecond;
    out.push(`- (${row.workload.id}) with a webhook ≥ 0.9x without: ${fixed(ratio, 2)}x ${ratio >= 0.9 ? "met" : "MISSED"}`);
  }
  const posts = rows.find((row) => row.workload.id === "d");
  if (posts) {
    const p99 = percentile(posts.delays, 0.99);
    const all = posts.received.distinct >= posts.written;
    out.push(`- (d) commit to receiver p99 < 1 s, every event delivered: p99 ${fixed(p99, 0)} ms, ${posts.received.distinct} of ${posts.written} ${p99 < 1000 && all ? "met" : "MISSED"}`);
  }
  out.push(`- a backlog of ${drain.events} drains at ≥ 1000 events/s: ${fixed(drainRate, 0)} events/s${drained < drain.events ? ` (${drained} of ${drain.events} arrived)` : ""} ${drainRate >= 1000 && drained >= drain.events ? "met" : "MISSED"}`);
  return out;
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
