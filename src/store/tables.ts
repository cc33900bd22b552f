import type {
  CredentialModel, ExtensionValueModel, GroupMemberModel, GroupModel, SequenceModel, SettingModel, TenantModel,
  UserModel, UserValueModel,
} from "./generated/sqlite/models.ts";
import type { SqlValue } from "./driver/sql.ts";

// The tables and their columns as schema.prisma declares them, taken from the types Prisma
// generates from it: a column renamed there is a type error wherever the store names it.
export interface Tables {
  readonly Tenant: TenantModel;
  readonly Setting: SettingModel;
  readonly Credential: CredentialModel;
  readonly User: UserModel;
  readonly UserValue: UserValueModel;
  readonly Group: GroupModel;
  readonly GroupMember: GroupMemberModel;
  readonly ExtensionValue: ExtensionValueModel;
  readonly Sequence: SequenceModel;
}

export type Table = keyof Tables;

export type ColumnOf<T extends Table> = keyof Tables[T] & string;

// Values for some columns of a row, as a statement writes them.
export type RowValues<T extends Table> = { readonly [C in ColumnOf<T>]?: SqlValue };

// The tables of the resources and of their element rows, which filters read.
export type ResourceTable = "User" | "Group";
export type ElementTable = "UserValue" | "GroupMember" | "ExtensionValue";
