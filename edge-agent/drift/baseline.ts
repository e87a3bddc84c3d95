/**
 * A device's own drift baseline, learned from its first readings after a model activates
 * (DriftSettings.baseline 'device'). The bundle's reference is pooled over a fleet whose devices
 * each run at their own levels, so each device's readings sit in a slice of it and every healthy
 * device would drift; against its own first day (a whole daily cycle) a device drifts only when
 * it changes.
 *
 * Bounded memory: readings are kept in a fixed Float32 buffer by decimation — every reading until
 * it is full, then every second one (the kept rows halve and the stride doubles), and so on — so
 * the kept rows stay evenly spread over the whole learning span, whatever its length, and a daily
 * cycle is sampled evenly. Quantile edges and proportions are computed once at the end and the
 * buffer is dropped. A float32 value is exact to about 7 digits: far finer than a bin.
 */
import { quantileHistogram, type FeatureReference, type ReferenceStats } from '../../shared/drift/index.ts';

/** Kept values for all features together (32 KiB of float32): 512 rows of 16 features, 2,048 of 4. */
export const BASELINE_BUFFER_VALUES = 8192;
/** Kept output scores (2 KiB). */
export const BASELINE_OUTPUT_VALUES = 512;
/** Fewer learned values than this leave the bundle's histogram in place: a few values make no quantiles. */
export const MIN_LEARNED_SAMPLES = 32;

/** Rows of `width` values kept by decimation (see the module comment). */
export class DecimatingSample {
  readonly width: number;
  readonly capacity: number;
  readonly values: Float32Array;
  #rows = 0;
  #seen = 0;
  #stride = 1;

  constructor(width: number, capacity: number) {
    this.width = width;
    // Even, so that halving keeps the reading indices on the doubled stride.
    this.capacity = Math.max(2, capacity - (capacity % 2));
    this.values = new Float32Array(this.capacity * width);
  }

  get rows(): number { return this.#rows; }

  /** The offset to write this reading's `width` values at, or −1 when it is not kept. Call once per reading. */
  slot(): number {
    const i = this.#seen++;
    if (i % this.#stride !== 0) return -1;
    if (this.#rows === this.capacity) {
      const w = this.width;
      const v = this.values;
      for (let r = 1; r < this.capacity / 2; r++) v.copyWithin(r * w, 2 * r * w, (2 * r + 1) * w);
      this.#rows = this.capacity / 2;
      this.#stride *= 2;
      if (i % this.#stride !== 0) return -1;
    }
    return this.#rows++ * this.width;
  }

  /** Column `j` of the kept rows. */
  column(j: number): Float64Array {
    const out = new Float64Array(this.#rows);
    for (let r = 0; r < this.#rows; r++) out[r] = this.values[r * this.width + j]!;
    return out;
  }
}

/**
 * Learns a baseline for `reference`'s features (and output) over `readings` readings. The caller
 * writes each kept reading's values (NaN: missing) at `features.slot()`, and offers scores.
 */
export class BaselineLearner {
  readonly readings: number;
  readonly features: DecimatingSample;
  readonly output: DecimatingSample | null;
  readonly #reference: ReferenceStats;
  #seen = 0;

  constructor(reference: ReferenceStats, readings: number) {
    this.#reference = reference;
    this.readings = readings;
    const n = reference.features.length;
    this.features = new DecimatingSample(n, Math.min(readings + (readings % 2), Math.max(64, Math.floor(BASELINE_BUFFER_VALUES / n))));
    this.output = reference.output === null ? null : new DecimatingSample(1, BASELINE_OUTPUT_VALUES);
  }

  /** Readings seen so far. */
  get seen(): number { return this.#seen; }

  /** Counts one reading; the offset to write its values at (−1: not kept). */
  slot(): number {
    this.#seen++;
    return this.features.slot();
  }

  get done(): boolean { return this.#seen >= this.readings; }

  offerScore(score: number): void {
    const o = this.output;
    if (o === null) return;
    const at = o.slot();
    if (at >= 0) o.values[at] = score;
  }

  /**
   * The learned reference: the bundle's, with each feature's histogram (and samples) replaced by
   * the device's, in as many quantile bins as the bundle's. Ranges and missing rates stay the
   * bundle's: they judge the sensor, and a device's first day says nothing about its faults.
   * Kept as the bundle's: a feature constant in training (one bin; the model knows nothing of
   * its variation), or one with fewer than MIN_LEARNED_SAMPLES learned values.
   */
  result(): ReferenceStats {
    const ref = this.#reference;
    const features = ref.features.map((f, j): FeatureReference => {
      if (f.histogram.edges.length === 0) return f;
      const h = quantileHistogram(this.features.column(j), f.histogram.edges.length + 1);
      return h.samples < MIN_LEARNED_SAMPLES ? f : { ...f, histogram: h.histogram, samples: h.samples };
    });
    let output = ref.output;
    if (output !== null && this.output !== null) {
      const h = quantileHistogram(this.output.column(0), output.histogram.edges.length + 1);
      if (h.samples >= MIN_LEARNED_SAMPLES && output.histogram.edges.length > 0) output = { histogram: h.histogram, samples: h.samples };
    }
    return { ...ref, features, output };
  }

  stateBytes(): number {
    return this.features.values.byteLength + (this.output?.values.byteLength ?? 0);
  }
}
