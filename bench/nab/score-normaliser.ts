/**
 * Raw model scores → NAB anomaly scores, the way the agent does it: a conformal rank against a
 * bounded history (edge-agent/runtime/conformal-score.ts), then suppression after a detection
 * (edge-agent/runtime/threshold.ts). Both run row by row and never look ahead.
 *
 * Calibration: the raw scores of the first `calibrationRows` rows (NAB's probationary rows, the
 * ones the model was trained on and the agent has already seen) seed the history and score 0.
 */
import { AdaptiveThreshold, ConformalScore, DEFAULT_CONFORMAL_HISTORY } from '../../edge-agent/runtime/index.ts';

export interface ScoreNormaliserOptions {
  /** Raw scores the rank is taken against (rows). */
  readonly history?: number;
  /**
   * Rows after a detection whose scores are published as 0. A detection here is a new maximum of
   * the full history (score ≥ history/(history+1)), the level NAB's threshold optimiser picks.
   */
  readonly suppressRows?: number;
}

/** 144 rows = 12 hours of 5-minute readings: one alert per incident. */
export const DEFAULT_SUPPRESS_ROWS = 144;

export function normaliseRawScores(raw: ArrayLike<number>, calibrationRows: number, options: ScoreNormaliserOptions = {}): Float64Array {
  const conformal = new ConformalScore({ history: options.history ?? DEFAULT_CONFORMAL_HISTORY, minHistory: 0 });
  const gate = new AdaptiveThreshold({ level: conformal.recordLevel, suppressRows: options.suppressRows ?? DEFAULT_SUPPRESS_ROWS });
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i] as number;
    if (i < calibrationRows) conformal.add(r);
    else out[i] = gate.update(conformal.update(r)).score;
  }
  return out;
}
