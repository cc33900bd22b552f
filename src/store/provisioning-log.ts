import type {
  ActivityBucket, ActivityPoint, Client, LogEntry, LogEntryDetail, LoggedRequest, LogQuery, ProvisioningLogStore, Pruned,
} from "../provisioning-log/entry.ts";
import { sqlDate, type Sql, type SqlValue } from "./driver/sql.ts";
import { inChunks, insertSql } from "./query/statements.ts";
import type { ColumnOf, ReadRow } from "./tables.ts";

// The provisioning log (schema.prisma, ProvisioningRequest). Every read is scoped to one tenant
// and walks the (tenantId, id) index, or (tenantId, status, id) and (tenantId, resourceId, id)
// when the filter names a status or a resource.

type EntryColumn =
  | "id" | "tenantId" | "at" | "surface" | "client" | "userAgent" | "method" | "path" | "status" | "scimType" | "detail" | "durationMs"
  | "resourceType" | "resourceId";

const entryColumns = `"id", "tenantId", "at", "surface", "client", "userAgent", "method", "path", "status", "scimType", "detail", "durationMs",
  "resourceType", "resourceId"`;

export class SqlProvisioningLogStore implements ProvisioningLogStore {
  constructor(private readonly sql: Sql) {}

  // The log's rows are written far more often than any other table's, so their statements are
  // built here from a fixed column list rather than by insertSql, which reads each row's keys.
  async append(entries: readonly LoggedRequest[]): Promise<void> {
    await this.sql.batch(inChunks(entries, (chunk) => ({ text: appendText(chunk.length), args: chunk.flatMap(rowOf) })));
  }

  async list(tenantId: string, query: LogQuery): Promise<LogEntry[]> {
    const conditions = [`"tenantId" = ?`];
    const args: SqlValue[] = [tenantId];
    if (query.status) {
      conditions.push(`"status" BETWEEN ? AND ?`);
      args.push(query.status.from, query.status.to);
    }
    if (query.client) {
      conditions.push(`"client" = ?`);
      args.push(query.client);
    }
    if (query.resourceId !== undefined) {
      conditions.push(`"resourceId" = ?`);
      args.push(query.resourceId);
    }
    if (query.since) {
      conditions.push(`"at" >= ?`);
      args.push(query.since);
    }
    if (query.until) {
      conditions.push(`"at" < ?`);
      args.push(query.until);
    }
    if (query.cursor !== undefined) {
      conditions.push(`"id" < ?`);
      args.push(query.cursor);
    }
    const rows = await this.sql.query<ReadRow<"ProvisioningRequest", EntryColumn>>(
      `SELECT ${entryColumns} FROM "ProvisioningRequest" WHERE ${conditions.join(" AND ")} ORDER BY "id" DESC LIMIT ?`,
      [...args, query.limit],
    );
    return rows.map(entryOf);
  }

  async get(tenantId: string, id: number): Promise<LogEntryDetail | undefined> {
    const [row] = await this.sql.query<ReadRow<"ProvisioningRequest", EntryColumn | "requestBody" | "responseBody">>(
      `SELECT ${entryColumns}, "requestBody", "responseBody" FROM "ProvisioningRequest" WHERE "tenantId" = ? AND "id" = ?`,
      [tenantId, id],
    );
    if (row === undefined) return undefined;
    return { ...entryOf(row), requestBody: row.requestBody, responseBody: row.responseBody };
  }

  async activity(tenantId: string, since: Date, bucket: ActivityBucket): Promise<ActivityPoint[]> {
    const rows = await this.sql.query<{ bucket: unknown; client: string; requests: unknown; errors: unknown }>(
      `SELECT ${bucketOf(this.sql.dialect, bucket)} AS "bucket", "client", COUNT(*) AS "requests",
         SUM(CASE WHEN "status" >= 400 THEN 1 ELSE 0 END) AS "errors"
       FROM "ProvisioningRequest" WHERE "tenantId" = ? AND "at" >= ?
       GROUP BY 1, 2 ORDER BY 1, 2`,
      [tenantId, since],
    );
    return rows.map((row) => ({
      at: row.bucket instanceof Date ? row.bucket : new Date(`${row.bucket as string}${bucket === "minute" ? ":00" : ":00:00"}Z`),
      client: row.client as Client,
      requests: Number(row.requests),
      errors: Number(row.errors),
    }));
  }

  async prune(before: Date, maxBytes: number): Promise<Pruned> {
    const expired = await this.sql.execute(`DELETE FROM "ProvisioningRequest" WHERE "at" < ?`, [before]);
    // The newest entries that fit in maxBytes stay: the first id (newest first) at which the
    // running total passes it is where deleting starts.
    const [first] = await this.sql.query<{ id: unknown }>(
      `SELECT "id" FROM (SELECT "id", SUM("bytes") OVER (ORDER BY "id" DESC) AS "total" FROM "ProvisioningRequest") AS running
       WHERE "total" > ? ORDER BY "id" DESC LIMIT 1`,
      [maxBytes],
    );
    const overSize = first === undefined ? 0 : await this.sql.execute(`DELETE FROM "ProvisioningRequest" WHERE "id" <= ?`, [Number(first.id)]);
    return { expired, overSize };
  }
}

const appendedColumns = [
  "tenantId", "at", "surface", "client", "userAgent", "method", "path", "status", "scimType", "detail", "durationMs", "resourceType", "resourceId",
  "requestBody", "responseBody", "bytes",
] as const satisfies readonly ColumnOf<"ProvisioningRequest">[];

function rowOf(entry: LoggedRequest): SqlValue[] {
  return [
    entry.tenantId, entry.at, entry.surface, entry.client, entry.userAgent, entry.method, entry.path, entry.status, entry.scimType, entry.detail,
    entry.durationMs, entry.resourceType, entry.resourceId, entry.requestBody, entry.responseBody, entrySize(entry),
  ];
}

const appendTexts = new Map<number, string>();

function appendText(rows: number): string {
  let text = appendTexts.get(rows);
  if (text === undefined) {
    text = insertSql("ProvisioningRequest", Array.from({ length: rows }, () => Object.fromEntries(appendedColumns.map((column) => [column, null])))).text;
    appendTexts.set(rows, text);
  }
  return text;
}

function entryOf(row: ReadRow<"ProvisioningRequest", EntryColumn>): LogEntry {
  return {
    id: Number(row.id),
    tenantId: row.tenantId,
    at: sqlDate(row.at),
    surface: row.surface,
    client: row.client as Client,
    userAgent: row.userAgent,
    method: row.method,
    path: row.path,
    status: Number(row.status),
    scimType: row.scimType,
    detail: row.detail,
    durationMs: Number(row.durationMs),
    resourceType: row.resourceType,
    resourceId: row.resourceId,
  };
}

// What an entry takes, counted against PROVISIONING_LOG_MAX_MB: its texts and a fixed overhead
// for the row and its index entries.
function entrySize(entry: LoggedRequest): number {
  return (
    rowOverhead +
    entry.path.length +
    (entry.userAgent?.length ?? 0) +
    (entry.detail?.length ?? 0) +
    (entry.requestBody?.length ?? 0) +
    (entry.responseBody?.length ?? 0)
  );
}

const rowOverhead = 200;

// The start of an entry's minute or hour: ISO text cut short on SQLite (DateTime is stored as
// ISO 8601 text in UTC), date_trunc on PostgreSQL.
function bucketOf(dialect: Sql["dialect"], bucket: ActivityBucket): string {
  if (dialect === "postgresql") return `date_trunc('${bucket}', "at")`;
  return `substr("at", 1, ${bucket === "minute" ? 16 : 13})`;
}
