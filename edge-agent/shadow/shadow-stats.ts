/**
 * What a shadow run compares (DESIGN.md "Drift and continuous training"): for each reading both
 * models scored, whether they made the same detection, their anomaly scores and how each is
 * distributed. Pure and bounded: fixed histograms over [0, 1] and a fixed latency ring, so a
 * challenger that runs for months costs the same memory as one that ran for a minute.
 */
import { jsDistance } from '../../shared/drift/index.ts';

/** Histogram bins over [0, 1] of each model's anomaly scores. */
export const SCORE_BINS = 20;
/** Challenger latencies kept for its p99 (the ModelHost keeps the champion's the same way). */
export const SHADOW_LATENCY_RING = 1024;

/** One model's verdict on a reading. */
export interface Verdict {
  readonly score: number;
  readonly detection: boolean;
  /** classify: the predicted class (agreement then means the same class too). */
  readonly label?: number | undefined;
}

export interface ShadowFigures {
  inferences: number;
  agreement: number;
  championMeanScore: number;
  challengerMeanScore: number;
  scoreJs: number;
  challengerLatencyP99Ms: number;
  challengerErrors: number;
  championDetections: number;
  challengerDetections: number;
}

function binOf(score: number): number {
  const s = Number.isFinite(score) ? Math.min(1, Math.max(0, score)) : 0;
  return Math.min(SCORE_BINS - 1, Math.floor(s * SCORE_BINS));
}

export class ShadowStats {
  readonly #champion = new Float64Array(SCORE_BINS);
  readonly #challenger = new Float64Array(SCORE_BINS);
  readonly #latencies = new Float64Array(SHADOW_LATENCY_RING);
  #latencyCount = 0;
  #inferences = 0;
  #agreed = 0;
  #championSum = 0;
  #challengerSum = 0;
  #championDetections = 0;
  #challengerDetections = 0;
  #errors = 0;

  /** A reading both models scored. */
  add(champion: Verdict, challenger: Verdict): void {
    this.#inferences++;
    const same = champion.detection === challenger.detection && (champion.label ?? -1) === (challenger.label ?? -1);
    if (same) this.#agreed++;
    this.#championSum += Number.isFinite(champion.score) ? champion.score : 0;
    this.#challengerSum += Number.isFinite(challenger.score) ? challenger.score : 0;
    if (champion.detection) this.#championDetections++;
    if (challenger.detection) this.#challengerDetections++;
    this.#champion[binOf(champion.score)]!++;
    this.#challenger[binOf(challenger.score)]!++;
  }

  /** One challenger inference's latency (ms). */
  latency(ms: number): void {
    this.#latencies[this.#latencyCount++ % SHADOW_LATENCY_RING] = ms;
  }

  error(): void {
    this.#errors++;
  }

  get inferences(): number { return this.#inferences; }
  get errors(): number { return this.#errors; }

  figures(): ShadowFigures {
    const n = this.#inferences;
    return {
      inferences: n,
      // No paired reading yet: nothing disagreed, but report 0 so a dashboard cannot read "agrees".
      agreement: n === 0 ? 0 : this.#agreed / n,
      championMeanScore: n === 0 ? 0 : this.#championSum / n,
      challengerMeanScore: n === 0 ? 0 : this.#challengerSum / n,
      scoreJs: jsDistance(this.#champion, this.#challenger),
      challengerLatencyP99Ms: this.#p99(),
      challengerErrors: this.#errors,
      championDetections: this.#championDetections,
      challengerDetections: this.#challengerDetections,
    };
  }

  #p99(): number {
    const n = Math.min(this.#latencyCount, SHADOW_LATENCY_RING);
    if (n === 0) return 0;
    const sorted = this.#latencies.slice(0, n).sort();
    return sorted[Math.min(n - 1, Math.ceil(0.99 * n) - 1)]!;
  }
}
