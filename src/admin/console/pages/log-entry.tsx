import { tenantPath, type LogEntry } from "../api.ts";
import { formatBody, formatDuration, formatTime } from "../format.ts";
import { useLoad } from "../load.ts";
import { href, Link } from "../router.tsx";
import { ErrorNotice, Loading } from "../widgets.tsx";
import { clientNames, Status } from "./log.tsx";

// One request of the log with what was sent and answered (secrets in the request redacted by the
// server, both bodies cut at its limit).
export function LogEntryPage(props: { readonly tenant: string; readonly id: string }) {
  const entry = useLoad<LogEntry>(tenantPath(props.tenant, `/log/${encodeURIComponent(props.id)}`));
  const data = entry.data;
  return (
    <>
      <p>
        <Link href={href({ page: "log", tenant: props.tenant })}>← Provisioning log</Link>
      </p>
      <h2 class="page-title" tabIndex={-1}>
        {data ? `${data.method} ${data.path}` : "Log entry"}
      </h2>
      <ErrorNotice error={entry.error} />
      <Loading when={entry.loading && data === undefined} />
      {data ? (
        <>
          <dl class="details">
            <dt>Status</dt>
            <dd>
              <Status status={data.status} />
            </dd>
            {data.scimType ? (
              <>
                <dt>scimType</dt>
                <dd>
                  <code>{data.scimType}</code>
                </dd>
              </>
            ) : null}
            {data.detail ? (
              <>
                <dt>Detail</dt>
                <dd class="detail">{data.detail}</dd>
              </>
            ) : null}
            <dt>Time</dt>
            <dd>{formatTime(data.at)}</dd>
            <dt>Duration</dt>
            <dd>{formatDuration(data.durationMs)}</dd>
            <dt>Client</dt>
            <dd>
              {clientNames[data.client] ?? data.client}
              {data.userAgent ? <span class="muted-text"> ({data.userAgent})</span> : null}
            </dd>
            <dt>Surface</dt>
            <dd>{data.surface}</dd>
            {data.resourceId ? (
              <>
                <dt>Resource</dt>
                <dd>
                  {data.resourceType ?? ""} <code>{data.resourceId}</code>
                </dd>
              </>
            ) : null}
          </dl>
          <Body title="Request body" body={data.requestBody} />
          <Body title="Response body" body={data.responseBody} />
        </>
      ) : null}
    </>
  );
}

function Body(props: { readonly title: string; readonly body: unknown }) {
  const text = formatBody(props.body);
  return (
    <section class="body" aria-label={props.title}>
      <h3>{props.title}</h3>
      {text === "" ? (
        <p class="muted-text">none</p>
      ) : (
        <pre tabIndex={0}>
          <code>{text}</code>
        </pre>
      )}
    </section>
  );
}
