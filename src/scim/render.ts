import type { RequestContext } from "./context.ts";
import type { Attributes, StoredGroup, StoredUser, Versioned } from "./ports.ts";
import { enterpriseUserUrn, groupUrn, listResponseUrn, userUrn } from "./schema/urns.ts";

export type ScimResource = Record<string, unknown>;

// RFC 7644 §3.14: the version as a weak entity tag.
export function etagOf(resource: Pick<Versioned, "version">): string {
  return `W/"${resource.version}"`;
}

// RFC 7643 §3.1: common attributes and meta around the stored attributes.
function renderResource(
  context: RequestContext,
  resourceType: "User" | "Group",
  endpoint: string,
  schemas: string[],
  stored: Versioned & { attributes: Attributes },
  extra: Attributes,
): ScimResource {
  return {
    schemas,
    id: stored.id,
    ...stored.attributes,
    ...extra,
    meta: {
      resourceType,
      created: stored.created.toISOString(),
      lastModified: stored.lastModified.toISOString(),
      location: `${context.baseUrl}${endpoint}/${stored.id}`,
      version: etagOf(stored),
    },
  };
}

// RFC 7643 §4.1, §4.3
export function renderUser(context: RequestContext, user: StoredUser): ScimResource {
  const schemas = [userUrn, ...extensionsOf(user.attributes)];
  const groups = user.groups?.length
    ? { groups: user.groups.map((group) => ({ ...group, $ref: `${context.baseUrl}/Groups/${group.value}` })) }
    : {};
  return renderResource(context, "User", "/Users", schemas, user, { ...groups, ...managerOf(context, user) });
}

// RFC 7643 §4.3: the manager as stored (its value) with its $ref and current displayName; one that
// no longer names a user of the tenant (stored before references were checked) keeps only its value.
function managerOf(context: RequestContext, user: StoredUser): Attributes {
  const enterprise = user.attributes[enterpriseUserUrn] as Record<string, unknown> | undefined;
  const manager = enterprise?.manager as Record<string, unknown> | undefined;
  if (typeof manager?.value !== "string" || user.managerName === undefined) return {};
  return {
    [enterpriseUserUrn]: {
      ...enterprise,
      manager: { value: manager.value, $ref: `${context.baseUrl}/Users/${manager.value}`, displayName: user.managerName },
    },
  };
}

// RFC 7643 §4.2
export function renderGroup(context: RequestContext, group: StoredGroup): ScimResource {
  const members = group.members?.length
    ? {
        members: group.members.map((member) => ({
          value: member.value,
          $ref: `${context.baseUrl}/${member.type === "Group" ? "Groups" : "Users"}/${member.value}`,
          type: member.type,
          ...(member.display === undefined ? {} : { display: member.display }),
        })),
      }
    : {};
  return renderResource(context, "Group", "/Groups", [groupUrn, ...extensionsOf(group.attributes)], group, members);
}

// RFC 7643 §3: `schemas` names every extension whose attributes the resource carries (stored
// under the extension's URN).
function extensionsOf(attributes: Attributes): string[] {
  return Object.keys(attributes).filter((key) => key.startsWith("urn:"));
}

// RFC 7644 §3.4.2: startIndex and itemsPerPage describe the page returned. With cursor
// pagination (RFC 9865) nextCursor takes the place of startIndex.
export function listResponse(
  resources: readonly ScimResource[],
  totalResults: number,
  position: { readonly startIndex: number } | { readonly nextCursor: string | undefined },
): ScimResource {
  return {
    schemas: [listResponseUrn],
    totalResults,
    ...("startIndex" in position ? { startIndex: position.startIndex } : {}),
    itemsPerPage: resources.length,
    ...("nextCursor" in position && position.nextCursor !== undefined ? { nextCursor: position.nextCursor } : {}),
    Resources: resources,
  };
}
