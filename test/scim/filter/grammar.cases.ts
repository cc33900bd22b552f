import type { RegistryName } from "./test-schemas.ts";

// Whole filters as a client writes them, against the server's User (core plus Enterprise User) and
// Group: filters that must resolve and print back to themselves, the canonical text printFilter gives
// for and/or/not nesting, ordering operators the core User's boolean rejects, and what Okta, Entra ID
// and Microsoft's SCIM reference collection send.

const core = "urn:ietf:params:scim:schemas:core:2.0:User";
const enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/** Valid filters; resolved against test-schemas.ts's enterpriseUserRegistry. */
export const validFilters: readonly string[] = [
  // RFC 7644 §3.4.2.2's example filters, verbatim
  'userName eq "bjensen"',
  `name.familyName co "O'Malley"`,
  'userName sw "J"',
  `${core}:userName sw "J"`,
  "title pr",
  'meta.lastModified gt "2011-05-13T04:42:34Z"',
  'meta.lastModified ge "2011-05-13T04:42:34Z"',
  'meta.lastModified lt "2011-05-13T04:42:34Z"',
  'meta.lastModified le "2011-05-13T04:42:34Z"',
  'title pr and userType eq "Employee"',
  'title pr or userType eq "Intern"',
  `schemas eq "${enterprise}"`,
  'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
  'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
  'userType eq "Employee" and (emails.type eq "work")',
  'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
  'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',

  // every operator on a string, and the ones left for other types
  'nickName ne "Babs"',
  'displayName ew "Kim"',
  'userName gt "m" and userName le "t"',
  'preferredLanguage lt "fr" or locale ge "pt"',
  "active eq false",
  "active ne true",
  'meta.created gt "2024-02-29T12:00:00+01:00"',
  "title eq null",
  'x509Certificates.value eq "MIIBIjANBgkq"',

  // operators, keywords and attribute names in any case
  'USERNAME Sw "dana"',
  'Name.GivenName CO "an" AnD Not (ACTIVE eq false)',

  // URN-qualified names: the core URN, the extension URN, a URN in mixed case
  `${core}:name.familyName ew "sen"`,
  `${enterprise}:department eq "Engineering"`,
  `${enterprise}:manager.value eq "3b1c9e4f-0d7a-4c1e-9b2a-6f5d8e7c1a20"`,
  "Urn:Ietf:Params:Scim:Schemas:Extension:Enterprise:2.0:User:EmployeeNumber pr",
  // an Enterprise User attribute without its URN (Entra writes them so; quirks.ts)
  'costCenter eq "4130" or division sw "North"',

  // value paths
  'phoneNumbers[type eq "mobile" and value sw "+351"]',
  'addresses[type eq "work" and (locality eq "Lisbon" or country eq "PT")]',
  'emails[not (type eq "home")] and roles[primary eq true]',
  'entitlements[value co "admin"] or groups[display eq "Engineering"]',
  `${core}:photos[type eq "thumbnail"]`,

  // grouping
  '((userName eq "dana.kim"))',
  'not (not (externalId pr)) and id ne "0"',
  'meta.resourceType eq "User" and (userType eq "Contractor" or userType eq "Intern") and active eq true',
];

