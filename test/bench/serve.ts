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
