/**
 * Persists a stream of values where only the newest matters (job progress): at most one write in
 * flight, and whatever arrived meanwhile collapses into one follow-up write. The store sees a
 * few writes a second however fast a pipeline reports, with no timer to clean up.
 */
export class LatestWriter<T> {
  readonly #write: (v: T) => Promise<void>;
  readonly #onError: (e: unknown) => void;
  #pending: { v: T } | null = null;
  #running: Promise<void> = Promise.resolve();
  /** Cleared in the same tick the drain loop sees nothing pending, so no push can fall in a gap. */
  #busy = false;

  constructor(write: (v: T) => Promise<void>, onError: (e: unknown) => void) {
    this.#write = write;
    this.#onError = onError;
  }

  push(v: T): void {
    this.#pending = { v };
    if (this.#busy) return;
    this.#busy = true;
    this.#running = this.#drain();
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending) {
        const { v } = this.#pending;
        this.#pending = null;
        try {
          await this.#write(v);
        } catch (e) {
          this.#onError(e);
        }
      }
    } finally {
      this.#busy = false;
    }
  }

  /** Resolves once everything pushed so far is written (or has failed and been reported). */
  async flush(): Promise<void> {
    while (this.#busy) await this.#running;
  }
}
