// The curl commands of the product's documentation page (docs/compat/perm-api.md §9), copied
// verbatim, in the order they appear there. Placeholders: <base_url>, <user_token> (and the bare
// user_token of the roles example), <user_uuid>.

// "Create User"
export const createUser = String.raw`curl '<base_url>/api/v2/user' \
-H 'Content-Type: application/json' \
-H 'Authorization: Bearer <user_token>' \
--data '{
"email": "str (Required)",
"password": "str (Required)",
"first_name": "str (Optional)",
"phone: "str (Optional)",
"last_name": "str (Optional)",
"groups": [
//list of permission groups ids
]
}'`;

// "Getting the list of all the roles"
export const listRoles = String.raw`curl '<base_url>/api/v2/group' \
-H 'Authorization: Bearer user_token'`;

// "User Update"
export const updateUser = String.raw`curl --request PATCH '<base_url>/api/v2/user/<user_uuid>' \
-H 'Content-Type: application/json' \
-H 'Authorization: Bearer <user_token>' \
--data '{
"email": "str (Required)",
"password": "str (Required)",
"first_name": "str (Optional)",
"phone: "str (Optional)",
"last_name": "str (Optional)",
"groups": [
//list of permission groups ids
]
}'`;

export const vendorExamples = { createUser, listRoles, updateUser } as const;
