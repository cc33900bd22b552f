import { useState } from "preact/hooks";
import { call, type Tenant } from "../api.ts";
import { formatTime } from "../format.ts";
import { useLoad, useSubmit } from "../load.ts";
import { href, Link, navigate } from "../router.tsx";
import { Empty, ErrorNotice, Loading, TableBox } from "../widgets.tsx";

export function Tenants() {
  const tenants = useLoad<{ data: Tenant[] }>("/tenants");
  return (
    <>
      <h1 class="page-title" tabIndex={-1}>
        Tenants
      </h1>
      <CreateTenant />
      <section aria-labelledby="tenant-list">
        <h2 id="tenant-list">All tenants</h2>
        <ErrorNotice error={tenants.error} />
        <Loading when={tenants.loading && tenants.data === undefined} />
        {tenants.data ? (
          <TableBox label="Tenants">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">Compat APIs</th>
                <th scope="col">PATCH answers</th>
              </tr>
            </thead>
            <tbody>
              {tenants.data.data.length === 0 ? <Empty columns={4}>No tenant yet: create the first one above.</Empty> : null}
              {tenants.data.data.map((tenant) => (
                <tr key={tenant.id}>
                  <td>
                    <Link href={href({ page: "tenant", tenant: tenant.name })}>{tenant.name}</Link>
                  </td>
                  <td>{formatTime(tenant.createdAt)}</td>
                  <td>{tenant.compatApis.length === 0 ? "none" : tenant.compatApis.join(", ")}</td>
                  <td>{tenant.patchReturn}</td>
                </tr>
              ))}
            </tbody>
          </TableBox>
        ) : null}
      </section>
    </>
  );
}

function CreateTenant() {
  const [name, setName] = useState("");
  const { busy, error, submit } = useSubmit(async () => {
    const created = await call<Tenant>("POST", "/tenants", { name: name.trim() });
    navigate(href({ page: "tenant", tenant: created.name }));
  });
  return (
    <section aria-labelledby="create-tenant" class="panel">
      <h2 id="create-tenant">Create a tenant</h2>
      <form onSubmit={submit} class="inline-form">
        <div class="field">
          <label for="tenant-name">Tenant name</label>
          <input id="tenant-name" required value={name} spellcheck={false} autoComplete="off" onInput={(event) => setName(event.currentTarget.value)} />
        </div>
        <button type="submit" class="primary" disabled={busy}>
          Create tenant
        </button>
      </form>
      <ErrorNotice error={error} />
    </section>
  );
}
