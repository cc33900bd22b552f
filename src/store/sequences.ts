import type { SequenceStore } from "../scim/ports.ts";
import type { Db } from "./database.ts";

// Per-tenant counters in the Sequence table. One upsert (INSERT ... ON CONFLICT DO UPDATE ...
// RETURNING) per number: atomic on both databases, so concurrent servers never hand out the same
// number twice.
export class PrismaSequenceStore implements SequenceStore {
  constructor(private readonly prisma: Db) {}

  async next(tenantId: string, name: string): Promise<number> {
    const row = await this.prisma.sequence.upsert({
      where: { tenantId_name: { tenantId, name } },
      create: { tenantId, name, last: 1 },
      update: { last: { increment: 1 } },
      select: { last: true },
    });
    return row.last;
  }
}
