/**
 * Raw model scores (reconstruction or forecast errors, unbounded, in units that differ per
 * model and per device) → an anomaly score in [0, 1] that means the same everywhere.
 *
 * The "anomaly likelihood" idea (Ahmad et al. 2017): what is unusual is not a large raw score but
 * a short run of raw scores that is large for THIS stream. So the normaliser compares the mean of
 * the last `shortWindow` raw scores with the distribution of that same short-term mean over a
 * long history (`longWindow` rows), modelled as a Gaussian, and reports how far into its upper
 * tail the current value lies. Strictly causal: the output for row t depends on rows ≤ t only, and
 * the history it compares against ends at row t − 1, so a spike cannot vouch for itself.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import { RollingStats } from './rolling-stats.ts';

export interface AnomalyLikelihoodOptions {
  /** Raw scores averaged into the short-term mean; a few rows, so one noisy row counts less. */
  readonly shortWindow?: number;
  /** History the short-term mean is compared against (rows). */
  readonly longWindow?: number;
  /** Rows seen before any non-zero output: the history must mean something first. */
  readonly warmup?: number;
  /**
   * Applied to raw scores before anything else. 'log' (log1p of the score) suits squared errors,
   * whose right tail is far heavier than a Gaussian's; 'none' keeps them as they are.
   */
  readonly transform?: 'none' | 'log';
  /**
   * Floor on the history's standard deviation, as a fraction of its |mean| plus an absolute
   * floor: a stream whose raw score barely moves must not turn rounding noise into alarms.
   */
  readonly minStdRelative?: number;
  readonly minStdAbsolute?: number;
  /**
   * 'log' (default): −log10(tail probability) / 10, capped at 1, so 0.5 is a 1-in-10⁵ event and
   * the scale still separates extreme events; 'linear': 1 − tail probability.
   */
  readonly scale?: 'log' | 'linear';
}

const DEFAULTS: Required<AnomalyLikelihoodOptions> = {
  shortWindow: 8,
  longWindow: 2880,
  warmup: 300,
  transform: 'none',
  minStdRelative: 0.05,
  minStdAbsolute: 1e-6,
  scale: 'log',
};

/** Upper-tail probability of the standard normal, P(Z > z), via erfc (Abramowitz–Stegun 7.1.26 is too coarse in the tail). */
export function normalTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Complementary error function, Numerical Recipes' Chebyshev fit (relative error < 1.2e-7 everywhere). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

export class AnomalyLikelihood {
  readonly options: Required<AnomalyLikelihoodOptions>;
  readonly #short: RollingStats;
  readonly #long: RollingStats;
  #seen = 0;

  constructor(options: AnomalyLikelihoodOptions = {}) {
    const o = { ...DEFAULTS, ...options };
    for (const k of ['shortWindow', 'longWindow'] as const) {
      if (!Number.isInteger(o[k]) || o[k] < 1) throw new EdgehiveError('EH_CONFIG_INVALID', `anomaly likelihood: ${k} must be a positive integer, got ${o[k]}`);
    }
    if (!Number.isInteger(o.warmup) || o.warmup < 0) throw new EdgehiveError('EH_CONFIG_INVALID', `anomaly likelihood: warmup must be a non-negative integer, got ${o.warmup}`);
    if (!(o.minStdRelative >= 0) || !(o.minStdAbsolute > 0)) throw new EdgehiveError('EH_CONFIG_INVALID', 'anomaly likelihood: minStdRelative must be ≥ 0 and minStdAbsolute > 0');
    this.options = o;
    this.#short = new RollingStats(o.shortWindow);
    this.#long = new RollingStats(o.longWindow);
  }

  /** Rows seen so far. */
  get seen(): number {
    return this.#seen;
  }

  /**
   * Adds the raw score of the next row and returns its anomaly score in [0, 1]. A missing raw
   * score (NaN: the model had no window yet) returns 0 and leaves the history alone.
   */
  update(raw: number): number {
    if (!Number.isFinite(raw)) return 0;
    const o = this.options;
    const x = o.transform === 'log' ? Math.log1p(Math.max(raw, 0)) : raw;
    this.#short.push(x);
    const m = this.#short.mean;
    const ready = this.#seen >= o.warmup && this.#long.count >= 2;
    let out = 0;
    if (ready) {
      const mu = this.#long.mean;
      const sd = Math.max(this.#long.std, o.minStdRelative * Math.abs(mu), o.minStdAbsolute);
      const tail = normalTail((m - mu) / sd);
      out = o.scale === 'linear' ? 1 - tail : Math.min(1, -Math.log10(Math.max(tail, 1e-300)) / 10);
    }
    // The history learns after scoring: row t is judged against rows < t.
    this.#long.push(m);
    this.#seen++;
    return out;
  }

  reset(): void {
    this.#short.clear();
    this.#long.clear();
    this.#seen = 0;
  }
}
