import { CopyField } from "../widgets.tsx";

// Where the SCIM base URL and a token go in Okta and in Microsoft Entra ID, step by step
// (docs/okta.md and docs/entra.md in the repository tell the whole story).
export function Setup(props: { readonly scimBaseUrl: string; readonly token: string | undefined }) {
  const token = props.token ? (
    <CopyField label="Bearer token" value={props.token} />
  ) : (
    <p class="hint">The token: issue one above (it is shown once), and paste it without the word “Bearer”.</p>
  );
  return (
    <section aria-labelledby="setup" class="setup">
      <h3 id="setup">Connect an identity provider</h3>
      <details open>
        <summary>Okta</summary>
        <ol class="steps">
          <li>
            In the Okta Admin Console, open <b>Applications → Applications → Create App Integration</b>, choose <b>SAML 2.0</b> or{" "}
            <b>SWA</b> and finish the wizard (or use the app you already sign in with).
          </li>
          <li>
            On the app’s <b>General</b> tab, under <b>App Settings</b>, click <b>Edit</b>, set <b>Provisioning</b> to <b>SCIM</b> and save.
          </li>
          <li>
            On the <b>Provisioning</b> tab, under <b>Settings → Integration</b>, click <b>Edit</b> and fill in:
            <div class="values">
              <CopyField label="SCIM connector base URL" value={props.scimBaseUrl} />
              <CopyField label="Unique identifier field for users" value="userName" />
              <p>
                <b>Supported provisioning actions</b>: Push New Users, Push Profile Updates, Push Groups, and Import New Users and Profile
                Updates.
              </p>
              <p>
                <b>Authentication Mode</b>: HTTP Header. <b>Authorization</b>: Bearer, with the token (Okta shows the word “Bearer”
                itself).
              </p>
              {token}
            </div>
          </li>
          <li>
            Click <b>Test Connector Configuration</b>, then <b>Save</b>.
          </li>
          <li>
            Under <b>Provisioning → To App</b>, click <b>Edit</b> and enable <b>Create Users</b>, <b>Update User Attributes</b> and{" "}
            <b>Deactivate Users</b>. Assign people and push groups; their requests appear in the provisioning log.
          </li>
        </ol>
      </details>
      <details>
        <summary>Microsoft Entra ID</summary>
        <ol class="steps">
          <li>
            In the Microsoft Entra admin center, open <b>Entra ID → Enterprise apps → New application → Create your own application</b>,
            choose <b>Integrate any other application you don’t find in the gallery (Non-gallery)</b> and click <b>Create</b>.
          </li>
          <li>
            In the application, open <b>Provisioning</b>, click <b>Get started</b> (or <b>New configuration</b>) and set{" "}
            <b>Provisioning Mode</b> to <b>Automatic</b>.
          </li>
          <li>
            Under <b>Admin Credentials</b>:
            <div class="values">
              <CopyField
                label="Tenant URL"
                value={`${props.scimBaseUrl}?aadOptscim062020`}
                hint="The flag at the end makes Entra send RFC-compliant PATCH requests."
              />
              {props.token ? <CopyField label="Secret Token" value={props.token} /> : <p class="hint">Secret Token: the token issued above, without “Bearer” (Entra adds it).</p>}
            </div>
          </li>
          <li>
            Click <b>Test Connection</b>: Entra looks up a user that does not exist and expects an empty list. Then click <b>Save</b>.
          </li>
          <li>
            Set <b>Provisioning Status</b> to <b>On</b> and save; Entra provisions every cycle, and its requests appear in the provisioning
            log.
          </li>
        </ol>
      </details>
    </section>
  );
}
