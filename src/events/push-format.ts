// How one push format (a subscription's `format`) puts an event on the wire and reads the
// receiver's answer. Delivery (delivery.ts) does the sending, the retrying and the bookkeeping;
// a format only builds requests and classifies responses, so each fits in one small file
// (webhook.ts, set.ts) and is listed once in formats.ts.

// The subscription as a format sees it.
export interface PushTarget {
  readonly id: string;
  readonly url: string;
  // The subscription's signing secret.
  readonly secret: string;
  readonly audience: string | null;
}

// An event to push: its stored columns and the tenant's name, which is all catalogue.ts's
// eventText needs to build its JSON text.
export interface PushEvent {
  readonly sequence: number;
  readonly id: string;
  readonly type: string;
  readonly payload: string;
  readonly tenant: string;
}

export interface PushRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

// What the receiver's answer means: the event arrived; it did not, and may later; it never will
// (`error` says why, without secrets).
export type Verdict =
  | { readonly kind: "delivered" }
  | { readonly kind: "retry"; readonly error: string }
  | { readonly kind: "final"; readonly error: string };

export interface PushFormat {
  readonly name: string;
  // The request for one event, as sent at `now`.
  request(event: PushEvent, target: PushTarget, now: Date): PushRequest;
  // The receiver's status and the start of its response body.
  classify(status: number, body: string): Verdict;
}
