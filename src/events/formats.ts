import type { PushFormat } from "./push-format.ts";
import { setPushFormat, type SetIssuer } from "./set.ts";
import { webhookFormat } from "./webhook.ts";

// The formats delivery pushes, by the name a subscription's `format` holds: signed JSON
// (webhook.ts) and RFC 8935 security event tokens signed by `issuer` (set.ts). A "poll"
// subscription is read by its receiver (RFC 8936), never pushed.
export function pushFormats(issuer: SetIssuer): readonly PushFormat[] {
  return [webhookFormat, setPushFormat(issuer)];
}
