import type { AdminCredentialRecord, AdminCredentialStore } from "../auth/ports.ts";
import { sqlDate, type Sql } from "./driver/sql.ts";
import type { ReadRow } from "./tables.ts";

// The admin API's credentials (schema.prisma, AdminCredential).

type Row = ReadRow<"AdminCredential", "id" | "secretHash" | "createdAt" | "revokedAt">;

const selectCredential = `SELECT "id", "secretHash", "createdAt", "revokedAt" FROM "AdminCredential"`;

export class SqlAdminCredentialStore implements AdminCredentialStore {
  constructor(private readonly sql: Sql) {}

  async record(id: string, secretHash: string): Promise<void> {
    await this.sql.execute(`INSERT INTO "AdminCredential" ("id", "secretHash", "createdAt") VALUES (?, ?, ?)`, [id, secretHash, new Date()]);
  }

  async find(id: string): Promise<AdminCredentialRecord | undefined> {
    const [row] = await this.sql.query<Row>(`${selectCredential} WHERE "id" = ?`, [id]);
    return row === undefined ? undefined : recordOf(row);
  }

  async list(): Promise<AdminCredentialRecord[]> {
    return (await this.sql.query<Row>(`${selectCredential} ORDER BY "createdAt" DESC, "id"`, [])).map(recordOf);
  }

  async revoke(id: string): Promise<boolean> {
    return (await this.sql.execute(`UPDATE "AdminCredential" SET "revokedAt" = ? WHERE "id" = ? AND "revokedAt" IS NULL`, [new Date(), id])) > 0;
  }
}

function recordOf(row: Row): AdminCredentialRecord {
  return {
    id: row.id,
    secretHash: row.secretHash,
    createdAt: sqlDate(row.createdAt),
    ...(row.revokedAt === null ? {} : { revokedAt: sqlDate(row.revokedAt) }),
  };
}
