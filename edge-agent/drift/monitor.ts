/**
 * The agent's drift monitor for one model: live readings counted into the bins of the bundle's
 * reference statistics (DESIGN.md "Drift and continuous training"), compared at report time.
 *
 * Bounded memory: per feature a fixed row of bin counts and a few counters, all in typed arrays
 * sized once from the reference; no window of raw readings is kept, so the state does not grow
 * with the readings. `update` is the hot path (every reading of the model's stream): it
 * allocates nothing and costs well under 1 µs for 16 features (bench/drift.ts).
 *
 * A window is the readings since the last `reset()`. `report()` judges it (judge.ts): distribution
 * drift (PSI, KS, output JS) only once a feature has settings.minSamples samples in the window, and
 * data-quality problems (stuck, missing, out of range) flagged apart from drift.
 *
 * Baseline (settings.baseline): 'bundle' compares with the bundle's histograms. 'device' first
 * learns the device's own (baseline.ts) from its first settings.baselineReadings readings — no
 * drift is judged meanwhile, only quality — then starts a new window against them. A baseline
 * learned before (persisted by the reporter) is passed in and used at once.
 */
import { checkReference, type DriftSettings, type ReferenceStats } from '../../shared/drift/index.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { BaselineLearner } from './baseline.ts';
import { judge, type BaselineState, type DriftSnapshot, type WindowCounts } from './judge.ts';

export type { BaselineState, DriftSnapshot, FeatureDriftStat } from './judge.ts';

export class DriftMonitor {
  readonly features: readonly string[];
  /** What windows are judged against: the bundle's reference, or the learned one. */
  #reference: ReferenceStats;
  readonly #settings: DriftSettings;
  readonly #n: number;
  /** Non-null while the device baseline is being learned. */
  #learner: BaselineLearner | null = null;
  #learned: ReferenceStats | null = null;
  /** All features' interior edges, back to back; feature j's are edges[edgeAt[j] … edgeAt[j+1]). */
  #edges!: Float64Array;
  #edgeAt!: Int32Array;
  /** Bin counts, back to back; feature j's bins start at countAt[j] (edgeAt[j] + j). */
  #counts!: Float64Array;
  #countAt!: Int32Array;
  readonly #min: Float64Array;
  readonly #max: Float64Array;
  readonly #missing: Float64Array;
  readonly #outOfRange: Float64Array;
  readonly #samples: Float64Array;
  /** Stuck detection: the last value, how many readings in a row had it, and whether the window saw a run of stuckAfter. */
  readonly #last: Float64Array;
  readonly #run: Float64Array;
  readonly #stuck: Uint8Array;
  /** 0 for features the reference itself shows as constant (one bin): they never change, and that is not a fault. */
  readonly #canStick: Uint8Array;
  #outEdges!: Float64Array;
  #outCounts!: Float64Array;
  #readings = 0;
  #outSamples = 0;

  /**
   * `learned`: a device baseline learned before for this reference (same features, in order);
   * with settings.baseline 'device' it is used at once instead of learning again.
   */
  constructor(reference: ReferenceStats, settings: DriftSettings, learned: ReferenceStats | null = null) {
    checkReference(reference, 'reference statistics');
    this.#settings = settings;
    const fs = reference.features;
    const n = fs.length;
    this.#n = n;
    this.features = fs.map((f) => f.name);
    this.#reference = reference;
    if (settings.baseline === 'device') {
      if (learned !== null) {
        checkReference(learned, 'learned baseline');
        if (learned.features.map((f) => f.name).join('\n') !== this.features.join('\n')) throw new EdgehiveError('EH_BAD_REQUEST', 'the learned baseline has other features than the reference');
        this.#reference = learned;
        this.#learned = learned;
      } else {
        this.#learner = new BaselineLearner(reference, settings.baselineReadings);
      }
    }
    this.#layout(this.#reference);
    this.#min = Float64Array.from(fs, (f) => f.min);
    this.#max = Float64Array.from(fs, (f) => f.max);
    this.#missing = new Float64Array(n);
    this.#outOfRange = new Float64Array(n);
    this.#samples = new Float64Array(n);
    this.#last = new Float64Array(n).fill(Number.NaN);
    this.#run = new Float64Array(n);
    this.#stuck = new Uint8Array(n);
    // From the bundle's reference, not a learned one: a sensor stuck while learning is still a fault.
    this.#canStick = Uint8Array.from(fs, (f) => (f.histogram.edges.length > 0 ? 1 : 0));
  }

  /** Bins of `ref`, flat; the counts start at zero. */
  #layout(ref: ReferenceStats): void {
    const fs = ref.features;
    const n = fs.length;
    this.#edgeAt = new Int32Array(n + 1);
    this.#countAt = new Int32Array(n + 1);
    for (let j = 0; j < n; j++) {
      const k = fs[j]!.histogram.edges.length;
      this.#edgeAt[j + 1] = this.#edgeAt[j]! + k;
      this.#countAt[j + 1] = this.#countAt[j]! + k + 1;
    }
    this.#edges = new Float64Array(this.#edgeAt[n]!);
    fs.forEach((f, j) => this.#edges.set(f.histogram.edges, this.#edgeAt[j]!));
    this.#counts = new Float64Array(this.#countAt[n]!);
    this.#outEdges = Float64Array.from(ref.output?.histogram.edges ?? []);
    this.#outCounts = new Float64Array(ref.output === null ? 0 : this.#outEdges.length + 1);
  }

