// The curl commands of Vyte's Users reference, verbatim and in order, as docs/compat/vyte.md §10.1
// shows them. Each ends with the reference's dangling line continuation; the test runs it followed
// by a newline, as a shell reading the snippet would.

export const vendorExamples = {
  listUsers: `curl --location --request GET 'https://api.vyte.in/v2/users' \\
--header 'Authorization: apiKey' \\`,
  createUser: `curl --location --request POST 'https://api.vyte.in/v2/users' \\
--header 'Authorization: apiKey' \\`,
  updateUser: `curl --location --request PUT 'https://api.vyte.in/v2/users/:user_id' \\
--header 'Authorization: apiKey' \\`,
  createUsersBatch: `curl --location --request POST 'https://api.vyte.in/v2/users/batch' \\
--header 'Authorization: apiKey' \\`,
  updateUsersBatch: `curl --location --request PUT 'https://api.vyte.in/v2/users/batch' \\
--header 'Authorization: apiKey' \\`,
} as const;

export const vendorBaseUrl = "https://api.vyte.in";
export const vendorKeyPlaceholder = "Authorization: apiKey";
export const vendorUserIdPlaceholder = ":user_id";
