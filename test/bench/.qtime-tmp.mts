import Database from "better-sqlite3";
import pino from "pino";
import request from "supertest";
const probe = new Database(":memory:");
const Statement = probe.prepare("select 1").constructor as any;
const timing = new Map<string, { n: number; ms: number }>();
let active = false;
for (const method of ["all", "run", "get"]) {
  const original = Statement.prototype[method];
  Statement.prototype[method] = function (...args: unknown[]) {
    const t = performance.now();
    try { return original.apply(this, args); } finally {
      if (active) { const key = (this.source as string).replace(/`main`\./g, "").replace(/\s+/g, " ").replace(/\(\?(,\?)+\)/g, "(?…)").slice(0, 160); const e = timing.get(key) ?? { n: 0, ms: 0 }; e.n++; e.ms += performance.now() - t; timing.set(key, e); }
    }
  };
}
const { readConfig } = await import("/work/main/src/config.ts");
const { buildServer } = await import("/work/main/src/server.ts");
const { openDatabase } = await import("/work/main/src/store/database.ts");
const { seedUsers, seedGroup, analyze } = await import("/work/main/src/store/seed.ts");
const { PrismaTenantStore } = await import("/work/main/src/store/tenants.ts");
const N = Number(process.argv[2] ?? 100000);
const url = `file:/tmp/benchdev/qtime-${N}.db`;
const db = await openDatabase(url);
const t = await new PrismaTenantStore(db.prisma).ensure("bench");
if ((await db.prisma.user.count()) === 0) {
  const ids = await seedUsers(db, t.id, N, {});
  await seedGroup(db, t.id, "All Staff", ids);
  for (let i = 0; i < 50; i++) await seedGroup(db, t.id, `Team ${i}`, ids.slice(i * 20, i * 20 + 20));
  await analyze(db);
}
await db.close();
const server = await buildServer(readConfig({ DATABASE_URL: url, TOKEN_SECRET: "x".repeat(40) }), pino({ level: "silent" }));
const { token } = await server.tokens.issue({ tenantId: t.id, scopes: ["scim:read", "scim:write"] });
const agent = request(server.app);
const paths = process.argv.slice(3);
for (const path of paths) {
  await agent.get(path).set("Authorization", `Bearer ${token}`);
  timing.clear(); active = true;
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) await agent.get(path).set("Authorization", `Bearer ${token}`);
  const total = performance.now() - t0; active = false;
  console.log(`== ${path}: ${(total / 20).toFixed(1)} ms per request (wall, in-process)`);
  for (const [sql, e] of timing) console.log(`   ${(e.ms / e.n).toFixed(2).padStart(7)} ms x${e.n / 20}  ${sql}`);
}
await server.close();
