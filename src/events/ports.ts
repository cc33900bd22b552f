import type { EventType } from "./catalogue.ts";

// What delivery and the `events` command need from storage (store/subscriptions.ts implements
// both): subscriptions, the events each still owes its receiver, and the record of attempts.

export const subscriptionFormats = ["webhook", "set", "poll"] as const;

export type SubscriptionFormat = (typeof subscriptionFormats)[number];

// A subscription as listed: everything but its secret.
export interface Subscription {
  readonly id: string;
  readonly tenantId: string;
  readonly tenantName: string;
  readonly format: SubscriptionFormat;
  // Where events are pushed; none for a poll subscription.
  readonly url: string | null;
  // The event types delivered; empty for every type.
  readonly types: readonly EventType[];
  readonly audience: string | null;
  readonly paused: boolean;
  // The last sequence of the tenant's events handed to delivery.
  readonly cursor: number;
  // How long a failing event is retried before it is given up ("dead").
  readonly retryForSeconds: number;
  readonly createdAt: Date;
  // Its events waiting for a retry, given up after the retry period, and refused for good.
  readonly pending: { readonly retry: number; readonly dead: number; readonly failed: number };
}

export interface SubscriptionRequest {
  readonly tenantId: string;
  readonly format: SubscriptionFormat;
  readonly url: string | null;
  readonly types: readonly EventType[];
  readonly audience: string | null;
  readonly retryForSeconds: number;
}

// What `events replay` did: the cursor set back to just before `from` and the subscription's
// undelivered events from there forgotten (they are sent again with the rest), or, without a
// starting point, the events given up on made due again.
export type Replay =
  | { readonly kind: "from"; readonly from: number; readonly cursorBefore: number; readonly cursorAfter: number; readonly cleared: number }
  | { readonly kind: "given-up"; readonly requeued: number };

export type AttemptOutcome = "delivered" | "retry" | "dead" | "failed";

export interface DeliveryAttempt {
  readonly id: number;
  readonly subscriptionId: string;
  readonly sequence: number;
  readonly eventId: string;
  readonly attemptedAt: Date;
  // The receiver's HTTP status; null when it did not answer.
  readonly status: number | null;
  readonly durationMs: number;
  readonly error: string | null;
  readonly outcome: AttemptOutcome;
}

export interface SubscriptionStore {
  // A new subscription with a random id and signing secret; its cursor starts at the tenant's
  // last event, so it receives the events that happen from now on.
  create(request: SubscriptionRequest): Promise<{ readonly subscription: Subscription; readonly secret: string }>;
  // Every subscription, or a tenant's, oldest first.
  list(tenantId?: string): Promise<Subscription[]>;
  get(id: string): Promise<Subscription | undefined>;
  remove(id: string): Promise<boolean>;
  setPaused(id: string, paused: boolean): Promise<Subscription | undefined>;
  // From a sequence, or from the first event that occurred at or after a time; without either,
  // the events given up on. Undefined when there is no such subscription.
  replay(id: string, from?: number | Date): Promise<Replay | undefined>;
  // Attempts, newest first; `givenUp` keeps those after which the event was given up.
  attempts(id: string, options: { readonly givenUp: boolean; readonly limit: number }): Promise<DeliveryAttempt[]>;
}

// A subscription as its lease hands it to delivery, with what sending needs.
export interface LeasedSubscription {
  readonly id: string;
  readonly tenantId: string;
  readonly tenantName: string;
  readonly format: SubscriptionFormat;
  readonly url: string;
  readonly secret: string;
  readonly audience: string | null;
  readonly types: readonly string[];
  readonly cursor: number;
  readonly retryForSeconds: number;
}

// An event as sent: the stored columns its JSON text is built from (catalogue.ts, eventText).
export interface OutboxEvent {
  readonly sequence: number;
  readonly id: string;
  readonly type: string;
  readonly resourceId: string;
  readonly payload: string;
}

