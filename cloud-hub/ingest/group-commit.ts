/**
 * Group commit, shared by the telemetry and drift batchers: items wait up to `flushIntervalMs`
 * (or until the caller says a transaction's worth is waiting), then transactions are written one
 * after another until nothing waits, with an event-loop turn between them so acks, connects and
 * the API are not held up by a flood. A transaction that fails is retried item by item, so one
 * bad item cannot keep every other device's data out; an item that fails alone is reported and
 * left unacked (its agent resends).
 */

export interface GroupCommitHooks<T> {
  readonly flushIntervalMs: number;
  /** How many items from the front of the queue the next transaction takes (at least 1). */
  take(pending: readonly T[]): number;
  /** Writes one transaction and acks its items; throws when nothing was committed. */
  commit(batch: T[]): Promise<void>;
  /** A transaction of `count` items failed and is retried item by item. */
  onSplit(err: unknown, count: number): void;
  /** An item failed on its own: not committed, not acked. */
  onFailed(err: unknown, item: T): void;
  /** After each transaction's items are settled (committed or failed). */
  afterBatch?(batch: readonly T[]): void;
}

export class GroupCommit<T> {
  #pending: T[] = [];
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> | null = null;
  #closed = false;

  constructor(private readonly hooks: GroupCommitHooks<T>) {}

  get pending(): number {
    return this.#pending.length;
  }

  /** Queues an item; `now` writes at once (a transaction's worth is waiting). */
  add(item: T, now: boolean): void {
    this.#pending.push(item);
    if (now) this.#kick();
    else if (!this.#timer && !this.#flushing) this.#timer = setTimeout(() => this.#kick(), this.hooks.flushIntervalMs);
  }

  #kick(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (!this.#flushing && this.#pending.length > 0) {
      this.#flushing = this.#drain().finally(() => {
        this.#flushing = null;
        if (this.#pending.length > 0) this.#kick(); // arrived while the last write settled
      });
    }
  }

  /** Writes until nothing waits; what arrives during a write goes into the next one. */
  async #drain(): Promise<void> {
    while (this.#pending.length > 0) {
      const n = Math.max(1, Math.min(this.#pending.length, this.hooks.take(this.#pending)));
      const batch = n === this.#pending.length ? this.#pending : this.#pending.slice(0, n);
      this.#pending = batch === this.#pending ? [] : this.#pending.slice(n);
      await this.#write(batch);
      this.hooks.afterBatch?.(batch);
      if (this.#pending.length > 0 && !this.#closed) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  async #write(batch: T[]): Promise<void> {
    try {
      await this.hooks.commit(batch);
    } catch (e) {
      if (batch.length > 1) {
        this.hooks.onSplit(e, batch.length);
        for (const item of batch) await this.#write([item]);
        return;
      }
      this.hooks.onFailed(e, batch[0]!);
    }
  }

  /** Writes what is waiting, then stops. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#kick();
    while (this.#flushing) await this.#flushing;
  }
}
