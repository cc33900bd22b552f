import type { EventRow } from "../store/events.ts";
import type { ChangeEvent } from "./catalogue.ts";

// What a push delivery format says about one event and one receiver: the HTTP request that
// carries it, and what the receiver's answer means. Delivery (events/delivery.ts) sends the
// request, keeps the answer, and retries or gives up as the outcome says.

// An event as delivery reads it: the stored row, its JSON text (catalogue.ts eventText), the same
// parsed, and the tenant's name.
export interface PushEvent {
  readonly row: EventRow;
  readonly text: string;
  readonly event: ChangeEvent;
  readonly tenant: string;
}

// The receiver, as its Subscription row has it.
export interface PushSubscription {
  readonly id: string;
  readonly url: string;
  readonly secret: string;
  readonly audience: string | null;
}

export interface PushRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

// "delivered": done. "retry": try again later, until the subscription's retry period ends.
// { final }: the receiver refused the event for good, for the reason given.
export type PushOutcome = "delivered" | "retry" | { readonly final: string };

export interface PushFormat {
  request(event: PushEvent, subscription: PushSubscription, now: Date): PushRequest;
  outcome(status: number, bodyText: string): PushOutcome;
}
