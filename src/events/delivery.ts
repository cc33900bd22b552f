import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import { hostname } from "node:os";
import type { Logger } from "pino";
import type {
  AttemptOutcome, AttemptRecord, DeliveryStore, DueEvent, LeasedSubscription, NextEvents, OutboxEvent, PassRecord, PendingRecord, Pruned,
} from "./ports.ts";
import type { PushFormat, Verdict } from "./push-format.ts";
import { nextAttemptAt } from "./retry.ts";
import { httpSender, type Sender } from "./sender.ts";

// Push delivery of change events (docs/event-delivery.md). Every server process runs a
// Dispatcher. It leases the subscriptions that have something to deliver, one process per
// subscription at a time (the lease is a claim written in the subscription's row, so several
// processes on one PostgreSQL share the subscriptions), and works each one on its own: a slow or
// failing receiver holds up only its own subscription.
//
// Working a subscription is a loop of passes, each written in one transaction that also moves its
// cursor, and only while the lease is still held: first the retries that are due, then the next
// events after the cursor. Events of different resources go out concurrently, those of one
// resource one after the other, and an event whose resource has an earlier event waiting for a
// retry is held back behind it until that one is settled, so each resource's events arrive in
// order. A failure is retried with a growing delay (retry.ts) for the subscription's retry
// period, then given up ("dead").
//
// A process that dies holding leases loses them when they expire; another process then sends the
// events whose outcome the dead one had not written, again: delivery is at least once, and
// exactly once while processes stop cleanly.

export interface DeliveryTuning {
  // How often the database is asked for subscriptions with something to deliver, when nothing
  // wakes the dispatcher sooner.
  readonly pollMs: number;
  // The shortest time between two such questions, however often the dispatcher is woken.
  readonly passGapMs: number;
  // Events per pass of a subscription.
  readonly batchSize: number;
  // Under a steady stream of writes, the shortest time between the starts of two passes over a
  // subscription: its events go out in passes of hundreds rather than a few at a time, so that
  // the statements of a pass (reading the events, recording the outcome) are shared. A pass of
  // fewer than spacedFrom events (few writes: the next one is sent at once) or of batchSize (a
  // backlog) is followed at once.
  readonly passSpacingMs: number;
  readonly spacedFrom: number;
  // Requests in flight per subscription (each to a different resource).
  readonly concurrency: number;
  readonly requestTimeoutMs: number;
  // Subscriptions leased per question, and worked at once by the process.
  readonly leasesPerPass: number;
  readonly maxSubscriptions: number;
  readonly pruneEveryMs: number;
  // How long stopping waits for requests in flight before abandoning them (their events are
  // sent again later).
  readonly stopGraceMs: number;
}

export const defaultTuning: DeliveryTuning = {
  pollMs: 250,
  passGapMs: 50,
  batchSize: 500,
  passSpacingMs: 250,
  spacedFrom: 16,
  concurrency: 32,
  requestTimeoutMs: 10_000,
  leasesPerPass: 64,
  maxSubscriptions: 256,
  pruneEveryMs: 3_600_000,
  stopGraceMs: 3000,
};

export interface DispatcherOptions {
  readonly store: DeliveryStore;
  // The push formats, by the name a subscription's format holds (formats.ts).
  readonly formats: readonly PushFormat[];
  // Events and attempts older than this are deleted.
  readonly retentionDays: number;
  // How long a lease lasts unless renewed: how long the subscriptions of a process that died
  // wait before another process takes them over.
  readonly leaseSeconds: number;
  readonly logger: Logger;
  readonly userAgent: string;
  // Names this process in leases; unique per process.
  readonly owner?: string;
  readonly now?: () => Date;
  // Replaces the HTTP client (tests).
  readonly send?: Sender;
  readonly random?: () => number;
  readonly tuning?: Partial<DeliveryTuning>;
}

// A subscription being worked by this process; `lost` once its lease is found to be gone.
interface Work {
  lost: boolean;
  readonly done: Promise<void>;
}

