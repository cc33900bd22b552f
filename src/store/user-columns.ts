import { foldCase } from "../scim/case.ts";
import type { Attributes } from "../scim/ports.ts";
import { enterpriseUserUrn } from "../scim/schema/urns.ts";

// Where each filterable, sortable User attribute lives in the database. The resource itself is
// kept whole in `doc`; these columns and UserValue rows exist so that the database can filter
// and sort with indexes. Columns of attributes that are not caseExact hold the folded form.

export interface ColumnMapping {
  readonly path: string;
  readonly column: UserColumn;
  readonly caseExact: boolean;
  read(attributes: Attributes): unknown;
}

export type UserColumn =
  | "userName" | "externalId" | "displayName" | "nameFormatted" | "familyName" | "givenName"
  | "middleName" | "honorificPrefix" | "honorificSuffix" | "nickName" | "profileUrl" | "title"
  | "userType" | "preferredLanguage" | "locale" | "timezone" | "active" | "employeeNumber"
  | "costCenter" | "organization" | "division" | "department" | "managerId";

const core = (path: string, column: UserColumn, caseExact = false): ColumnMapping => ({
  path,
  column,
  caseExact,
  read: (attributes) => walk(attributes, path.split(".")),
});

const enterprise = (path: string, column: UserColumn, caseExact = false): ColumnMapping => ({
  path: `${enterpriseUserUrn}:${path}`,
  column,
  caseExact,
  read: (attributes) => walk(attributes[enterpriseUserUrn], path.split(".")),
});

export const userColumns: readonly ColumnMapping[] = [
  core("userName", "userName"),
  core("externalId", "externalId", true),
  core("displayName", "displayName"),
  core("name.formatted", "nameFormatted"),
  core("name.familyName", "familyName"),
  core("name.givenName", "givenName"),
  core("name.middleName", "middleName"),
  core("name.honorificPrefix", "honorificPrefix"),
  core("name.honorificSuffix", "honorificSuffix"),
  core("nickName", "nickName"),
  core("profileUrl", "profileUrl"),
  core("title", "title"),
  core("userType", "userType"),
  core("preferredLanguage", "preferredLanguage"),
  core("locale", "locale"),
  core("timezone", "timezone"),
  core("active", "active", true),
  enterprise("employeeNumber", "employeeNumber"),
  enterprise("costCenter", "costCenter"),
  enterprise("organization", "organization"),
  enterprise("division", "division"),
  enterprise("department", "department"),
  enterprise("manager.value", "managerId", true),
];

// The multi-valued User attributes stored one row per value in UserValue.
export const multiValuedUserAttributes = [
  "emails", "phoneNumbers", "ims", "photos", "addresses", "entitlements", "roles", "x509Certificates",
] as const;

// Sub-attributes of UserValue rows, with whether the column holds the folded form.
const valueSubAttributes = [
  ["display", false], ["type", false], ["formatted", false], ["streetAddress", false],
  ["locality", false], ["region", false], ["postalCode", false], ["country", false],
] as const;

// Binary and reference values compare exactly (RFC 7643 §2.3.6, §2.3.7); other values fold.
const exactValueAttributes = new Set(["photos", "x509Certificates"]);

export type UserColumnValues = Record<Exclude<UserColumn, "userName" | "active">, string | null> & {
  userName: string;
  active: boolean;
};

export function userColumnValues(attributes: Attributes): UserColumnValues {
  const values = {} as Record<UserColumn, string | boolean | null>;
  for (const mapping of userColumns) {
    const value = mapping.read(attributes);
    values[mapping.column] =
      mapping.column === "active"
        ? value !== false
        : typeof value === "string"
          ? mapping.caseExact ? value : foldCase(value)
          : null;
  }
  return values as UserColumnValues;
}

export interface UserValueRow {
  tenantId: string;
  userId: string;
  attr: string;
  pos: number;
  value: string | null;
  valueFold: string | null;
  primary: boolean;
  display: string | null;
  type: string | null;
  formatted: string | null;
  streetAddress: string | null;
  locality: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
}

export function userValueRows(tenantId: string, userId: string, attributes: Attributes): UserValueRow[] {
  const rows: UserValueRow[] = [];
  for (const attr of multiValuedUserAttributes) {
    const elements = attributes[attr];
    if (!Array.isArray(elements)) continue;
    elements.forEach((element: Record<string, unknown>, pos) => {
      const value = typeof element.value === "string" ? element.value : null;
      const row: UserValueRow = {
        tenantId, userId, attr, pos, value,
        valueFold: value === null ? null : exactValueAttributes.has(attr) ? value : foldCase(value),
        primary: element.primary === true,
        display: null, type: null, formatted: null, streetAddress: null, locality: null,
        region: null, postalCode: null, country: null,
      };
      for (const [name] of valueSubAttributes) {
        const sub = element[name];
        row[name] = typeof sub === "string" ? foldCase(sub) : null;
      }
      rows.push(row);
    });
  }
  return rows;
}

function walk(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const step of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}
