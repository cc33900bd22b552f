import type { RequestContext } from "./context.ts";
import { assertImmutableUnchanged } from "./resource/immutability.ts";
import { readResource } from "./resource/input.ts";
import type { ResourceSchemas } from "./resource/resource-schemas.ts";
import type { Attributes, Page, ListQuery, StoredUser, UserStore, UserWrite, WriteCondition } from "./ports.ts";
import { ScimError } from "./errors.ts";
import { commonAttributes } from "./schema/common.ts";
import { enterpriseUserSchema } from "./schema/enterprise-user.ts";
import { userSchema } from "./schema/user.ts";
import { applyPatch, type PatchTarget } from "./patch/apply.ts";
import { clientOperations } from "./patch/quirks/index.ts";
import { readPatchRequest } from "./patch/operations.ts";
import { schemaRegistry } from "./schema/registry.ts";
import { userResourceType } from "./schema/resource-types.ts";

export const userSchemas: ResourceSchemas = {
  schema: userSchema,
  extensions: [enterpriseUserSchema],
  common: commonAttributes,
};

const userPatchTarget: PatchTarget = { resourceType: userResourceType, schemas: userSchemas, registry: schemaRegistry };

export type PasswordHasher = (password: string) => Promise<string>;

// RFC 7644 §3.3, §3.4.1, §3.5.1, §3.6: the User operations.
export class UserService {
  constructor(
    private readonly store: UserStore,
    private readonly hashPassword: PasswordHasher,
  ) {}

  // RFC 7644 §3.3
  async create(context: RequestContext, body: unknown): Promise<StoredUser> {
    const write = await this.toWrite(body);
    return this.store.create(context.tenantId, write);
  }

  // RFC 7644 §3.4.1
  async get(context: RequestContext, id: string, withGroups: boolean): Promise<StoredUser> {
    const user = await this.store.get(context.tenantId, id, { withRelations: withGroups });
    if (!user) throw ScimError.notFound(`User ${id} not found`);
    return user;
  }

  // RFC 7644 §3.5.1: attributes the body omits are cleared, readOnly ones ignored, immutable ones
  // must not change. A password the body omits is kept: clients cannot read it back to resend it.
  async replace(context: RequestContext, id: string, body: unknown, condition: WriteCondition): Promise<StoredUser> {
    const current = await this.get(context, id, false);
    const write = await this.toWrite(body);
    assertImmutableUnchanged(current.attributes, write.attributes, userSchemas);
    return this.store.replace(context.tenantId, id, write, condition);
  }

  // RFC 7644 §3.5.2: operations apply to the stored user all or nothing, inside storage's
  // transaction on it, so that concurrent patches are applied one after the other and none is lost.
  patch(context: RequestContext, id: string, body: unknown, condition: WriteCondition): Promise<StoredUser> {
    const operations = clientOperations(readPatchRequest(body));
    return this.store.patch(
      context.tenantId,
      id,
      async (current) => {
        const { password, ...attributes } = applyPatch(current.attributes, operations, userPatchTarget);
        return {
          attributes: withActive(attributes),
          passwordHash: typeof password === "string" ? await this.hashPassword(password) : undefined,
        };
      },
      condition,
    );
  }

  // RFC 7644 §3.6
  remove(context: RequestContext, id: string, condition: WriteCondition): Promise<void> {
    return this.store.remove(context.tenantId, id, condition);
  }

  // RFC 7644 §3.4.2
  list(context: RequestContext, query: ListQuery, withGroups: boolean): Promise<Page<StoredUser>> {
    return this.store.list(context.tenantId, query, { withRelations: withGroups });
  }

  private async toWrite(body: unknown): Promise<UserWrite> {
    const { schemas: _schemas, password, ...attributes } = readResource(body, userSchemas).resource;
    return {
      attributes: withActive(attributes),
      passwordHash: typeof password === "string" ? await this.hashPassword(password) : undefined,
    };
  }
}

// A user without `active` is active: stored and returned so, so that filters and reads agree.
function withActive(attributes: Attributes): Attributes {
  return attributes.active === undefined ? { ...attributes, active: true } : attributes;
}
