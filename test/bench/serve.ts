import cluster from "node:cluster";
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { readConfig } from "../../src/config.ts";
import { createHttpServer } from "../../src/http/listener.ts";
import { buildServer } from "../../src/server.ts";

// Our server as the benchmark runs it: a child process of its own, so that the load generator
// does not share its event loop, built and started exactly as src/main.ts does it (request log
// included, written to the child's stdout, which the runner discards; event delivery and the
// provisioning log started once it listens). The database is seeded already.
//
// Bundled by the runner and started with plain node, as `npm start` runs src/main.ts, with
// DATABASE_URL and BENCH_TENANT set; it sends
// `{ port, token }` to its parent once it listens on 127.0.0.1.

const tenantName = process.env.BENCH_TENANT;
if (!tenantName) throw new Error("BENCH_TENANT is required");

// With BENCH_WORKERS=N (--workers), this process starts N server processes on one port, as
// WORKERS=N does (src/workers.ts), and tells its parent their pids once all of them listen.
const workers = Number(process.env.BENCH_WORKERS ?? 1);
if (workers > 1 && cluster.isPrimary) {
  const listening: Array<{ port: number; token: string; pid: number }> = [];
  for (let index = 0; index < workers; index += 1) {
    const worker = cluster.fork();
    worker.on("message", (message: { port: number; token: string }) => {
      listening.push({ ...message, pid: worker.process.pid as number });
      if (listening.length === workers) process.send?.({ port: message.port, token: message.token, pids: listening.map((entry) => entry.pid) });
    });
  }
  const stopAll = () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
  };
  cluster.on("exit", () => {
    if (Object.values(cluster.workers ?? {}).every((worker) => worker === undefined || worker.isDead())) process.exit(0);
  });
  process.on("SIGTERM", stopAll);
  process.on("disconnect", stopAll);
} else {
  await serve(tenantName);
}

async function serve(tenantName: string): Promise<void> {
  const config = readConfig({ ...process.env, HOST: "127.0.0.1", PORT: "0" });
  const server = await buildServer(config);
  const tenant = await server.tenants.ensure(tenantName);
  const { token } = await server.tokens.issue({ tenantId: tenant.id, scopes: ["scim:read", "scim:write"] });

  const listener = createHttpServer(server.app).listen(0, "127.0.0.1", () => {
    server.delivery.start();
    server.provisioningLog.start();
    process.send?.({ port: (listener.address() as AddressInfo).port, token });
  });

  // With BENCH_PROFILE_DIR set, the runner brackets each measured run with { profile: "start" }
  // and { profile: "stop", name }, and gets { profiled: file } back.
  const profileDir = process.env.BENCH_PROFILE_DIR;
  if (profileDir) {
    const session = new Session();
    session.connect();
    await session.post("Profiler.enable");
    process.on("message", (message: { profile?: "start" | "stop"; name?: string }) => {
      void (async () => {
        if (message.profile === "start") {
          await session.post("Profiler.start");
          process.send?.({ profiling: true });
        } else if (message.profile === "stop") {
          const { profile } = await session.post("Profiler.stop");
          const file = join(profileDir, `${message.name ?? "run"}.cpuprofile`);
          writeFileSync(file, JSON.stringify(profile));
          process.send?.({ profiled: file });
        }
      })();
    });
  }

  const stop = () => {
    listener.close(() => void server.close().then(() => process.exit(0)));
    listener.closeAllConnections();
  };
  process.on("SIGTERM", stop);
  process.on("disconnect", stop);
}
