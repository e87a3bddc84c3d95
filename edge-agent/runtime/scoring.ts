/**
 * The agent's default way from raw model scores to alerts: a conformal rank against the last
 * 1000 raw scores (comparable across streams and models, see conformal-score.ts), and one alert
 * per incident: a detection is a new maximum of the full history, after which 144 rows publish
 * 0. Both numbers were chosen on the NAB subset (bench/nab) and are the only tuned knobs.
 */
import { ConformalScore, DEFAULT_CONFORMAL_HISTORY } from './conformal-score.ts';
import type { Detector, ScoreNormaliser } from './model-host.ts';
import { AdaptiveThreshold } from './threshold.ts';

export const DEFAULT_SUPPRESS_ROWS = 144;

export interface ScoringOptions {
  readonly history?: number;
  readonly suppressRows?: number;
  /** Raw scores needed before any non-zero score (default 30; 0 when calibration readings seed the history). */
  readonly minHistory?: number;
}

export function defaultScoring(options: ScoringOptions = {}): { normaliser: () => ScoreNormaliser; detector: () => Detector } {
  const history = options.history ?? DEFAULT_CONFORMAL_HISTORY;
  return {
    normaliser: () => new ConformalScore({ history, minHistory: options.minHistory ?? 30 }),
    detector: () => new AdaptiveThreshold({ level: history / (history + 1), suppressRows: options.suppressRows ?? DEFAULT_SUPPRESS_ROWS }),
  };
}
