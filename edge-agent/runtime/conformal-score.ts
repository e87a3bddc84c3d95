/**
 * Conformal score normaliser: raw model scores (reconstruction or forecast errors, in units that
 * differ per model and per stream) → an anomaly score in [0, 1] that means the same everywhere:
 * the fraction of the last `history` raw scores that the current one exceeds (ties count half),
 * (below + ½·ties) / (n + 1), the conformal p-value's complement as KNN-CAD uses it.
 *
 * Why ranks rather than a fitted distribution: model residuals on real streams are heavy-tailed
 * and differ in shape from one stream to the next; a rank makes no assumption about that shape,
 * is invariant to any monotone rescaling of the raw score (so int8 and fp32 models whose errors
 * differ slightly in scale rank alike), and gives every stream the same false-alarm rate under
 * the null: a score of n/(n+1) means "the largest raw score of the last n rows", which happens
 * about once per `history` rows on a stream with nothing new in it.
 *
 * Strictly causal: the score for row t compares its raw score with rows < t only; the row joins
 * the history after it has been scored. Memory is fixed (two Float64Arrays of `history`), each
 * update is a binary search plus one bounded in-place shift of the sorted buffer: O(log n)
 * comparisons and at most `history` element moves (8 kB for the default), whatever the stream's
 * length.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';

export interface ConformalScoreOptions {
  /** Raw scores kept for ranking (rows). The score resolution is 1/(history+1). */
  readonly history?: number;
  /** Raw scores that must be in the history before any non-zero score (a rank among a handful means little). */
  readonly minHistory?: number;
}

/** 1000 rows ≈ 3.5 days of 5-minute readings: chosen on the NAB subset (see bench/nab/README). */
export const DEFAULT_CONFORMAL_HISTORY = 1000;

export class ConformalScore {
  readonly history: number;
  readonly minHistory: number;
  /** The history in ascending order, first `#count` slots. */
  readonly #sorted: Float64Array;
  /** The history in arrival order (ring), to know which value leaves when it is full. */
  readonly #ring: Float64Array;
  #next = 0;
  #count = 0;

  constructor(options: ConformalScoreOptions = {}) {
    this.history = options.history ?? DEFAULT_CONFORMAL_HISTORY;
    this.minHistory = options.minHistory ?? 30;
    if (!Number.isInteger(this.history) || this.history < 1) throw new EdgehiveError('EH_CONFIG_INVALID', `conformal score: history must be a positive integer, got ${this.history}`);
    if (!Number.isInteger(this.minHistory) || this.minHistory < 0 || this.minHistory > this.history) {
      throw new EdgehiveError('EH_CONFIG_INVALID', `conformal score: minHistory must be an integer in [0, history], got ${this.minHistory}`);
    }
    this.#sorted = new Float64Array(this.history);
    this.#ring = new Float64Array(this.history);
  }

  /** Raw scores in the history now. */
  get count(): number {
    return this.#count;
  }

  /** The score a new maximum of a full history gets: history/(history+1). */
  get recordLevel(): number {
    return this.history / (this.history + 1);
  }

  /**
   * Scores the next row's raw score against the history, then adds it. A missing raw score (NaN:
   * the model had no window yet) returns 0 and leaves the history alone.
   */
  update(raw: number): number {
    if (!Number.isFinite(raw)) return 0;
    const score = this.peek(raw);
    this.add(raw);
    return score;
  }

  /** The score `raw` would get now, without adding it. */
  peek(raw: number): number {
    const n = this.#count;
    if (!Number.isFinite(raw) || n < this.minHistory || n === 0) return 0;
    const below = this.#lowerBound(raw);
    const ties = this.#upperBound(raw) - below;
    return (below + 0.5 * ties) / (n + 1);
  }

  /**
   * Adds a raw score to the history without scoring it: for calibration, e.g. the model's scores
   * on the rows it was trained on, which the agent has already seen.
   */
  add(raw: number): void {
    if (!Number.isFinite(raw)) return;
    const s = this.#sorted;
    if (this.#count === this.history) {
      // Remove the oldest value: find one copy of it and close the gap.
      const at = this.#lowerBound(this.#ring[this.#next] as number);
      s.copyWithin(at, at + 1, this.#count);
      this.#count--;
    }
    const at = this.#upperBound(raw);
    s.copyWithin(at + 1, at, this.#count);
    s[at] = raw;
    this.#count++;
    this.#ring[this.#next] = raw;
    this.#next = (this.#next + 1) % this.history;
  }

  reset(): void {
    this.#next = 0;
    this.#count = 0;
  }

  /** First index whose value is ≥ x. */
  #lowerBound(x: number): number {
    let lo = 0;
    let hi = this.#count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#sorted[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First index whose value is > x. */
  #upperBound(x: number): number {
    let lo = 0;
    let hi = this.#count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#sorted[mid] as number) <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