// An event of the subscription after its cursor; `waiting` when an earlier event of the same
// resource waits for a retry, so that this one must wait behind it.
export interface NextEvent extends OutboxEvent {
  readonly waiting: boolean;
}

// The events after the cursor, and the sequence the cursor may move to once they are dealt with
// (beyond the last of them when the events between are of types the subscription does not take).
export interface NextEvents {
  readonly events: readonly NextEvent[];
  readonly through: number;
}

// An event waiting for a retry, due now.
export interface DueEvent extends OutboxEvent {
  readonly attempts: number;
  readonly firstAttemptAt: Date | null;
  readonly lastError: string | null;
}

export interface AttemptRecord {
  readonly sequence: number;
  readonly eventId: string;
  readonly attemptedAt: Date;
  readonly status: number | null;
  readonly durationMs: number;
  readonly error: string | null;
  readonly outcome: AttemptOutcome;
}

// A PendingDelivery row as it is to be after a pass: "retry", "dead" or "failed". An event held
// back behind an earlier one of its resource is a "retry" row with no attempt yet, not due until
// the one before it is settled (PassRecord.settled), or at the latest when its retry period ends.
export interface PendingRecord {
  readonly sequence: number;
  readonly resourceId: string;
  readonly state: "retry" | "dead" | "failed";
  readonly attempts: number;
  // When its retry period began: its first attempt, or when it was held back.
  readonly firstAttemptAt: Date | null;
  readonly nextAttemptAt: Date;
  readonly lastError: string | null;
}

// What a pass over some of a subscription's events produced, written together.
export interface PassRecord {
  readonly now: Date;
  // The cursor before the pass, and after it.
  readonly from: number;
  readonly cursor: number;
  readonly attempts: readonly AttemptRecord[];
  readonly pending: readonly PendingRecord[];
  // Events that had waited for a retry and are now delivered.
  readonly delivered: readonly number[];
  // Resources whose waiting event `after` was settled (delivered or given up): the next event of
  // the resource waiting behind it becomes due.
  readonly settled: readonly { readonly resourceId: string; readonly after: number }[];
}

export interface Pruned {
  readonly events: number;
  readonly attempts: number;
  readonly pending: number;
}

export interface DeliveryStore {
  // Leases (to `owner`, until `until`) at most `limit` subscriptions that are not paused, are of
  // one of `formats`, have events to deliver or retries due at `now`, and whose lease is free or
  // has expired. Each is leased by one owner at a time, also across processes.
  lease(owner: string, formats: readonly string[], now: Date, until: Date, limit: number): Promise<LeasedSubscription[]>;
  // Extends every lease `owner` still holds; the ids of those subscriptions.
  renew(owner: string, until: Date): Promise<ReadonlySet<string>>;
  release(owner: string, id: string): Promise<void>;
  // Whether `owner` still holds the lease of the subscription, which exists and is not paused.
  holds(owner: string, id: string): Promise<boolean>;
  // The retries due at `now` that no waiting event of their resource not yet due precedes; at
  // most `limit`, in sequence order.
  dueEvents(subscription: LeasedSubscription, now: Date, limit: number): Promise<DueEvent[]>;
  // At most `limit` events after `cursor`, of the subscription's types, in sequence order.
  newEvents(subscription: LeasedSubscription, cursor: number, limit: number): Promise<NextEvents>;
  // Writes a pass's outcome and moves the cursor, in one transaction, only while `owner` holds
  // the lease and the cursor is still `record.from` (a replay moves it); renews the lease.
  // "lost" when it was not written, "paused" when it was and the subscription has been paused.
  record(subscription: LeasedSubscription, owner: string, until: Date, record: PassRecord): Promise<"held" | "paused" | "lost">;
  // Deletes events that occurred, and attempts made, before `before`, and what waits for a
  // deleted event.
  prune(before: Date): Promise<Pruned>;
}