  /** Readings in the current window. */
  get readings(): number { return this.#readings; }

  /** 'learning' until the device baseline is learned; then 'device'. 'bundle' when configured so. */
  get baseline(): BaselineState {
    return this.#learner !== null ? 'learning' : this.#settings.baseline;
  }

  /** The device baseline once learned (or as restored); null while learning and with baseline 'bundle'. */
  get learned(): ReferenceStats | null { return this.#learned; }

  /** Readings the baseline has learned from so far (baselineReadings once learned, 0 with 'bundle'). */
  get learnedReadings(): number {
    if (this.#learner !== null) return this.#learner.seen;
    return this.#learned === null ? 0 : this.#settings.baselineReadings;
  }

  /**
   * One reading. `values` in the reference's feature order, or, with `columns`, in a stream's
   * order: reference feature j is values[columns[j]] (−1: the stream lacks it, so always missing).
   * NaN (or no value) is missing.
   */
  update(values: ArrayLike<number>, columns?: ArrayLike<number>): void {
    // Fields into locals once, outside the per-feature loop.
    const n = this.#n;
    const edges = this.#edges;
    const edgeAt = this.#edgeAt;
    const counts = this.#counts;
    const countAt = this.#countAt;
    const min = this.#min;
    const max = this.#max;
    const missing = this.#missing;
    const samples = this.#samples;
    const last = this.#last;
    const run = this.#run;
    const stuckAfter = this.#settings.stuckAfter;
    const learner = this.#learner;
    // While learning nothing is binned: the kept readings go to the learner (−1: not kept).
    const keep = learner === null ? -1 : learner.slot();
    const kept = learner?.features.values;
    this.#readings++;
    for (let j = 0; j < n; j++) {
      const c = columns === undefined ? j : (columns[j] as number);
      const v = c < 0 ? Number.NaN : (values[c] as number | undefined);
      // `v !== v` is NaN; undefined (a short row) is missing too.
      if (v === undefined || v !== v) {
        missing[j]!++;
        if (keep >= 0) kept![keep + j] = Number.NaN;
        continue;
      }
      samples[j]!++;
      if (v < min[j]! || v > max[j]!) this.#outOfRange[j]!++;
      if (learner === null) {
        // binIndex (shared/drift/histogram.ts) inlined on this feature's slice of the flat array.
        const first = edgeAt[j]!;
        let lo = first;
        let hi = edgeAt[j + 1]!;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (edges[mid]! <= v) lo = mid + 1;
          else hi = mid;
        }
        counts[countAt[j]! + lo - first]!++;
      } else if (keep >= 0) {
        kept![keep + j] = v;
      }
      // Missing readings neither extend nor break a run: a stuck sensor with dropouts is still stuck.
      if (v === last[j]) {
        if (++run[j]! >= stuckAfter && this.#canStick[j] === 1) this.#stuck[j] = 1;
      } else {
        last[j] = v;
        run[j] = 1;
      }
    }
    if (learner?.done) this.#finishLearning(learner);
  }

  /** The baseline is learned: judge against it from a new window on; the learner's buffers go. */
  #finishLearning(learner: BaselineLearner): void {
    const learned = learner.result();
    this.#learner = null;
    this.#learned = learned;
    this.#reference = learned;
    this.#layout(learned);
    this.reset();
  }

  /** The model's raw score for a reading; NaN (no score: the window was not full) is skipped. */
  updateOutput(score: number): void {
    if (score !== score || this.#outCounts.length === 0) return;
    if (this.#learner !== null) {
      this.#learner.offerScore(score);
      return;
    }
    const edges = this.#outEdges;
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid]! <= score) lo = mid + 1;
      else hi = mid;
    }
    this.#outCounts[lo]!++;
    this.#outSamples++;
  }

  /** The current window judged against the reference and settings; the window goes on (see reset). */
  report(nowMs: number): DriftSnapshot {
    const w: WindowCounts = {
      readings: this.#readings,
      counts: (j) => this.#counts.subarray(this.#countAt[j]!, this.#countAt[j + 1]!),
      missing: this.#missing, outOfRange: this.#outOfRange, samples: this.#samples,
      stuck: (j) => this.#stuck[j] === 1 || (this.#canStick[j] === 1 && this.#run[j]! >= this.#settings.stuckAfter),
      outputCounts: this.#outCounts, outputSamples: this.#outSamples,
      baseline: this.baseline, learnedReadings: this.learnedReadings,
    };
    return judge(this.#reference, this.#settings, w, nowMs);
  }

  /**
   * Starts a new window. Stuck runs carry over (a sensor stuck since before the window is still
   * stuck), and so does the last value; everything counted is cleared.
   */
  reset(): void {
    this.#readings = 0;
    this.#outSamples = 0;
    this.#counts.fill(0);
    this.#missing.fill(0);
    this.#outOfRange.fill(0);
    this.#samples.fill(0);
    this.#stuck.fill(0);
    this.#outCounts.fill(0);
  }

  /**
   * Bytes of the monitor's counting state (typed arrays): fixed at construction, plus the
   * learner's buffers (at most about 34 KiB) until the device baseline is learned.
   */
  stateBytes(): number {
    return [this.#edges, this.#edgeAt, this.#counts, this.#countAt, this.#min, this.#max, this.#missing, this.#outOfRange,
      this.#samples, this.#last, this.#run, this.#stuck, this.#canStick, this.#outEdges, this.#outCounts].reduce((s, a) => s + a.byteLength, 0)
      + (this.#learner?.stateBytes() ?? 0);
  }
}
