/**
 * Turns the anomaly score stream into detections: a row is a detection when its score reaches
 * `level` and no detection was emitted in the previous `suppressRows` rows. One anomaly tends to
 * raise the score for many rows in a row; an operator wants one alert for it, not fifty (and NAB
 * counts only the first detection in a window while charging every later one outside it).
 *
 * The level is on the anomaly score, which the likelihood already adapts to each stream, so one
 * level works across streams and models.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';

export interface ThresholdOptions {
  /** Score at or above which a row is a detection; 0.5 on the likelihood's log scale is a 1-in-10⁵ event. */
  readonly level?: number;
  /** Rows after a detection during which further detections are suppressed. */
  readonly suppressRows?: number;
}

export interface ThresholdDecision {
  readonly detection: boolean;
  /**
   * The score to publish: the input score, or 0 on a suppressed row, so whoever thresholds the
   * published scores (NAB's scorer, a dashboard rule) sees the same quiet period the flag has.
   */
  readonly score: number;
}

export class AdaptiveThreshold {
  readonly level: number;
  readonly suppressRows: number;
  #quietFor = Infinity;

  constructor(options: ThresholdOptions = {}) {
    this.level = options.level ?? 0.5;
    this.suppressRows = options.suppressRows ?? 0;
    if (!(this.level > 0 && this.level <= 1)) throw new EdgehiveError('EH_CONFIG_INVALID', `threshold: level must be in (0, 1], got ${this.level}`);
    if (!Number.isInteger(this.suppressRows) || this.suppressRows < 0) throw new EdgehiveError('EH_CONFIG_INVALID', `threshold: suppressRows must be a non-negative integer, got ${this.suppressRows}`);
  }

  update(score: number): ThresholdDecision {
    this.#quietFor++;
    if (this.#quietFor <= this.suppressRows) return { detection: false, score: 0 };
    if (score >= this.level) {
      this.#quietFor = 0;
      return { detection: true, score };
    }
    return { detection: false, score };
  }

  reset(): void {
    this.#quietFor = Infinity;
  }
}
