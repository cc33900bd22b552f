// The requests of Express Gateway's users page (the admin/users page of its documentation site;
// docs/compat/express-gateway.md §9). That page gives each request as "Request: `METHOD /path`" with a
// JSON body and no curl command, so these are its six requests written as curl commands, in its
// order; the JSON bodies are the page's, byte for byte except for its `//` comments (not JSON).
// Placeholders the test substitutes: the base URL (upstream's admin port), the key, and the id.

export const baseUrlPlaceholder = "http://localhost:9876";
export const keyPlaceholder = "<keyId>:<keySecret>";
export const idPlaceholder = "47bc9fa2-f245-4b47-9cb4-29b8ccb49728";

// The files the commands read with -d @file.
export const files: Record<string, string> = {
  // "Create a User" request body.
  "user.json": `{
  "username": "steve",
  "firstname": "Steve",
  "lastname": "Brown",
  "email": "steve@example.com",
  "redirectUri": "http://example.com"
}
`,
  // "Update User info" request body.
  "update.json": `{
  "email": "steve.brown@example.com",
  "firstname": "Steve",
  "lastname": "Brown",
  "redirectUri": "http://example.com"
}
`,
  // "Activate/Deactivate User" request body.
  "status.json": `{
  "status": true
}
`,
};

export interface VendorExample {
  readonly title: string;
  readonly command: string;
}

export const examples: readonly VendorExample[] = [
  {
    title: "Create a User: POST /users",
    command: `curl -s -X POST http://localhost:9876/users -H "Authorization: apiKey <keyId>:<keySecret>" -H "Content-Type: application/json" -d @user.json`,
  },
  {
    title: "View User info: GET /users/steve",
    command: `curl -s http://localhost:9876/users/steve -H "Authorization: apiKey <keyId>:<keySecret>"`,
  },
  {
    title: "View User info: GET /users/{id}",
    command: `curl -s http://localhost:9876/users/47bc9fa2-f245-4b47-9cb4-29b8ccb49728 -H "Authorization: apiKey <keyId>:<keySecret>"`,
  },
  {
    title: "List all Users: GET /users",
    command: `curl -s http://localhost:9876/users -H "Authorization: apiKey <keyId>:<keySecret>"`,
  },
  {
    title: "Update User info: PUT /users/steve",
    command: `curl -s -X PUT http://localhost:9876/users/steve -H "Authorization: apiKey <keyId>:<keySecret>" -H "Content-Type: application/json" -d @update.json`,
  },
  {
    title: "Activate/Deactivate User: DELETE /users/{id|username}/status",
    command: `curl -s -X DELETE http://localhost:9876/users/steve/status -H "Authorization: apiKey <keyId>:<keySecret>" -H "Content-Type: application/json" -d @status.json`,
  },
  {
    title: "Delete User: DELETE /users/steve",
    command: `curl -s -X DELETE http://localhost:9876/users/steve -H "Authorization: apiKey <keyId>:<keySecret>"`,
  },
];
