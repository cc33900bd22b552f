import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { ScimError } from "../scim/errors.ts";
import type { EventRow } from "../store/events.ts";
import { eventText, type ChangeEvent } from "./catalogue.ts";
import { securityEventToken, type SetIssuer } from "./set.ts";

// RFC 8936: a receiver polls for the SETs of a subscription of format "poll" (POST /events/poll,
// docs/events-api.md). Each SET handed out stays outstanding, and is handed out again on every
// poll, until the receiver acknowledges it ("ack") or reports it invalid ("setErrs"); one not
// acknowledged within the subscription's retry period is given up.

export interface PollSubscription {
  readonly id: string;
  readonly tenantId: string;
  readonly audience: string | null;
  readonly url: string | null;
  readonly paused: boolean;
}

// What a poll reports about SETs handed out before, and how many it takes now.
export interface PollExchange {
  readonly ack: readonly string[];
  readonly setErrs: ReadonlyMap<string, SetError>;
  readonly maxEvents: number;
}

// RFC 8936 §2.2: why a receiver found a SET invalid (RFC 8935 §2.3 "err" and "description").
export interface SetError {
  readonly err: string;
  readonly description?: string;
}

export interface PollStore {
  // The tenant's poll subscription `id`, or, without an id, its only one.
  subscription(tenantId: string, id: string | undefined): Promise<PollSubscription | "none" | "several">;
  // In one transaction: forgets the SETs acknowledged, marks those reported invalid, gives up those
  // outstanding past the retry period, then hands out up to maxEvents events, outstanding ones
  // first, and records that it did. moreAvailable: there were more to hand out.
  exchange(subscription: PollSubscription, exchange: PollExchange, now: Date): Promise<{ readonly rows: readonly EventRow[]; readonly moreAvailable: boolean }>;
  // The tenant's last event sequence.
  lastSequence(tenantId: string): Promise<number>;
}

export interface PollSettings {
  readonly issuer: SetIssuer;
  // How long a long poll waits for an event, and how often it looks for one meanwhile.
  readonly waitMs: number;
  readonly checkEveryMs: number;
}

// The SETs one response may carry, when the receiver asks for more or names no maximum.
export const pollMaxEvents = 1000;

// RFC 8936 §2.2. Members this server does not know are ignored.
export const pollRequest = z.object({
  maxEvents: z.int().nonnegative().optional(),
  returnImmediately: z.boolean().optional(),
  ack: z.array(z.string()).optional(),
  setErrs: z.record(z.string(), z.object({ err: z.string().min(1), description: z.string().optional() })).optional(),
});

export type PollRequest = z.infer<typeof pollRequest>;

// RFC 8936 §2.4.
export interface PollResponse {
  readonly sets: Readonly<Record<string, string>>;
  readonly moreAvailable: boolean;
}

export function readPollRequest(body: unknown): PollRequest {
  const parsed = pollRequest.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? "The poll request" : issue.path.join(".");
  throw ScimError.invalidValue(`${where}: ${issue?.message ?? "not an RFC 8936 poll request"}`);
}

export class PollService {
  constructor(
    private readonly store: PollStore,
    private readonly settings: PollSettings,
  ) {}

  async subscription(tenantId: string, id: string | undefined): Promise<PollSubscription> {
    const found = await this.store.subscription(tenantId, id);
    if (found === "none") throw ScimError.notFound(id === undefined ? "The tenant has no poll subscription" : `No poll subscription ${id}`);
    if (found === "several") throw ScimError.invalidValue("The tenant has several poll subscriptions: name one with ?subscription=<id>");
    return found;
  }

  // RFC 8936 §2.4: acknowledgements and errors are taken first; then the SETs to hand out, if
  // any. Without returnImmediately, a poll with nothing to hand out waits for an event, until
  // the wait ends or `stop` is aborted (the receiver went away).
  async poll(subscription: PollSubscription, tenantName: string, request: PollRequest, stop: AbortSignal): Promise<PollResponse> {
    const maxEvents = Math.min(request.maxEvents ?? pollMaxEvents, pollMaxEvents);
    const setErrs = new Map(Object.entries(request.setErrs ?? {}));
    let result = await this.store.exchange(subscription, { ack: request.ack ?? [], setErrs, maxEvents }, new Date());
    const waits = request.returnImmediately !== true && maxEvents > 0 && !subscription.paused && this.settings.waitMs > 0;
    if (result.rows.length === 0 && waits) {
      const deadline = Date.now() + this.settings.waitMs;
      let seen = await this.store.lastSequence(subscription.tenantId);
      while (result.rows.length === 0 && Date.now() < deadline && !stop.aborted) {
        await sleep(Math.min(this.settings.checkEveryMs, Math.max(0, deadline - Date.now())));
        const last = await this.store.lastSequence(subscription.tenantId);
        if (last === seen) continue;
        seen = last;
        result = await this.store.exchange(subscription, { ack: [], setErrs: new Map(), maxEvents }, new Date());
      }
    }
    const now = new Date();
    const audience = subscription.audience ?? subscription.url ?? undefined;
    const sets: Record<string, string> = {};
    for (const row of result.rows) {
      const event = JSON.parse(eventText(row, tenantName)) as ChangeEvent;
      sets[event.id] = securityEventToken(this.settings.issuer, event, audience, now);
    }
    return { sets, moreAvailable: result.moreAvailable };
  }
}