/** Resolved against sampleRegistry, whose attributes a, b, c, d, str, score and items they use. */
export const precedenceCases: readonly { readonly input: string; readonly canonical: string }[] = [
  // and binds tighter than or, so an and inside an or needs no parentheses and loses them
  { input: "a pr or b pr and c pr", canonical: "a pr or b pr and c pr" },
  { input: "(a pr and b pr) or (c pr and d pr)", canonical: "a pr and b pr or c pr and d pr" },
  { input: '(str eq "x" and a pr) or b pr', canonical: 'str eq "x" and a pr or b pr' },
  // an or inside an and keeps them, wherever it stands
  { input: "(a pr or b pr) and c pr", canonical: "(a pr or b pr) and c pr" },
  { input: "a pr and (b pr or c pr) and d pr", canonical: "a pr and (b pr or c pr) and d pr" },
  { input: 'str eq "x" and (b pr or (c pr and d pr))', canonical: 'str eq "x" and (b pr or c pr and d pr)' },
  // redundant parentheses go; the same operator nested in itself is flattened
  { input: "((a pr))", canonical: "a pr" },
  { input: "a pr or (b pr or (c pr or d pr))", canonical: "a pr or b pr or c pr or d pr" },
  { input: "((a pr and b pr) and c pr) and d pr", canonical: "a pr and b pr and c pr and d pr" },
  // not always prints its operand in parentheses, and only it
  { input: "not (a pr or b pr) and c pr", canonical: "not (a pr or b pr) and c pr" },
  { input: "(not (a pr)) or (b pr)", canonical: "not (a pr) or b pr" },
  // inside brackets the same rules, with sub-attribute names
  { input: 'items[type eq "x" or value eq "y"] and a pr', canonical: 'items[type eq "x" or value eq "y"] and a pr' },
  { input: "items[(primary eq true) and (type pr or count gt 2)]", canonical: "items[primary eq true and (type pr or count gt 2)]" },
  // keywords, names and numbers in their canonical spelling
  { input: 'A EQ "1" OR B Ne "2"', canonical: 'a eq "1" or b ne "2"' },
  { input: "  score   GE 1E3 ", canonical: "score ge 1000" },
];

/** Must be invalidFilter against the server's own User: ordering and substring operators on its boolean. */
export const invalidUserFilters: readonly string[] = [
  "active gt false",
  "active LT true",
  "ACTIVE ge false",
  "active le true",
  'active co "true"',
  'active sw "t"',
  'active ew "e"',
  // the error is found inside larger filters too
  'userName eq "dana.kim" and active gt false',
  "not (active lt true)",
];

export interface ClientFilterCase {
  readonly client: string;
  /** The resource type the client sends it to: "user" (/Users) or "group" (/Groups). */
  readonly registry: Extract<RegistryName, "user" | "group">;
  readonly filter: string;
}

const okta = (registry: ClientFilterCase["registry"], filter: string): ClientFilterCase => ({ client: "Okta", registry, filter });
const entra = (registry: ClientFilterCase["registry"], filter: string): ClientFilterCase => ({ client: "Entra ID", registry, filter });
const microsoftCollection = (filter: string): ClientFilterCase =>
  ({ client: "Microsoft's SCIM reference collection", registry: "user", filter });

/** What real clients send to /Users and /Groups; each must resolve against the server's own schemas. */
export const realClientFilters: readonly ClientFilterCase[] = [
  // Okta looks a user up by userName before creating it, and a group by displayName before pushing it
  okta("user", 'userName eq "dana.kim@example.com"'),
  okta("group", 'displayName eq "Engineering"'),

  // Entra ID: Test Connection queries a random GUID; users match on userName, externalId or the work
  // email; it checks the manager before changing it and membership before adding; it uses eq and and only
  entra("user", 'userName eq "5f0c7f38-4a55-4c1e-9d8e-2b7f8f3f0b61"'),
  entra("user", 'externalId eq "7d3e2c1b-90af-4e58-8b6d-1c2d3e4f5a6b"'),
  entra("user", "externalId eq dkim"),
  entra("user", 'emails[type eq "work"].value eq "dana.kim@example.com"'),
  entra("user", 'id eq "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d" and manager eq "3b1c9e4f-0d7a-4c1e-9b2a-6f5d8e7c1a20"'),
  entra("group", 'displayName eq "Sales EMEA"'),
  entra("group", 'id eq "c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f" and members[value eq "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"]'),

  // unquoted values and capitalised attribute names
  microsoftCollection("userName sw D"),
  microsoftCollection('DisplayName eq "Dana Kim"'),
  microsoftCollection("name.FamilyName eq Kim and (emails.Value co example.com or emails.Value co example.net)"),
  microsoftCollection("meta.Created gt 2024-03-01T09:30:00.1234567+01:00"),
];
