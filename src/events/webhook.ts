import { createHmac } from "node:crypto";
import { eventText } from "./catalogue.ts";
import type { PushFormat } from "./push-format.ts";

// The webhook format (docs/event-delivery.md, "Webhooks"): the event's JSON as the body of a POST,
// signed with the subscription's secret. Any 2xx means delivered; any other answer, or none, is
// retried.

// X-Scim-Signature: `t=<unix seconds>,v1=<hex HMAC-SHA256>` of "<t>.<body>", keyed with the
// secret's text as printed. The time in the signed text lets a receiver refuse an old request
// replayed at it.
export function webhookSignature(secret: string, body: string, now: Date): string {
  const seconds = Math.floor(now.getTime() / 1000);
  return `t=${seconds},v1=${createHmac("sha256", secret).update(`${seconds}.${body}`).digest("hex")}`;
}

export const webhookFormat: PushFormat = {
  name: "webhook",
  request(event, target, now) {
    const body = eventText(event, event.tenant);
    return {
      url: target.url,
      body,
      headers: {
        "Content-Type": "application/json",
        "X-Scim-Event-Id": event.id,
        "X-Scim-Signature": webhookSignature(target.secret, body, now),
      },
    };
  },
  classify(status) {
    return status >= 200 && status < 300 ? { kind: "delivered" } : { kind: "retry", error: `HTTP ${status}` };
  },
};
