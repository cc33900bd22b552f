import { useEffect, useState } from "preact/hooks";
import { query, tenantPath, type ListResponse } from "../api.ts";
import { formatTime } from "../format.ts";
import { useLoad } from "../load.ts";
import { navigate, withQuery } from "../router.tsx";
import { Empty, ErrorNotice, Loading, TableBox } from "../widgets.tsx";

const pageSize = 25;

interface Resource {
  readonly id: string;
  readonly externalId?: string;
  readonly meta?: { readonly lastModified?: string };
  readonly [attribute: string]: unknown;
}

interface Column {
  readonly heading: string;
  readonly value: (resource: Resource) => string;
}

const columns: Record<"Users" | "Groups", readonly Column[]> = {
  Users: [
    { heading: "userName", value: (user) => text(user["userName"]) },
    { heading: "Name", value: (user) => personName(user) },
    { heading: "Email", value: (user) => primaryValue(user["emails"]) },
    { heading: "Active", value: (user) => (user["active"] === false ? "no" : user["active"] === true ? "yes" : "") },
    { heading: "externalId", value: (user) => text(user.externalId) },
    { heading: "Last modified", value: (user) => formatTime(user.meta?.lastModified) },
    { heading: "id", value: (user) => user.id },
  ],
  Groups: [
    { heading: "displayName", value: (group) => text(group["displayName"]) },
    { heading: "externalId", value: (group) => text(group.externalId) },
    { heading: "Last modified", value: (group) => formatTime(group.meta?.lastModified) },
    { heading: "id", value: (group) => group.id },
  ],
};

// A tenant's users or groups as the tenant's SCIM clients see them, read-only, with a SCIM filter
// (RFC 7644 §3.4.2.2) and pages. The filter and the page are in the URL.
export function Resources(props: { readonly tenant: string; readonly kind: "Users" | "Groups"; readonly location: URL }) {
  const filter = props.location.searchParams.get("filter") ?? "";
  const startIndex = Math.max(1, Number(props.location.searchParams.get("startIndex") ?? "1") || 1);
  const list = useLoad<ListResponse<Resource>>(tenantPath(props.tenant, `/${props.kind}${query({ filter, startIndex, count: pageSize })}`));
  const [draft, setDraft] = useState(filter);
  useEffect(() => setDraft(filter), [filter]);
  const apply = (event: Event) => {
    event.preventDefault();
    navigate(withQuery(props.location, { filter: draft.trim(), startIndex: "" }));
  };
  const shown = list.data?.Resources ?? [];
  const total = list.data?.totalResults ?? 0;
  const kindColumns = columns[props.kind];
  const noun = props.kind === "Users" ? "users" : "groups";
  return (
    <>
      <h2 class="page-title" tabIndex={-1}>
        {props.kind}
      </h2>
      <form onSubmit={apply} class="inline-form filter-form" role="search">
        <div class="field grow">
          <label for="scim-filter">SCIM filter</label>
          <input
            id="scim-filter"
            value={draft}
            spellcheck={false}
            autoComplete="off"
            placeholder={props.kind === "Users" ? 'userName sw "a"' : 'displayName co "eng"'}
            onInput={(event) => setDraft(event.currentTarget.value)}
          />
        </div>
        <button type="submit" class="primary">
          Apply filter
        </button>
        {filter !== "" ? (
          <button type="button" onClick={() => navigate(withQuery(props.location, { filter: "", startIndex: "" }))}>
            Clear
          </button>
        ) : null}
      </form>
      <ErrorNotice error={list.error} />
      <Loading when={list.loading && list.data === undefined} />
      {list.data ? (
        <>
          <p class="summary" role="status">
            {total === 0 ? `No ${noun}${filter ? " match the filter" : ""}.` : `${startIndex}–${startIndex + shown.length - 1} of ${total} ${noun}`}
          </p>
          <TableBox label={props.kind}>
            <thead>
              <tr>
                {kindColumns.map((column) => (
                  <th scope="col" key={column.heading}>
                    {column.heading}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.length === 0 ? <Empty columns={kindColumns.length}>Nothing to show.</Empty> : null}
              {shown.map((resource) => (
                <tr key={resource.id} class={resource["active"] === false ? "muted" : undefined}>
                  {kindColumns.map((column) => (
                    <td key={column.heading}>{column.value(resource)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </TableBox>
          <nav class="pager" aria-label={`${props.kind} pages`}>
            <button
              type="button"
              disabled={startIndex <= 1}
              onClick={() => navigate(withQuery(props.location, { startIndex: String(Math.max(1, startIndex - pageSize)) }))}
            >
              Previous page
            </button>
            <button
              type="button"
              disabled={startIndex + shown.length > total || shown.length === 0}
              onClick={() => navigate(withQuery(props.location, { startIndex: String(startIndex + pageSize) }))}
            >
              Next page
            </button>
          </nav>
        </>
      ) : null}
    </>
  );
}

function text(value: unknown): string {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : "";
}

function personName(user: Resource): string {
  const name = user["name"] as { formatted?: unknown; givenName?: unknown; familyName?: unknown } | undefined;
  const formatted = text(name?.formatted);
  if (formatted !== "") return formatted;
  const parts = [text(name?.givenName), text(name?.familyName)].filter((part) => part !== "");
  return parts.length > 0 ? parts.join(" ") : text(user["displayName"]);
}

// The primary element's value of a multi-valued attribute, else its first.
function primaryValue(values: unknown): string {
  if (!Array.isArray(values) || values.length === 0) return "";
  const elements = values as { value?: unknown; primary?: unknown }[];
  return text((elements.find((element) => element.primary === true) ?? elements[0])?.value);
}
