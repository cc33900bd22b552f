import type { ListQuery, Page } from "../scim/ports.ts";

// Every resource a list query matches, read by cursor (RFC 9865) one page of `pageSize` at a
// time: for the compat APIs whose lists are not paged (docs/compat/README.md §9).
export async function everyPage<T>(
  list: (query: ListQuery) => Promise<Page<T>>,
  query: Pick<ListQuery, "filter" | "sortBy" | "sortOrder">,
  pageSize: number,
): Promise<T[]> {
  const results: T[] = [];
  let cursor: string | undefined = "";
  while (cursor !== undefined) {
    const page: Page<T> = await list({ ...query, startIndex: 1, count: pageSize, cursor });
    results.push(...page.resources);
    cursor = page.nextCursor;
  }
  return results;
}
