import { useState } from "preact/hooks";
import { call, tenantPath, type ApiError, type Tenant, type Token } from "../api.ts";
import { formatTime } from "../format.ts";
import { asApiError, useLoad, useSubmit } from "../load.ts";
import { Setup } from "./setup.tsx";
import { CopyField, Empty, ErrorNotice, Loading, TableBox } from "../widgets.tsx";

// A tenant at a glance: its SCIM base URL, a token to give an identity provider with the steps to
// enter both in Okta or Entra ID, and the tenant's tokens.
export function TenantOverview(props: { readonly tenant: string }) {
  const tenant = useLoad<Tenant>(tenantPath(props.tenant));
  const tokens = useLoad<{ data: Token[] }>(tenantPath(props.tenant, "/tokens"));
  const [issued, setIssued] = useState<Token>();
  const scimBaseUrl = tenant.data?.scimBaseUrl ?? `${window.location.origin}/scim/v2`;
  return (
    <>
      <h2 class="page-title" tabIndex={-1}>
        Overview
      </h2>
      <ErrorNotice error={tenant.error} />
      <Loading when={tenant.loading && tenant.data === undefined} />
      {tenant.data ? (
        <dl class="facts">
          <div>
            <dt>Users</dt>
            <dd>{tenant.data.counts?.users ?? "–"}</dd>
          </div>
          <div>
            <dt>Groups</dt>
            <dd>{tenant.data.counts?.groups ?? "–"}</dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd class="small">{formatTime(tenant.data.createdAt)}</dd>
          </div>
          <div>
            <dt>Compat APIs</dt>
            <dd class="small">{tenant.data.compatApis.length === 0 ? "none" : tenant.data.compatApis.join(", ")}</dd>
          </div>
        </dl>
      ) : null}
      <section class="panel" aria-labelledby="connection">
        <h3 id="connection">Connection</h3>
        <CopyField label="SCIM base URL" value={scimBaseUrl} />
        <IssueToken
          tenant={props.tenant}
          issued={issued}
          onIssued={(token) => {
            setIssued(token);
            tokens.reload();
          }}
        />
      </section>
      <Setup scimBaseUrl={scimBaseUrl} token={issued?.credential} />
      <section aria-labelledby="tokens">
        <h3 id="tokens">Tokens</h3>
        <ErrorNotice error={tokens.error} />
        <Loading when={tokens.loading && tokens.data === undefined} />
        {tokens.data ? <TokenTable tenant={props.tenant} tokens={tokens.data.data} changed={tokens.reload} /> : null}
      </section>
    </>
  );
}

function IssueToken(props: { readonly tenant: string; readonly issued: Token | undefined; readonly onIssued: (token: Token) => void }) {
  const [scope, setScope] = useState<"write" | "read">("write");
  const [ttl, setTtl] = useState("");
  const { busy, error, submit } = useSubmit(async () => {
    const body = { api: "scim", scope, ...(ttl.trim() === "" ? {} : { ttl: ttl.trim() }) };
    props.onIssued(await call<Token>("POST", tenantPath(props.tenant, "/tokens"), body));
  });
  return (
    <div class="issue-token">
      <form onSubmit={submit} class="inline-form">
        <div class="field">
          <label for="token-scope">Scope</label>
          <select id="token-scope" value={scope} onChange={(event) => setScope(event.currentTarget.value === "read" ? "read" : "write")}>
            <option value="write">read and write</option>
            <option value="read">read only</option>
          </select>
        </div>
        <div class="field">
          <label for="token-ttl">Expires after</label>
          <input id="token-ttl" value={ttl} placeholder="never (e.g. 90d)" size={14} onInput={(event) => setTtl(event.currentTarget.value)} />
        </div>
        <button type="submit" class="primary" disabled={busy}>
          Issue a token
        </button>
      </form>
      <ErrorNotice error={error} />
      {props.issued?.credential ? (
        <div class="secret" role="status">
          <CopyField
            label="New token"
            value={props.issued.credential}
            hint={
              <>
                Shown this once: copy it into the identity provider now. Its id is <code>{props.issued.id}</code>.
              </>
            }
          />
        </div>
      ) : null}
    </div>
  );
}

function TokenTable(props: { readonly tenant: string; readonly tokens: readonly Token[]; readonly changed: () => void }) {
  return (
    <TableBox label="Tokens">
      <thead>
        <tr>
          <th scope="col">Id</th>
          <th scope="col">API</th>
          <th scope="col">Scope</th>
          <th scope="col">Created</th>
          <th scope="col">Expires</th>
          <th scope="col">State</th>
          <th scope="col">
            <span class="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.tokens.length === 0 ? <Empty columns={7}>No token yet.</Empty> : null}
        {props.tokens.map((token) => (
          <tr key={token.id} class={token.revokedAt ? "muted" : undefined}>
            <td>
              <code>{token.id}</code>
            </td>
            <td>{token.api}</td>
            <td>{token.scope}</td>
            <td>{formatTime(token.createdAt)}</td>
            <td>{token.expiresAt ? formatTime(token.expiresAt) : "never"}</td>
            <td>{token.revokedAt ? `revoked ${formatTime(token.revokedAt)}` : expired(token) ? "expired" : "active"}</td>
            <td>{token.revokedAt ? null : <Revoke tenant={props.tenant} token={token} revoked={props.changed} />}</td>
          </tr>
        ))}
      </tbody>
    </TableBox>
  );
}

function Revoke(props: { readonly tenant: string; readonly token: Token; readonly revoked: () => void }) {
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<ApiError>();
  const revoke = async () => {
    try {
      await call("DELETE", tenantPath(props.tenant, `/tokens/${encodeURIComponent(props.token.id)}`));
      props.revoked();
    } catch (thrown) {
      setError(asApiError(thrown));
    }
  };
  if (!asking) {
    return (
      <button type="button" onClick={() => setAsking(true)} aria-label={`Revoke token ${props.token.id}`}>
        Revoke
      </button>
    );
  }
  return (
    <span class="confirm">
      <button type="button" class="danger" onClick={revoke} aria-label={`Confirm: revoke token ${props.token.id}`}>
        Revoke now
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Keep
      </button>
      <ErrorNotice error={error} />
    </span>
  );
}

function expired(token: Token): boolean {
  return token.expiresAt !== null && new Date(token.expiresAt).getTime() < Date.now();
}
