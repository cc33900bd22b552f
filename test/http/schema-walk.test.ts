import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { listResponseModel, resourceTypeModel, schemaModel, type SchemaModel } from "../support/strict-scim.ts";
import { publicBaseUrl } from "./resource.behaviour.ts";

// RFC 7643 §2.2, §7: every attribute /Schemas declares behaves as declared. The walk reads the
// served /ResourceTypes and /Schemas (not the server's source) and, for each attribute and each
// sub-attribute of a singular complex one, sends the PATCH and PUT that its mutability allows or
// forbids and reads it back as its "returned" says.

type Attribute = SchemaModel["attributes"][number];
type SubAttribute = NonNullable<Attribute["subAttributes"]>[number];

let app: TestApp;
let scim: ScimClient;
let tenants: Record<string, ScimClient>;
beforeAll(async () => {
  app = await startTestApp({ PUBLIC_BASE_URL: publicBaseUrl });
  // A tenant that only an IdP provisions, and one with every compat API's extensions.
  const everyApi = await app.client("every-api");
  const { id } = await app.server.tenants.ensure("every-api");
  for (const api of ["bytebase", "vyte", "perm-api", "qase", "express-gateway"]) await app.server.tenants.enableApi(id, api);
  tenants = { "a tenant without compat APIs": await app.client("plain"), "a tenant with every compat API": everyApi };
});
afterAll(() => app.close());

const patchOp = (path: string, value: unknown, op = "replace") => ({
  schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
  Operations: [{ op, path, value }],
});

interface Target {
  readonly endpoint: string;
  readonly coreUrn: string;
  create(): Promise<Record<string, any>>;
}

async function newUser(): Promise<Record<string, any>> {
  return (await scim.post("/Users", { userName: `walk-${randomUUID()}` }).expect(201)).body;
}
async function newGroup(): Promise<Record<string, any>> {
  return (await scim.post("/Groups", { displayName: `walk-${randomUUID()}` }).expect(201)).body;
}

// A value for an attribute that differs from any other this walk sends (variant 1, 2, ...). References
// to resources (members, manager) name real users of the tenant.
async function sample(attribute: Attribute | SubAttribute, variant: number, parent?: string): Promise<unknown> {
  const single = async (): Promise<unknown> => {
    if (parent === "members" && attribute.name === "type") return "User";
    if (attribute.canonicalValues?.length) return attribute.canonicalValues[variant % attribute.canonicalValues.length];
    if (attribute.name === "value" && (parent === "members" || parent === "manager")) return (await newUser()).id;
    switch (attribute.type) {
      case "string":
        return `v${variant}-${attribute.name}-${randomUUID().slice(0, 8)}`;
      case "boolean":
        return variant % 2 === 0;
      case "decimal":
        return variant + 0.5;
      case "integer":
        return variant + 7;
      case "dateTime":
        return `2024-02-${10 + variant}T12:00:00Z`;
      case "binary":
        return Buffer.from(`binary ${variant}`).toString("base64");
      case "reference":
        return `https://example.com/${attribute.name}/${variant}`;
      case "complex": {
        const subs = ((attribute as Attribute).subAttributes ?? []).filter(
          (sub) => sub.mutability !== "readOnly" && sub.type !== "reference" && !(sub.name === "primary" && !attribute.multiValued),
        );
        const entries = [];
        for (const sub of subs) entries.push([sub.name, await sample(sub, variant, attribute.name)]);
        return Object.fromEntries(entries);
      }
    }
  };
  return attribute.multiValued ? [await single()] : single();
}

// The attribute's value in a representation, its name matched case-insensitively.
function valueAt(resource: Record<string, any>, urn: string | undefined, name: string, sub?: string): unknown {
  const holder = urn === undefined ? resource : resource[urn];
  if (holder === undefined) return undefined;
  const key = Object.keys(holder).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : holder[key];
  return sub === undefined || value === undefined ? value : value[sub];
}

interface Case {
  readonly label: string;
  readonly path: string;
  readonly urn: string | undefined;
  readonly attribute: Attribute | SubAttribute;
  readonly parent?: Attribute;
}

function casesOf(schema: SchemaModel, isCore: boolean): Case[] {
  const urn = isCore ? undefined : schema.id;
  const prefix = isCore ? "" : `${schema.id}:`;
  return schema.attributes.flatMap((attribute) => [
    { label: `${schema.name ?? schema.id} ${attribute.name}`, path: prefix + attribute.name, urn, attribute },
    ...(attribute.type === "complex" && !attribute.multiValued
      ? (attribute.subAttributes ?? []).map((sub) => ({
          label: `${schema.name ?? schema.id} ${attribute.name}.${sub.name}`,
          path: `${prefix}${attribute.name}.${sub.name}`,
          urn,
          attribute: sub,
          parent: attribute,
        }))
      : []),
  ]);
}

// The value as the server should hold it after a write of `sent`: what was sent, with the
// server free to add sub-attributes (a member's display and $ref, a manager's displayName).
function expectHolds(actual: unknown, sent: unknown, message: string): void {
  if (Array.isArray(sent)) {
    expect.soft(actual, message).toEqual(sent.map((element) => (typeof element === "object" ? expect.objectContaining(element) : element)));
  } else if (typeof sent === "object" && sent !== null) {
    expect.soft(actual, message).toEqual(expect.objectContaining(sent as object));
  } else {
    expect.soft(actual, message).toStrictEqual(sent);
  }
}

