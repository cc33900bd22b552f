// The requests of Qase's documentation page (docs.qase.io "Administration → SCIM → Users";
// docs/compat/qase.md §9), copied verbatim: method, URL and JSON body as printed.
//
// The page has no curl commands: it prints each request as `METHOD: URL` plus a JSON body.
// curlCommand below turns one into the curl command a reader of the page would type, by one
// fixed recipe (-i to show the status): the URL as printed, percent-encoding only what curl refuses raw (spaces, quotes);
// the body from a file written from the page's JSON (`--data @<file>`); the bearer token of
// Qase's "Enable SCIM" page. Running it, the test substitutes the base URL, the token and the
// user id, nothing else.

export interface VendorExample {
  readonly name: string;
  // The request line as printed, e.g. "GET: https://app.qase.io/scim/v2/Users".
  readonly request: string;
  // The request body as printed, when the page gives one; written to `file`.
  readonly body?: { readonly file: string; readonly json: string };
  // The response as printed, where it is not a doc error (docs/compat/qase.md §10).
  readonly response?: string;
}

export const documentedBaseUrl = "https://app.qase.io/scim/v2";
// The DELETE section's URL has a typo (docs/compat/qase.md §10.7).
export const documentedTypoBaseUrl = "https://app.qase./scim";
export const documentedUserId = "1";

export const vendorExamples: readonly VendorExample[] = [
  {
    name: "Create a new user",
    request: "POST: https://app.qase.io/scim/v2/Users",
    body: {
      file: "create-user.json",
      json: `{
    "schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
    "userName":"john@doe.com",
    "name":{
        "familyName":"John",
        "givenName":"Doe"
    }
}`,
    },
    response: `{
    "schemas": [
        "urn:ietf:params:scim:schemas:core:2.0:User"
    ],
    "id": "1",
    "meta": {
        "resourceType": "User",
        "location": "https://app.qase.io/scim/v2/Users/1"
    },
    "userName": "john@doe.com",
    "name": {
        "familyName": "John",
        "givenName": "Doe"
    },
    "active": true,
    "emails": [
        {
            "value": "john@doe.com",
            "primary": true
        }
    ]
}`,
  },
  { name: "Get users", request: "GET: https://app.qase.io/scim/v2/Users" },
  {
    name: "Example of complex request",
    request:
      'GET: https://app.qase.io/scim/v2/Users?attributes=name,userName&filter=NOT(name.familyName eq "Green")&sortBy=name.givenName&sortOrder=ascending&startIndex=2&count=5',
  },
  { name: "Get user by ID", request: "GET: https://app.qase.io/scim/v2/Users/1" },
  {
    name: "Replace user by ID",
    request: "PUT: https://app.qase.io/scim/v2/Users/1",
    body: {
      file: "replace-user.json",
      json: `{
    "schemas": [
        "urn:ietf:params:scim:schemas:core:2.0:User"
    ],
    "id": "1",
    "meta": {
        "resourceType": "User",
        "location": "https://app.qase.io/scim/v2/Users/1"
    },
    "userName": "replace@example.com",
    "name": {
        "familyName": "Replace",
        "givenName": "Me"
    },
    "active": true,
    "userType": "regular",
    "emails": [
        {
            "value": "replace@example.com",
            "primary": true
        }
    ]
}`,
    },
    response: `{
    "schemas": [
        "urn:ietf:params:scim:schemas:core:2.0:User"
    ],
    "id": "1",
    "meta": {
        "resourceType": "User",
        "location": "https://app.qase.io/scim/v2/Users/1"
    },
    "userName": "replace@example.com",
    "name": {
        "familyName": "Replace",
        "givenName": "Me"
    },
    "active": true,
    "userType": "regular",
    "emails": [
        {
            "value": "replace@example.com",
            "primary": true
        }
    ]
}`,
  },
  {
    name: "Request to deactivate user",
    request: "PATCH: https://app.qase.io/scim/v2/Users/1",
    body: {
      file: "deactivate-user.json",
      json: `{
  "schemas": [
    "urn:ietf:params:scim:api:messages:2.0:PatchOp"
  ],
  "Operations": [
    {
      "op": "Replace",
      "path": "active",
      "value": false
    }
  ]
}`,
    },
  },
  {
    name: "Request to rename user",
    request: "PATCH: https://app.qase.io/scim/v2/Users/1",
    body: {
      file: "rename-user.json",
      json: `{
  "schemas": [
    "urn:ietf:params:scim:api:messages:2.0:PatchOp"
  ],
  "Operations": [
    {
      "op": "Replace",
      "path": "name.givenName",
      "value": "New Given Name"
    }
  ]
}`,
    },
  },
  {
    name: "Request to upgrade user license to regular",
    request: "PATCH: https://app.qase.io/scim/v2/Users/1",
    body: {
      file: "upgrade-user.json",
      json: `{
  "schemas": [
    "urn:ietf:params:scim:api:messages:2.0:PatchOp"
  ],
  "Operations": [
    {
      "op": "Replace",
      "path": "userType",
      "value": "regular"
    }
  ]
}`,
    },
  },
  {
    name: "Request to update user email (userName)",
    request: "PATCH: https://app.qase.io/scim/v2/Users/1",
    body: {
      file: "update-email.json",
      json: `{
    "schemas": [
        "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    ],
    "Operations": [
        {
            "op": "Replace",
            "path": "userName",
            "value": "new@email.com"
        }
    ]
}`,
    },
  },
  { name: "Delete user by ID", request: "DELETE: https://app.qase./scim/Users/1" },
];

// The curl command for a documented request (see the recipe above), with `<TOKEN>` for the token.
export function curlCommand(example: VendorExample): string {
  const match = /^([A-Z]+): (\S.*)$/.exec(example.request);
  if (!match) throw new Error(`not a request line: ${example.request}`);
  const [, method, url] = match as unknown as [string, string, string];
  const encoded = url.replace(/ /g, "%20").replace(/"/g, "%22");
  const body = example.body ? ` -H 'Content-Type: application/scim+json' --data @${example.body.file}` : "";
  return `curl -sS -i -X ${method} '${encoded}' -H 'Accept: application/scim+json' -H 'Authorization: Bearer <TOKEN>'${body}`;
}
