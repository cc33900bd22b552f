import { useEffect, useState } from "preact/hooks";
import { call, query, tenantPath, type ApiError, type LogEntry, type Page } from "../api.ts";
import { failed, formatDuration, formatTime } from "../format.ts";
import { asApiError, useLoad } from "../load.ts";
import { href, navigate, withQuery } from "../router.tsx";
import { Empty, ErrorNotice, Loading, TableBox } from "../widgets.tsx";

const limit = 50;

export const clientNames: Record<string, string> = { okta: "Okta", entra: "Entra ID", other: "other" };

// The tenant's requests, newest first, a page at a time; the filters are in the URL, so going
// back from an entry finds the list as it was left.
export function Log(props: { readonly tenant: string; readonly location: URL }) {
  const status = props.location.searchParams.get("status") ?? "";
  const client = props.location.searchParams.get("client") ?? "";
  const first = tenantPath(props.tenant, `/log${query({ status, client, limit })}`);
  const log = useLoad<Page<LogEntry>>(first);
  const [older, setOlder] = useState<{ entries: LogEntry[]; nextCursor: string | null | undefined }>();
  const [olderError, setOlderError] = useState<ApiError>();
  useEffect(() => {
    setOlder(undefined);
    setOlderError(undefined);
  }, [first, log.data]);
  const entries = [...(log.data?.data ?? []), ...(older?.entries ?? [])];
  const nextCursor = older ? older.nextCursor : log.data?.nextCursor;
  const loadOlder = async () => {
    if (!nextCursor) return;
    try {
      const page = await call<Page<LogEntry>>("GET", tenantPath(props.tenant, `/log${query({ status, client, limit, cursor: nextCursor })}`));
      setOlder({ entries: [...(older?.entries ?? []), ...page.data], nextCursor: page.nextCursor });
    } catch (thrown) {
      setOlderError(asApiError(thrown));
    }
  };
  const open = (entry: LogEntry) => navigate(href({ page: "log-entry", tenant: props.tenant, id: entry.id }));
  return (
    <>
      <h2 class="page-title" tabIndex={-1}>
        Provisioning log
      </h2>
      <form class="inline-form" onSubmit={(event) => event.preventDefault()} aria-label="Log filters">
        <div class="field">
          <label for="log-status">Status</label>
          <select id="log-status" value={status} onChange={(event) => navigate(withQuery(props.location, { status: event.currentTarget.value }))}>
            <option value="">all</option>
            <option value="error">errors (400 and up)</option>
            <option value="4xx">4xx</option>
            <option value="5xx">5xx</option>
          </select>
        </div>
        <div class="field">
          <label for="log-client">Client</label>
          <select id="log-client" value={client} onChange={(event) => navigate(withQuery(props.location, { client: event.currentTarget.value }))}>
            <option value="">all</option>
            <option value="okta">Okta</option>
            <option value="entra">Entra ID</option>
            <option value="other">other</option>
          </select>
        </div>
        <button type="button" onClick={log.reload}>
          Refresh
        </button>
      </form>
      <ErrorNotice error={log.error} />
      <Loading when={log.loading && log.data === undefined} />
      {log.data ? (
        <>
          <p class="hint">Select an entry (or focus it and press Enter) to see its request and response.</p>
          <TableBox label="Provisioning log">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Client</th>
                <th scope="col">Method</th>
                <th scope="col">Path</th>
                <th scope="col">Status</th>
                <th scope="col">Duration</th>
              </tr>
            </thead>
            <tbody>
              {entries.length === 0 ? <Empty columns={6}>No request {status || client ? "matches these filters" : "yet"}.</Empty> : null}
              {entries.map((entry) => (
                <tr
                  key={entry.id}
                  class={failed(entry.status) ? "openable failed" : "openable"}
                  tabIndex={0}
                  data-entry={entry.id}
                  onClick={() => open(entry)}
                  onKeyDown={(event) => {
                    if (event.key === "Enter") open(entry);
                  }}
                >
                  <td class="nowrap">{formatTime(entry.at)}</td>
                  <td>{clientNames[entry.client] ?? entry.client}</td>
                  <td>{entry.method}</td>
                  <td class="path">{entry.path}</td>
                  <td>
                    <Status status={entry.status} />
                  </td>
                  <td class="number nowrap">{formatDuration(entry.durationMs)}</td>
                </tr>
              ))}
            </tbody>
          </TableBox>
          <ErrorNotice error={olderError} />
          {nextCursor ? (
            <p>
              <button type="button" onClick={loadOlder}>
                Older entries
              </button>
            </p>
          ) : null}
        </>
      ) : null}
    </>
  );
}

// A status with its meaning spelled out for failures, not only coloured.
export function Status(props: { readonly status: number | null }) {
  const bad = failed(props.status);
  return (
    <span class={bad ? "badge bad" : "badge good"}>
      {props.status ?? "no answer"}
      {bad && props.status !== null ? <span class="visually-hidden"> (failed)</span> : null}
    </span>
  );
}
