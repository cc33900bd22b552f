import { useState } from "preact/hooks";
import { ApiError, checkCredential } from "../api.ts";
import { useSubmit } from "../load.ts";
import { signIn } from "../session.ts";
import { ErrorNotice } from "../widgets.tsx";

export function SignIn(props: { readonly reason: string | undefined }) {
  const [value, setValue] = useState("");
  const { busy, error, submit } = useSubmit(
    async () => {
      await checkCredential(value.trim());
      signIn(value.trim());
    },
    (refused) => (refused.status === 401 ? new ApiError(401, `This credential is not accepted: ${refused.detail}`, refused.scimType) : refused),
  );
  return (
    <main id="main" class="sign-in">
      <h1 class="page-title" tabIndex={-1}>
        SCIM server console
      </h1>
      {props.reason ? (
        <p class="notice" role="alert">
          {props.reason}
        </p>
      ) : null}
      <form onSubmit={submit} class="stack">
        <label for="credential">Admin credential</label>
        <input
          id="credential"
          name="credential"
          type="password"
          autoComplete="off"
          spellcheck={false}
          required
          value={value}
          onInput={(event) => setValue(event.currentTarget.value)}
          aria-describedby="credential-hint"
        />
        <p class="hint" id="credential-hint">
          Issue one on the server with <code>npm run -s token -- --admin</code>. It is kept in this browser tab only, until you sign out or
          close the tab.
        </p>
        <ErrorNotice error={error} />
        <button type="submit" class="primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
