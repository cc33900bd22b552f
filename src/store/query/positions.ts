import { printFilter } from "../../scim/filter/print.ts";
import type { ListQuery } from "../../scim/ports.ts";
import type { ResourceTable } from "../tables.ts";
import type { KeyValue } from "./cursor.ts";

// Where recently served startIndex pages (RFC 7644 §3.4.2.4) ended, per tenant and query, so that
// the page right after one already served starts with an index seek at that row (as a cursor
// does) instead of walking OFFSET rows: an IdP's full import walks every page in turn, and late in
// a large tenant a page's OFFSET is most of its cost (docs/benchmarks.md, "Scale").
//
// A position holds only while the tenant is as it was when the page was read: it is kept with
// the tenant's stamp (list.ts, stampColumns: its event sequence, layout changes and row count),
// read in the same statement as the page, and a page read from a position is served only when
// its own stamp is the same; any write in the tenant in between changes the stamp, and the page is
// read again by OFFSET. The memory is bounded: the least recently used queries are forgotten
// first, and each keeps its last few positions.

export interface PagePosition {
  readonly stamp: string;
  readonly id: string;
  readonly value: KeyValue | Date;
}

export class PagePositions {
  readonly #queries = new Map<string, Map<number, PagePosition>>();

  constructor(
    private readonly maxQueries = 1000,
    private readonly positionsPerQuery = 4,
  ) {}

  // The row a page that starts after `offset` rows continues from, when one was remembered.
  at(query: string, offset: number): PagePosition | undefined {
    const positions = this.#queries.get(query);
    if (positions === undefined) return undefined;
    // Most recently used last.
    this.#queries.delete(query);
    this.#queries.set(query, positions);
    return positions.get(offset);
  }

  // Remembers that `offset` rows end with `position`'s row.
  remember(query: string, offset: number, position: PagePosition): void {
    let positions = this.#queries.get(query);
    if (positions === undefined) {
      if (this.#queries.size >= this.maxQueries) this.#queries.delete(this.#queries.keys().next().value as string);
      positions = new Map();
    } else {
      this.#queries.delete(query);
    }
    this.#queries.set(query, positions);
    // Positions of an older stamp can never be used again.
    for (const [at, kept] of positions) if (kept.stamp !== position.stamp) positions.delete(at);
    positions.delete(offset);
    positions.set(offset, position);
    if (positions.size > this.positionsPerQuery) positions.delete(positions.keys().next().value as number);
  }

  get size(): number {
    return this.#queries.size;
  }
}

// What a position belongs to: the tenant, the resource and what orders and selects its rows.
export function positionsKey(tenantId: string, table: ResourceTable, query: ListQuery): string {
  return `${tenantId}\u0000${table}\u0000${query.filter ? printFilter(query.filter) : ""}\u0000${query.sortBy?.path ?? ""}\u0000${query.sortOrder ?? ""}`;
}
