import type { Db } from "../database.ts";
import { maxElementOwners, type ElementOwners } from "./list.ts";

// The owners of element rows meeting a condition, read from the element table by its index.
export function elementOwners(prisma: Db): ElementOwners {
  return async (location, where) => {
    const delegate = prisma[location.model] as unknown as {
      findMany(args: { where: unknown; select: Record<string, true>; take: number }): Promise<Array<Record<string, unknown>>>;
    };
    const rows = await delegate.findMany({ where, select: { [location.owner]: true }, take: maxElementOwners + 1 });
    if (rows.length > maxElementOwners) return undefined;
    return [...new Set(rows.map((row) => row[location.owner]).filter((id): id is string => typeof id === "string"))];
  };
}
