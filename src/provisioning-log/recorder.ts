import type { Logger } from "pino";
import { EntryBuffer, loggedRequestsOf, type EncodedEntries } from "./batch.ts";
import type { ProvisioningLogStore } from "./entry.ts";
import type { AnsweredRequest } from "./request.ts";

export type RecordMode = "all" | "errors" | "off";

export interface RecorderOptions {
  readonly mode: RecordMode;
  readonly retentionDays: number;
  readonly maxBytes: number;
  readonly logger: Logger;
  // Writes a batch elsewhere (the delivery thread, delivery-thread.ts) when it can: undefined
  // when it cannot, and the recorder writes through the store.
  readonly writeElsewhere?: (entries: EncodedEntries) => Promise<void> | undefined;
  // How often the entries gathered are written, how many are written without waiting for that,
  // and how often old ones are pruned.
  readonly flushEveryMs?: number;
  readonly batchSize?: number;
  readonly pruneEveryMs?: number;
}

// Gathers the provisioning log's entries and writes them in batches, so that a request pays for
// encoding its entry into a buffer (batch.ts) and not for a write of its own
// (docs/provisioning-log.md). The entries of the last
// moments before a crash are lost, as a buffered log's are; the change itself and its events are
// not (they are committed with the request). When the database cannot keep up, entries beyond a
// bound are dropped and counted rather than held without limit.
export class ProvisioningLogRecorder {
  readonly #store: ProvisioningLogStore;
  readonly #options: RecorderOptions;
  #pending = new EntryBuffer();
  #flushing: Promise<void> | undefined;
  #dropped = 0;
  #flushTimer: NodeJS.Timeout | undefined;
  #pruneTimer: NodeJS.Timeout | undefined;
  #pruning: Promise<void> | undefined;

  constructor(store: ProvisioningLogStore, options: RecorderOptions) {
    this.#store = store;
    this.#options = options;
  }

  get mode(): RecordMode {
    return this.#options.mode;
  }

  // Whether a request answered with `status` is recorded.
  records(status: number): boolean {
    return this.#options.mode === "all" || (this.#options.mode === "errors" && status >= 400);
  }

  record(entry: AnsweredRequest): void {
    if (!this.records(entry.status)) return;
    if (this.#pending.count >= pendingLimit || this.#pending.byteLength >= pendingBytesLimit) {
      this.#dropped += 1;
      return;
    }
    this.#pending.add(entry);
    if (this.#pending.count >= (this.#options.batchSize ?? batchSize)) void this.flush();
  }

  // Writes what has been gathered; resolves once it is stored.
  flush(): Promise<void> {
    if (this.#flushing) return this.#flushing.then(() => (this.#pending.count > 0 ? this.flush() : undefined));
    if (this.#pending.count === 0) return Promise.resolve();
    const batch = this.#pending.take();
    this.#flushing = this.#write(batch).finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  async #write(batch: EncodedEntries): Promise<void> {
    try {
      await (this.#options.writeElsewhere?.(batch) ?? this.#store.append(loggedRequestsOf(batch)));
    } catch (error) {
      this.#options.logger.warn({ err: error, entries: batch.count }, "provisioning log entries could not be written");
    }
    if (this.#dropped > 0) {
      this.#options.logger.warn({ entries: this.#dropped }, "provisioning log entries dropped: the database did not keep up");
      this.#dropped = 0;
    }
  }

  // Deletes the entries past the retention period, then the oldest beyond the size cap.
  prune(now = new Date()): Promise<void> {
    this.#pruning ??= this.#store
      .prune(new Date(now.getTime() - this.#options.retentionDays * 86_400_000), this.#options.maxBytes)
      .then(
        (pruned) => {
          if (pruned.expired + pruned.overSize > 0) this.#options.logger.info(pruned, "provisioning log pruned");
        },
        (error: unknown) => this.#options.logger.warn({ err: error }, "provisioning log could not be pruned"),
      )
      .finally(() => {
        this.#pruning = undefined;
      });
    return this.#pruning;
  }

  start(): void {
    if (this.#options.mode === "off" || this.#flushTimer) return;
    this.#flushTimer = setInterval(() => void this.flush(), this.#options.flushEveryMs ?? 5000).unref();
    this.#pruneTimer = setInterval(() => void this.prune(), this.#options.pruneEveryMs ?? 600_000).unref();
    void this.prune();
  }

  async stop(): Promise<void> {
    clearInterval(this.#flushTimer);
    clearInterval(this.#pruneTimer);
    this.#flushTimer = undefined;
    this.#pruneTimer = undefined;
    await this.#pruning;
    await this.flush();
  }
}

// Entries written without waiting for the timer, and held at most while the database is slow.
const batchSize = 10_000;
const pendingLimit = 50_000;
const pendingBytesLimit = 64 * 1024 * 1024;
