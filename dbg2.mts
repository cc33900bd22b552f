import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./src/store/generated/sqlite/client.ts";
const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: "/tmp/dbg/scim.db" }), log: [{ emit: "event", level: "query" }] });
(prisma as any).$on("query", (e: any) => console.log(e.query, e.params));
console.log(await prisma.user.groupBy({ by: ["tenantId"], where: { tenantId: "x", familyName: { gte: "sm", lt: "sn" } }, _count: { _all: true } }));
await prisma.$disconnect();
