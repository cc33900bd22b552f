// Bytebase's documented curl commands for users and groups (principal/README.md of
// github.com/bytebase/example-database-security), verbatim and in order, as
// docs/compat/bytebase.md §10.2 shows them. They read the shell variables ${bytebase_url} and
// ${bytebase_token}, and the files user.json and group.json of the current directory.

export interface VendorExample {
  // The heading the command is under ("Users" or "Groups") and the comment line above it.
  readonly section: "Users" | "Groups";
  readonly title: string;
  readonly command: string;
}

export const vendorExamples: readonly VendorExample[] = [
  {
    section: "Users",
    title: "Create",
    command: `curl --request POST \${bytebase_url}/v1/users \\
  --header 'Authorization: Bearer '\${bytebase_token} \\
  --data @user.json`,
  },
  {
    section: "Users",
    title: "Update",
    command: `curl --request PATCH "\${bytebase_url}/v1/users/103" \\
  --header 'Authorization: Bearer '\${bytebase_token} \\
  --data '{
    "email":"test1@example.com",
    "title": "User updated",
    "phone": "+14082121234"
  }'`,
  },
  {
    section: "Users",
    title: "Deactivate",
    command: `curl --request DELETE "\${bytebase_url}/v1/users/111" \\
  --header 'Authorization: Bearer '\${bytebase_token}`,
  },
  {
    section: "Users",
    title: "Activate",
    command: `curl --request POST "\${bytebase_url}/v1/users/111:undelete" \\
  --header 'Authorization: Bearer '\${bytebase_token}`,
  },
  {
    section: "Groups",
    title: "Create",
    command: `curl --request POST "\${bytebase_url}/v1/groups?group_email=contractor@example.com" \\
  --header 'Authorization: Bearer '\${bytebase_token} \\
  --data @group.json`,
  },
  {
    section: "Groups",
    title: "Upsert",
    command: `curl --request PATCH "\${bytebase_url}/v1/groups/contractor@example.com?allow_missing=true" \\
  --header 'Authorization: Bearer '\${bytebase_token} \\
  --data @group.json`,
  },
  {
    section: "Groups",
    title: "Delete",
    command: `curl --request DELETE "\${bytebase_url}/v1/groups/contractor@example.com" \\
  --header 'Authorization: Bearer '\${bytebase_token}`,
  },
];
