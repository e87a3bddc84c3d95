/**
 * Mean and standard deviation of the last `capacity` values, O(1) per value. Running sums drift
 * when values are added and removed for ever, so they are recomputed from the ring each time it
 * wraps (amortised O(1)), which keeps a month of 5-minute readings exact to ~1e-12.
 */
export class RollingStats {
  readonly capacity: number;
  readonly #ring: Float64Array;
  #next = 0;
  #count = 0;
  #sum = 0;
  #sumSq = 0;
  /** Shift subtracted before squaring, so large values with a small spread keep their precision. */
  #shift = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#ring = new Float64Array(capacity);
  }

  get count(): number {
    return this.#count;
  }

  get mean(): number {
    return this.#count === 0 ? NaN : this.#shift + this.#sum / this.#count;
  }

  /** Population standard deviation (divide by n). */
  get std(): number {
    if (this.#count === 0) return NaN;
    const m = this.#sum / this.#count;
    return Math.sqrt(Math.max(0, this.#sumSq / this.#count - m * m));
  }

  push(x: number): void {
    if (this.#count === 0) this.#shift = x;
    const y = x - this.#shift;
    if (this.#count === this.capacity) {
      const old = (this.#ring[this.#next] as number) - this.#shift;
      this.#sum -= old;
      this.#sumSq -= old * old;
    } else {
      this.#count++;
    }
    this.#ring[this.#next] = x;
    this.#sum += y;
    this.#sumSq += y * y;
    this.#next = (this.#next + 1) % this.capacity;
    if (this.#next === 0) this.#recompute();
  }

  clear(): void {
    this.#next = 0;
    this.#count = 0;
    this.#sum = 0;
    this.#sumSq = 0;
    this.#shift = 0;
  }

  #recompute(): void {
    const n = this.#count;
    let s = 0;
    for (let i = 0; i < n; i++) s += this.#ring[i] as number;
    this.#shift = s / n;
    this.#sum = 0;
    this.#sumSq = 0;
    for (let i = 0; i < n; i++) {
      const y = (this.#ring[i] as number) - this.#shift;
      this.#sum += y;
      this.#sumSq += y * y;
    }
  }
}