export class Dispatcher {
  readonly owner: string;
  readonly #store: DeliveryStore;
  readonly #formats: ReadonlyMap<string, PushFormat>;
  readonly #tuning: DeliveryTuning;
  readonly #logger: Logger;
  readonly #now: () => Date;
  readonly #random: () => number;
  readonly #send: Sender;
  readonly #closeSender: () => void;
  readonly #leaseMs: number;
  readonly #retentionMs: number;
  readonly #work = new Map<string, Work>();
  // Aborts the requests still in flight when stopping has waited long enough.
  readonly #abandon = new AbortController();
  #stopping = false;
  #loop: Promise<void> | undefined;
  #renewal: NodeJS.Timeout | undefined;
  #woken = false;
  #wakeUp: (() => void) | undefined;
  #lastPrune = 0;
  #pruning: Promise<unknown> | undefined;

  constructor(options: DispatcherOptions) {
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.#store = options.store;
    this.#formats = new Map(options.formats.map((format) => [format.name, format]));
    this.#tuning = { ...defaultTuning, ...options.tuning };
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
    this.#random = options.random ?? Math.random;
    this.#leaseMs = options.leaseSeconds * 1000;
    this.#retentionMs = options.retentionDays * 86_400_000;
    // Every request in flight listens to it.
    setMaxListeners(0, this.#abandon.signal);
    if (options.send) {
      this.#send = options.send;
      this.#closeSender = () => undefined;
    } else {
      const sender = httpSender({ userAgent: options.userAgent, socketsPerReceiver: this.#tuning.concurrency });
      this.#send = sender.send;
      this.#closeSender = sender.close;
    }
  }

  // Runs until stop(): asks for subscriptions to work every pollMs, or sooner when woken; renews
  // the leases it holds; prunes old events every pruneEveryMs.
  start(): void {
    if (this.#loop !== undefined || this.#stopping) return;
    this.#loop = this.#run();
    this.#renewal = setInterval(() => void this.#renew(), this.#leaseMs / 3);
  }

  // Something was committed that may have events to deliver: look now rather than at the next poll.
  wake(): void {
    this.#woken = true;
    this.#wakeUp?.();
  }

  // One pass for tests, at the injected clock's time: leases the subscriptions that have
  // something due, works each until nothing more is due, and releases them.
  async runOnce(): Promise<void> {
    await this.#lease(this.#tuning.maxSubscriptions);
    await Promise.all([...this.#work.values()].map((work) => work.done));
  }

  // Deletes events, and the record of attempts, older than the retention period.
  async prune(): Promise<Pruned> {
    return this.#store.prune(new Date(this.#now().getTime() - this.#retentionMs));
  }

  // Stops leasing, lets the passes in flight finish and write their outcome (requests still
  // unanswered after stopGraceMs are abandoned), releases the leases, closes the connections.
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    clearInterval(this.#renewal);
    this.#wakeUp?.();
    const abandon = setTimeout(() => this.#abandon.abort(), this.#tuning.stopGraceMs);
    try {
      await this.#loop;
      await Promise.all([...this.#work.values()].map((work) => work.done));
      await this.#pruning;
    } finally {
      clearTimeout(abandon);
      this.#closeSender();
    }
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      const started = performance.now();
      try {
        this.#pruneWhenDue();
        await this.#lease(Math.min(this.#tuning.leasesPerPass, this.#tuning.maxSubscriptions - this.#work.size));
      } catch (error) {
        this.#logger.error({ err: error }, "event delivery: leasing subscriptions failed");
      }
      const gap = this.#tuning.passGapMs - (performance.now() - started);
      if (gap > 0) await this.#sleep(gap, false);
      await this.#sleep(this.#tuning.pollMs, true);
    }
  }

  // Waits `ms`; when `wakes`, no longer than until woken. Stopping ends every wait.
  async #sleep(ms: number, wakes: boolean): Promise<void> {
    if (this.#stopping) return;
    if (wakes && this.#woken) {
      this.#woken = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wakeUp = () => {
        if (!wakes && !this.#stopping) return;
        clearTimeout(timer);
        resolve();
      };
    });
    this.#wakeUp = undefined;
    if (wakes) this.#woken = false;
  }

  #pruneWhenDue(): void {
    if (this.#pruning !== undefined || Date.now() - this.#lastPrune < this.#tuning.pruneEveryMs) return;
    this.#lastPrune = Date.now();
    this.#pruning = this.prune()
      .then((pruned) => {
        if (pruned.events + pruned.attempts + pruned.pending > 0) this.#logger.info(pruned, "event delivery: old events and attempts deleted");
      })
      .catch((error: unknown) => this.#logger.error({ err: error }, "event delivery: pruning old events failed"))
      .finally(() => (this.#pruning = undefined));
  }

  async #lease(limit: number): Promise<void> {
    if (limit <= 0 || this.#stopping) return;
    const now = this.#now();
    const leased = await this.#store.lease(this.owner, [...this.#formats.keys()], now, this.#until(now), limit);
    for (const subscription of leased) {
      if (this.#work.has(subscription.id)) continue;
      const work = { lost: false } as { lost: boolean; done: Promise<void> };
      work.done = this.#workOn(subscription, work).then((worked) => {
        this.#work.delete(subscription.id);
        // What was committed while it was being worked and released may be waiting. (A lease
        // that found nothing to do wakes nothing: it would only be taken again and again.)
        if (worked && this.#loop !== undefined) this.wake();
      });
      this.#work.set(subscription.id, work);
    }
  }

  // Only the passes under way before the renewal are judged by it: one that started meanwhile
  // holds a lease the renewal may not have seen.
  async #renew(): Promise<void> {
    if (this.#work.size === 0) return;
    const working = [...this.#work];
    try {
      const held = await this.#store.renew(this.owner, this.#until(this.#now()));
      for (const [id, work] of working) if (!held.has(id)) work.lost = true;
    } catch (error) {
      this.#logger.error({ err: error }, "event delivery: renewing leases failed");
    }
  }

  #until(now: Date): Date {
    return new Date(now.getTime() + this.#leaseMs);
  }

  // Passes over the subscription until it has nothing due, its lease is lost, it is paused, or
  // the dispatcher stops; whether it recorded any.
  async #workOn(subscription: LeasedSubscription, work: { lost: boolean }): Promise<boolean> {
    const format = this.#formats.get(subscription.format);
    let cursor = subscription.cursor;
    let worked = false;
    let passStarted = 0;
    try {
      if (format === undefined) throw new Error(`no push format named ${subscription.format}`);
      const stopped = () => this.#stopping || work.lost;
      let spaced = false;
      while (!stopped()) {
        if (spaced) await this.#spaced(passStarted);
        // Removed, paused or replayed since the last pass (which found out only when recording
        // it): nothing more is sent.
        if (passStarted > 0 && !(await this.#store.holds(this.owner, subscription.id))) break;
        passStarted = performance.now();
        const due = await this.#store.dueEvents(subscription, this.#now(), this.#tuning.batchSize);
        let record: PassRecord;
        if (due.length > 0) {
          record = await this.#retryPass(subscription, format, cursor, due, stopped);
        } else {
          const next = await this.#store.newEvents(subscription, cursor, this.#tuning.batchSize);
          if (next.through === cursor) break;
          record = await this.#firstPass(subscription, format, cursor, next, stopped);
        }
        const written = await this.#store.record(subscription, this.owner, this.#until(this.#now()), record);
        if (written === "lost") {
          work.lost = true;
          break;
        }
        const size = record.attempts.length + record.pending.length;
        spaced = size >= this.#tuning.spacedFrom && size < this.#tuning.batchSize;
        cursor = record.cursor;
        worked = true;
        this.#logGivenUp(subscription, record.attempts);
        if (written === "paused") break;
      }
    } catch (error) {
      this.#logger.error({ err: error, subscription: subscription.id }, "event delivery: a pass over a subscription failed");
    } finally {
      // Also after the lease was found lost: release() leaves another owner's lease alone, and
      // frees one this process took again meanwhile (after a replay cleared it), which no pass of
      // its own works now.
      await this.#store.release(this.owner, subscription.id).catch(() => undefined);
    }
    return worked;
  }

  // Waits until passSpacingMs after `since`; not in runOnce(), whose passes follow each other.
  async #spaced(since: number): Promise<void> {
    const left = since + this.#tuning.passSpacingMs - performance.now();
    if (this.#loop === undefined || left <= 0 || this.#stopping) return;
    await new Promise((resolve) => setTimeout(resolve, left));
  }

  // The retries due: each resource's events in order, stopping at the first that fails again;
  // those behind it are held back again.
  async #retryPass(subscription: LeasedSubscription, format: PushFormat, cursor: number, due: readonly DueEvent[], stopped: () => boolean): Promise<PassRecord> {
    const attempts: AttemptRecord[] = [];
    const pending: PendingRecord[] = [];
    const delivered: number[] = [];
    const settled: { resourceId: string; after: number }[] = [];
    const now = this.#now();
    const chains = await inResourceOrder(due, this.#tuning.concurrency, stopped, async (event) => {
      const sent = await this.#attempt(subscription, format, event, event);
      attempts.push(sent.attempt);
      if (sent.pending === undefined) delivered.push(event.sequence);
      else pending.push(sent.pending);
      return sent.attempt.outcome !== "retry";
    });
    for (const chain of chains) {
      const last = chain.stepped.at(-1);
      if (chain.held && last !== undefined) {
        for (const event of chain.unsent) pending.push(this.#heldBack(subscription, event, event.firstAttemptAt ?? now, event));
      } else if (chain.unsent.length === 0 && last !== undefined) {
        settled.push({ resourceId: last.resourceId, after: last.sequence });
      }
    }
    return { now, from: cursor, cursor, attempts, pending, delivered, settled };
  }

  // The next events after the cursor. Those of a resource with an event waiting for a retry, and
  // those behind one that fails now, are held back behind it. Those not sent because the
  // dispatcher is stopping are left due, for the next retry pass (of whichever process).
  async #firstPass(subscription: LeasedSubscription, format: PushFormat, cursor: number, next: NextEvents, stopped: () => boolean): Promise<PassRecord> {
    const attempts: AttemptRecord[] = [];
    const pending: PendingRecord[] = [];
    const now = this.#now();
    const chains = await inResourceOrder(
      next.events.filter((event) => !event.waiting),
      this.#tuning.concurrency,
      stopped,
      async (event) => {
        const sent = await this.#attempt(subscription, format, event, undefined);
        attempts.push(sent.attempt);
        if (sent.pending !== undefined) pending.push(sent.pending);
        return sent.attempt.outcome !== "retry";
      },
    );
    for (const event of next.events) if (event.waiting) pending.push(this.#heldBack(subscription, event, now, undefined));
    for (const chain of chains) {
      for (const event of chain.unsent) {
        pending.push(
          chain.held
            ? this.#heldBack(subscription, event, now, undefined)
            : { sequence: event.sequence, resourceId: event.resourceId, state: "retry", attempts: 0, firstAttemptAt: now, nextAttemptAt: now, lastError: null },
        );
      }
    }
    return { now, from: cursor, cursor: next.through, attempts, pending, delivered: [], settled: [] };
  }

  // An event held back behind an earlier one of its resource: due once that one is settled, and
  // at the latest when its own retry period, which began `since`, ends.
  #heldBack(subscription: LeasedSubscription, event: OutboxEvent, since: Date, before: DueEvent | undefined): PendingRecord {
    return {
      sequence: event.sequence,
      resourceId: event.resourceId,
      state: "retry",
      attempts: before?.attempts ?? 0,
      firstAttemptAt: since,
      nextAttemptAt: new Date(since.getTime() + subscription.retryForSeconds * 1000),
      lastError: before?.lastError ?? null,
    };
  }

  // Sends one event; what the attempt was, and the event's PendingDelivery row after it (none
  // once delivered). `before` is its row when it was waiting for a retry.
  async #attempt(
    subscription: LeasedSubscription,
    format: PushFormat,
    event: OutboxEvent,
    before: DueEvent | undefined,
  ): Promise<{ readonly attempt: AttemptRecord; readonly pending?: PendingRecord }> {
    const attemptedAt = this.#now();
    const started = performance.now();
    let status: number | null = null;
    let verdict: Verdict;
    try {
      const request = format.request({ ...event, tenant: subscription.tenantName }, subscription, attemptedAt);
      const response = await this.#send(request, { timeoutMs: this.#tuning.requestTimeoutMs, signal: this.#abandon.signal });
      status = response.status;
      verdict = format.classify(response.status, response.body);
    } catch (error) {
      verdict = { kind: "retry", error: failureText(error) };
    }
    const durationMs = Math.round(performance.now() - started);
    const attempts = (before?.attempts ?? 0) + 1;
    const since = before?.firstAttemptAt ?? attemptedAt;
    let outcome: AttemptOutcome;
    let nextAt = attemptedAt;
    if (verdict.kind === "delivered") outcome = "delivered";
    else if (verdict.kind === "final") outcome = "failed";
    else {
      const retryAt = nextAttemptAt(attempts, since, attemptedAt, subscription.retryForSeconds, this.#random);
      outcome = retryAt === undefined ? "dead" : "retry";
      nextAt = retryAt ?? attemptedAt;
    }
    const error = verdict.kind === "delivered" ? null : verdict.error;
    const attempt: AttemptRecord = { sequence: event.sequence, eventId: event.id, attemptedAt, status, durationMs, error, outcome };
    if (outcome === "delivered") return { attempt };
    return {
      attempt,
      pending: { sequence: event.sequence, resourceId: event.resourceId, state: outcome, attempts, firstAttemptAt: since, nextAttemptAt: nextAt, lastError: error },
    };
  }

  #logGivenUp(subscription: LeasedSubscription, attempts: readonly AttemptRecord[]): void {
    const dead = attempts.filter((attempt) => attempt.outcome === "dead").length;
    const failed = attempts.filter((attempt) => attempt.outcome === "failed").length;
    if (dead + failed === 0) return;
    const last = attempts.filter((attempt) => attempt.outcome === "dead" || attempt.outcome === "failed").at(-1);
    this.#logger.warn(
      { subscription: subscription.id, tenant: subscription.tenantName, dead, failed, error: last?.error },
      "event delivery: events given up (npm run events -- deliveries --failed lists them, replay sends them again)",
    );
  }
}

// Runs `step` over the events of each resource in order, resources concurrently (`concurrency`
// at a time). A resource's events stop at the first for which `step` resolves false (the rest
// are `held`), and all stop once `stopped()`. Each resource's events, as stepped and not.
async function inResourceOrder<E extends { readonly resourceId: string }>(
  events: readonly E[],
  concurrency: number,
  stopped: () => boolean,
  step: (event: E) => Promise<boolean>,
): Promise<{ readonly stepped: E[]; readonly unsent: E[]; readonly held: boolean }[]> {
  const byResource = new Map<string, E[]>();
  for (const event of events) {
    const chain = byResource.get(event.resourceId);
    if (chain === undefined) byResource.set(event.resourceId, [event]);
    else chain.push(event);
  }
  const queue = [...byResource.values()];
  const chains: { stepped: E[]; unsent: E[]; held: boolean }[] = [];
  const runner = async () => {
    for (let chain = queue.shift(); chain !== undefined; chain = queue.shift()) {
      let index = 0;
      let held = false;
      while (index < chain.length && !held && !stopped()) held = !(await step(chain[index++] as E));
      chains.push({ stepped: chain.slice(0, index), unsent: chain.slice(index), held });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, runner));
  return chains;
}

// A request's failure as one line without the request itself (its headers carry the signature).
function failureText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if ((error as NodeJS.ErrnoException).name === "AbortError") return "abandoned when delivery stopped";
  return error.message.split("\n")[0] as string;
}
