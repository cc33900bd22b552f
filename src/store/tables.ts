import type {
  AdminCredentialModel, CredentialModel, DeliveryAttemptModel, EventModel, ExtensionValueModel, GroupMemberModel, GroupModel, PendingDeliveryModel,
  ProvisioningRequestModel, SequenceModel, SettingModel, SubscriptionModel, TenantModel, UserModel, UserValueModel,
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
  readonly Event: EventModel;
  readonly Subscription: SubscriptionModel;
  readonly PendingDelivery: PendingDeliveryModel;
  readonly DeliveryAttempt: DeliveryAttemptModel;
  readonly AdminCredential: AdminCredentialModel;
  readonly ProvisioningRequest: ProvisioningRequestModel;
}

export type Table = keyof Tables;

export type ColumnOf<T extends Table> = keyof Tables[T] & string;

// Some columns of a row as the Sql port reads them: DateTime columns arrive as text from SQLite and
// as a Date from PostgreSQL (sqlDate reads either), Booleans as 0 or 1 from SQLite.
export type ReadRow<T extends Table, C extends ColumnOf<T>> = { readonly [K in C]: AsRead<Tables[T][K]> };

type AsRead<V> = Date extends NonNullable<V> ? unknown : boolean extends NonNullable<V> ? unknown : V;

// Values for some columns of a row, as a statement writes them.
export type RowValues<T extends Table> = { readonly [C in ColumnOf<T>]?: SqlValue };

// The tables of the resources and of their element rows, which filters read.
export type ResourceTable = "User" | "Group";
export type ElementTable = "UserValue" | "GroupMember" | "ExtensionValue";
