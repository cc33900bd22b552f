// A recorded conversation between an identity provider and a SCIM server, as data: each step is a
// request the IdP sends and what the server must answer. conversations.test.ts replays them in
// order against the app, each conversation in a tenant of its own.
//
// Strings anywhere in a step may hold placeholders: {{name}} is a value captured from an earlier
// step's response, {{baseUrl}} the SCIM base URL the app answers with. Response paths are
// "/"-separated ("Resources/0/id", "urn:…:enterprise:2.0:User/manager"), since URNs hold dots.

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface Step {
  readonly name: string;
  readonly request: {
    readonly method: Method;
    /** Relative to /scim/v2, written unencoded as the IdP's log shows it (`?filter=userName eq "x"`). */
    readonly path: string;
    /** Sent as given; without an Authorization header the conversation's bearer token is sent. */
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: unknown;
  };
  readonly status: number;
  /** A subset of the response body (toMatchObject: arrays must match in length and order). */
  readonly response?: unknown;
  /** Arrays whose elements must match these, in any order, and no more. */
  readonly unordered?: Readonly<Record<string, readonly unknown[]>>;
  /** Paths that must have no value in the response body. */
  readonly absent?: readonly string[];
  /** Response headers, compared exactly (names in lower case). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Values to capture from the response body for later steps: name -> path. They must be present. */
  readonly capture?: Readonly<Record<string, string>>;
}

export interface Conversation {
  readonly name: string;
  /** Where the requests and answers come from. */
  readonly source: string;
  /** What the tenant answers a PATCH without Prefer with (Tenant.patchReturn); "representation" unless given. */
  readonly patchReturn?: "minimal" | "representation";
  readonly steps: readonly Step[];
}

export const scim = {
  user: "urn:ietf:params:scim:schemas:core:2.0:User",
  group: "urn:ietf:params:scim:schemas:core:2.0:Group",
  enterprise: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
  patchOp: "urn:ietf:params:scim:api:messages:2.0:PatchOp",
  listResponse: "urn:ietf:params:scim:api:messages:2.0:ListResponse",
  error: "urn:ietf:params:scim:api:messages:2.0:Error",
} as const;
