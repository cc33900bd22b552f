import { useState } from "preact/hooks";
import { call, query, tenantPath, type ApiError, type DeliveryAttempt, type Replay, type Subscription } from "../api.ts";
import { formatDuration, formatTime } from "../format.ts";
import { asApiError, useLoad } from "../load.ts";
import { href, Link, navigate, withQuery } from "../router.tsx";
import { Empty, ErrorNotice, Loading, TableBox } from "../widgets.tsx";
import { Status } from "./log.tsx";
import { SubscriptionActions } from "./subscriptions.tsx";

const limit = 100;

// One subscription's attempts to deliver, newest first, and sending events again.
export function Deliveries(props: { readonly tenant: string; readonly id: string; readonly location: URL }) {
  const failedOnly = props.location.searchParams.get("failed") === "true";
  const subscriptions = useLoad<{ data: Subscription[] }>(tenantPath(props.tenant, "/subscriptions"));
  const subscriptionPath = tenantPath(props.tenant, `/subscriptions/${encodeURIComponent(props.id)}`);
  const attempts = useLoad<{ data: DeliveryAttempt[] }>(`${subscriptionPath}/deliveries${query({ failed: failedOnly ? "true" : undefined, limit })}`);
  const subscription = subscriptions.data?.data.find((candidate) => candidate.id === props.id);
  return (
    <>
      <p>
        <Link href={href({ page: "subscriptions", tenant: props.tenant })}>← Subscriptions</Link>
      </p>
      <h2 class="page-title" tabIndex={-1}>
        Deliveries
      </h2>
      <ErrorNotice error={subscriptions.error} />
      {subscription ? (
        <dl class="details">
          <dt>Receiver</dt>
          <dd class="path">{subscription.url ?? "polled (RFC 8936)"}</dd>
          <dt>Format</dt>
          <dd>{subscription.format}</dd>
          <dt>State</dt>
          <dd>
            {subscription.paused ? "paused" : "active"}{" "}
            <SubscriptionActions
              tenant={props.tenant}
              subscription={subscription}
              changed={() => {
                subscriptions.reload();
                attempts.reload();
              }}
            />
          </dd>
          <dt>Events sent up to</dt>
          <dd>sequence {subscription.cursor}</dd>
        </dl>
      ) : subscriptions.data ? (
        <p class="notice error" role="alert">
          This tenant has no subscription {props.id}.
        </p>
      ) : null}
      <ReplayForm path={`${subscriptionPath}/replay`} replayed={attempts.reload} />
      <div class="inline-form">
        <label class="check">
          <input
            type="checkbox"
            checked={failedOnly}
            onChange={(event) => navigate(withQuery(props.location, { failed: event.currentTarget.checked ? "true" : "" }))}
          />
          Failed attempts only
        </label>
        <button type="button" onClick={attempts.reload}>
          Refresh
        </button>
      </div>
      <ErrorNotice error={attempts.error} />
      <Loading when={attempts.loading && attempts.data === undefined} />
      {attempts.data ? (
        <TableBox label="Delivery attempts">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Sequence</th>
              <th scope="col">Event</th>
              <th scope="col">Answer</th>
              <th scope="col">Outcome</th>
              <th scope="col">Duration</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {attempts.data.data.length === 0 ? <Empty columns={7}>{failedOnly ? "No failed attempt." : "No attempt yet."}</Empty> : null}
            {attempts.data.data.map((attempt) => (
              <tr key={attempt.id} class={attempt.outcome === "delivered" ? undefined : "failed"}>
                <td class="nowrap">{formatTime(attempt.attemptedAt)}</td>
                <td class="number">{attempt.sequence}</td>
                <td>
                  <code>{attempt.eventId}</code>
                </td>
                <td>
                  <Status status={attempt.status} />
                </td>
                <td>{attempt.outcome}</td>
                <td class="number nowrap">{formatDuration(attempt.durationMs)}</td>
                <td>{attempt.error ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </TableBox>
      ) : null}
    </>
  );
}

function ReplayForm(props: { readonly path: string; readonly replayed: () => void }) {
  const [from, setFrom] = useState("");
  const [result, setResult] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setResult(undefined);
    try {
      const text = from.trim();
      const body = text === "" ? {} : { from: /^\d+$/.test(text) ? Number(text) : text };
      setResult(describe(await call<Replay>("POST", props.path, body)));
      props.replayed();
    } catch (thrown) {
      setError(asApiError(thrown));
    }
  };
  return (
    <section class="panel" aria-labelledby="replay">
      <h3 id="replay">Replay</h3>
      <form onSubmit={submit} class="inline-form">
        <div class="field">
          <label for="replay-from">From event</label>
          <input id="replay-from" value={from} placeholder="sequence or ISO time" spellcheck={false} onInput={(event) => setFrom(event.currentTarget.value)} />
        </div>
        <button type="submit">Replay</button>
      </form>
      <p class="hint">Empty: the events given up on are sent again. With a sequence or a time: every event from there.</p>
      <ErrorNotice error={error} />
      {result ? (
        <p class="notice" role="status">
          {result}
        </p>
      ) : null}
    </section>
  );
}

function describe(replay: Replay): string {
  if (replay.kind === "given-up") return replay.requeued === 1 ? "1 event given up on is due again." : `${replay.requeued} events given up on are due again.`;
  return `Events from sequence ${replay.from} are sent again (cursor ${replay.cursorBefore} → ${replay.cursorAfter}).`;
}
