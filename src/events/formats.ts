import type { PushFormat } from "./push-format.ts";
import { webhookFormat } from "./webhook.ts";

// The formats delivery pushes, by the name a subscription's `format` holds. A "poll" subscription
// is read by its receiver (RFC 8936), never pushed; "set" (RFC 8935) pushes once its format
// (set.ts) is listed here.
export const pushFormats: readonly PushFormat[] = [webhookFormat];

export function pushFormatNamed(name: string): PushFormat | undefined {
  return pushFormats.find((format) => format.name === name);
}
