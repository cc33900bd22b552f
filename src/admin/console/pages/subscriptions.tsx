import { useState } from "preact/hooks";
import { call, subscriptionFormats, tenantPath, type ApiError, type Subscription } from "../api.ts";
import { formatTime } from "../format.ts";
import { asApiError, useLoad, useSubmit } from "../load.ts";
import { href, Link } from "../router.tsx";
import { CopyField, Empty, ErrorNotice, Loading, TableBox } from "../widgets.tsx";

// Where the tenant's change events go (docs/events.md): add a receiver, pause, resume or remove
// one, and open its deliveries.
export function Subscriptions(props: { readonly tenant: string }) {
  const list = useLoad<{ data: Subscription[] }>(tenantPath(props.tenant, "/subscriptions"));
  const [secret, setSecret] = useState<{ id: string; secret: string }>();
  return (
    <>
      <h2 class="page-title" tabIndex={-1}>
        Subscriptions
      </h2>
      <AddSubscription
        tenant={props.tenant}
        added={(created) => {
          setSecret(created);
          list.reload();
        }}
      />
      {secret ? (
        <div class="secret" role="status">
          <CopyField
            label="Signing secret"
            value={secret.secret}
            hint={
              <>
                Shown this once: the receiver checks <code>X-Scim-Signature</code> with it. Subscription <code>{secret.id}</code>.
              </>
            }
          />
        </div>
      ) : null}
      <ErrorNotice error={list.error} />
      <Loading when={list.loading && list.data === undefined} />
      {list.data ? (
        <TableBox label="Subscriptions">
          <thead>
            <tr>
              <th scope="col">Receiver</th>
              <th scope="col">Format</th>
              <th scope="col">Events</th>
              <th scope="col">State</th>
              <th scope="col">Waiting</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.data.length === 0 ? <Empty columns={7}>No subscription yet.</Empty> : null}
            {list.data.data.map((subscription) => (
              <tr key={subscription.id} class={subscription.paused ? "muted" : undefined}>
                <td class="path">
                  <Link href={href({ page: "deliveries", tenant: props.tenant, id: subscription.id })}>{subscription.url ?? `poll ${subscription.id}`}</Link>
                </td>
                <td>{subscription.format}</td>
                <td>{subscription.types.length === 0 ? "all" : subscription.types.join(", ")}</td>
                <td>{subscription.paused ? "paused" : "active"}</td>
                <td>{waiting(subscription)}</td>
                <td class="nowrap">{formatTime(subscription.createdAt)}</td>
                <td>
                  <SubscriptionActions tenant={props.tenant} subscription={subscription} changed={list.reload} />
                </td>
              </tr>
            ))}
          </tbody>
        </TableBox>
      ) : null}
    </>
  );
}

function AddSubscription(props: { readonly tenant: string; readonly added: (created: { id: string; secret: string }) => void }) {
  const [url, setUrl] = useState("");
  const [format, setFormat] = useState<Subscription["format"]>("webhook");
  const [types, setTypes] = useState("");
  const { busy, error, submit } = useSubmit(async () => {
    const typeList = types.split(/[\s,]+/).filter((type) => type !== "");
    const body = { format, ...(format === "poll" ? {} : { url: url.trim() }), ...(typeList.length === 0 ? {} : { types: typeList }) };
    const created = await call<{ subscription: Subscription; secret: string }>("POST", tenantPath(props.tenant, "/subscriptions"), body);
    setUrl("");
    setTypes("");
    props.added({ id: created.subscription.id, secret: created.secret });
  });
  return (
    <section class="panel" aria-labelledby="add-subscription">
      <h3 id="add-subscription">Add a subscription</h3>
      <form onSubmit={submit} class="inline-form">
        <div class="field grow">
          <label for="subscription-url">Receiver URL</label>
          <input
            id="subscription-url"
            type="url"
            required={format !== "poll"}
            disabled={format === "poll"}
            value={url}
            placeholder="https://example.com/scim-events"
            spellcheck={false}
            onInput={(event) => setUrl(event.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="subscription-format">Format</label>
          <select id="subscription-format" value={format} onChange={(event) => setFormat(event.currentTarget.value as Subscription["format"])}>
            {subscriptionFormats.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div class="field grow">
          <label for="subscription-types">Event types</label>
          <input
            id="subscription-types"
            value={types}
            placeholder="all (or user.created, group.member_added, …)"
            spellcheck={false}
            onInput={(event) => setTypes(event.currentTarget.value)}
          />
        </div>
        <button type="submit" class="primary" disabled={busy}>
          Add subscription
        </button>
      </form>
      <ErrorNotice error={error} />
    </section>
  );
}

export function SubscriptionActions(props: { readonly tenant: string; readonly subscription: Subscription; readonly changed: () => void }) {
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<ApiError>();
  const path = tenantPath(props.tenant, `/subscriptions/${encodeURIComponent(props.subscription.id)}`);
  const run = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
      props.changed();
    } catch (thrown) {
      setError(asApiError(thrown));
    }
  };
  const name = props.subscription.url ?? props.subscription.id;
  return (
    <span class="actions">
      <button type="button" onClick={() => run(() => call("PATCH", path, { paused: !props.subscription.paused }))} aria-label={`${props.subscription.paused ? "Resume" : "Pause"} ${name}`}>
        {props.subscription.paused ? "Resume" : "Pause"}
      </button>
      {asking ? (
        <>
          <button type="button" class="danger" onClick={() => run(() => call("DELETE", path))} aria-label={`Confirm: remove ${name}`}>
            Remove now
          </button>
          <button type="button" onClick={() => setAsking(false)}>
            Keep
          </button>
        </>
      ) : (
        <button type="button" onClick={() => setAsking(true)} aria-label={`Remove ${name}`}>
          Remove
        </button>
      )}
      <ErrorNotice error={error} />
    </span>
  );
}

function waiting(subscription: Subscription): string {
  const pending = subscription.pending;
  if (pending === undefined) return "";
  const parts = [
    pending.retry > 0 ? `${pending.retry} to retry` : "",
    pending.dead > 0 ? `${pending.dead} given up` : "",
    pending.failed > 0 ? `${pending.failed} refused` : "",
  ].filter((part) => part !== "");
  return parts.length === 0 ? "none" : parts.join(", ");
}