async function walkAttribute(target: Target, testCase: Case): Promise<void> {
  const { attribute, parent, path, urn, label } = testCase;
  const sub = parent === undefined ? undefined : attribute.name;
  const name = parent?.name ?? attribute.name;
  const read = (resource: Record<string, any>) => valueAt(resource, urn, name, sub);
  const resource = await target.create();
  const at = `${target.endpoint}/${resource.id}`;
  const writable = attribute.mutability !== "readOnly" && parent?.mutability !== "readOnly";
  const first = await sample(attribute, 1, parent?.name);

  // PATCH (RFC 7644 §3.5.2): readOnly is refused with "mutability"; the others are set.
  const patched = await scim.patch(at, patchOp(path, first));
  if (!writable) {
    expect.soft({ status: patched.status, scimType: patched.body.scimType }, `${label}: PATCH of a readOnly attribute`).toStrictEqual({ status: 400, scimType: "mutability" });
    expect.soft((await scim.get(at).expect(200)).body, `${label}: a refused PATCH changes nothing`).toStrictEqual(resource);
  } else {
    expect.soft(patched.status, `${label}: PATCH replace ${path} (${JSON.stringify(patched.body)})`).toBe(200);
  }

  // returned (RFC 7643 §2.2), read by GET with and without attributes / excludedAttributes.
  const full = (await scim.get(at).expect(200)).body;
  const requested = (await scim.get(`${at}?attributes=${encodeURIComponent(path)}`).expect(200)).body;
  const excluded = (await scim.get(`${at}?excludedAttributes=${encodeURIComponent(path)}`).expect(200)).body;
  const other = (await scim.get(`${at}?attributes=externalId`).expect(200)).body;
  const returned = parent?.returned === "never" ? "never" : attribute.returned;
  if (writable && returned !== "never") expectHolds(read(requested), first, `${label}: PATCH stored the value`);
  switch (returned) {
    case "never":
      for (const [view, body] of Object.entries({ full, requested, excluded, other })) {
        expect.soft(read(body), `${label}: returned "never", yet in the ${view} view`).toBeUndefined();
      }
      break;
    case "always":
      if (read(full) !== undefined) {
        expect.soft(read(other), `${label}: returned "always", yet missing when other attributes are asked for`).toStrictEqual(read(full));
        expect.soft(read(excluded), `${label}: returned "always", yet excluded`).toStrictEqual(read(full));
      }
      break;
    case "default":
      expect.soft(read(requested), `${label}: returned "default": asked for, it comes`).toStrictEqual(read(full));
      if (parent === undefined) expect.soft(read(excluded), `${label}: returned "default", yet not excluded`).toBeUndefined();
      break;
    case "request":
      expect.soft(read(full), `${label}: returned "request", yet in the default view`).toBeUndefined();
      break;
  }

  // immutable: once set, a different value is refused (PATCH and PUT).
  const second = await sample(attribute, 2, parent?.name);
  if (attribute.mutability === "immutable") {
    const again = await scim.patch(at, patchOp(path, second));
    expect.soft({ status: again.status, scimType: again.body.scimType }, `${label}: PATCH of a set immutable attribute`).toStrictEqual({ status: 400, scimType: "mutability" });
  }

  // PUT (RFC 7644 §3.5.1): readOnly values sent are ignored; readWrite and writeOnly ones replace.
  const before = (await scim.get(at).expect(200)).body;
  const { meta: _meta, id: _id, ...body } = structuredClone(before);
  const holder = urn === undefined ? body : (body[urn] ??= {});
  if (urn !== undefined && !body.schemas.includes(urn)) body.schemas = [...body.schemas, urn];
  if (sub === undefined) holder[name] = second;
  else holder[name] = { ...(holder[name] ?? {}), [sub]: second };
  const put = await scim.put(at, body);
  const after = (await scim.get(at).expect(200)).body;
  if (!writable) {
    expect.soft(put.status, `${label}: PUT with a readOnly value is answered (${JSON.stringify(put.body)})`).toBe(200);
    expect.soft(read(after), `${label}: PUT ignores a readOnly value`).toStrictEqual(read(before));
  } else if (attribute.mutability === "immutable" || parent?.mutability === "immutable") {
    expect.soft({ status: put.status, scimType: put.body.scimType }, `${label}: PUT changing a set immutable attribute`).toStrictEqual({ status: 400, scimType: "mutability" });
  } else {
    expect.soft(put.status, `${label}: PUT ${JSON.stringify(put.body)}`).toBe(200);
    if (returned !== "never" && returned !== "request") expectHolds(read(after), second, `${label}: PUT stored the value`);
  }
}

describe("every attribute of /Schemas behaves as its mutability and returned declare", () => {
  const targets: Record<string, Target> = {
    User: { endpoint: "/Users", coreUrn: "urn:ietf:params:scim:schemas:core:2.0:User", create: newUser },
    Group: { endpoint: "/Groups", coreUrn: "urn:ietf:params:scim:schemas:core:2.0:Group", create: newGroup },
  };

  it.each(Object.keys(targets).flatMap((typeName) => ["a tenant without compat APIs", "a tenant with every compat API"].map((tenant) => [typeName, tenant])))("%s, %s", async (typeName, tenant) => {
    scim = tenants[tenant] as ScimClient;
    const target = targets[typeName] as Target;
    const resourceType = resourceTypeModel.parse((await scim.get(`/ResourceTypes/${typeName}`).expect(200)).body);
    const schemas = listResponseModel(schemaModel).parse((await scim.get("/Schemas").expect(200)).body).Resources;
    const schemaOf = (urn: string) => schemas.find((schema) => schema.id === urn) as SchemaModel;
    const cases = [
      ...casesOf(schemaOf(resourceType.schema), true),
      ...(resourceType.schemaExtensions ?? []).flatMap((extension) => casesOf(schemaOf(extension.schema), false)),
    ];
    expect(cases.length).toBeGreaterThan(1);
    for (const testCase of cases) await walkAttribute(target, testCase);
  });
});
