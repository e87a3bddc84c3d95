/**
 * Recent ingest lag (message arrival to store commit): a ring of the latest samples, quantiles
 * computed when asked. Constant memory, O(1) per sample.
 */
export class LagTracker {
  readonly #samples: Float64Array;
  #next = 0;
  #count = 0;

  constructor(capacity = 2048) {
    this.#samples = new Float64Array(capacity);
  }

  record(ms: number): void {
    this.#samples[this.#next] = ms;
    this.#next = (this.#next + 1) % this.#samples.length;
    if (this.#count < this.#samples.length) this.#count++;
  }

  /** q in [0, 1]; 0 when nothing was recorded yet. */
  quantile(q: number): number {
    if (this.#count === 0) return 0;
    const sorted = this.#samples.slice(0, this.#count).sort();
    const i = Math.min(this.#count - 1, Math.max(0, Math.ceil(q * this.#count) - 1));
    return sorted[i]!;
  }
}
