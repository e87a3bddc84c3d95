/**
 * NAB detectors: a detector sees one series and returns one anomaly score in [0, 1] per row,
 * computed causally (row t's score from rows ≤ t). The real detector (agent + hub-trained int8
 * model) plugs in with the same signature; the baselines here are cheap causal raw scores run
 * through the agent's own online normaliser and threshold, so they also exercise those.
 */
import { AdaptiveThreshold, AnomalyLikelihood, type AnomalyLikelihoodOptions, type ThresholdOptions } from '../../edge-agent/runtime/index.ts';
import { RollingStats } from '../../edge-agent/runtime/rolling-stats.ts';
import type { Series } from './read-results.ts';
import { normaliseRawScores, type ScoreNormaliserOptions } from './score-normaliser.ts';

export interface DetectorOptions {
  /** Rows of the probationary period: the detector may learn there, nothing there is scored. */
  readonly probationRows: number;
}

export type Detector = (series: Series, options: DetectorOptions) => Promise<Float64Array>;

export interface BaselineOptions {
  /** 'zscore': |x − mean| / std of the last `history` values; 'residual': (x − mean)², the squared error of a rolling-mean forecast. */
  readonly raw: 'zscore' | 'residual';
  readonly history: number;
  readonly likelihood?: AnomalyLikelihoodOptions;
  readonly threshold?: ThresholdOptions;
}

/** Raw score per row against the `history` values before it (NaN until two are seen). */
export function rollingRawScores(values: ArrayLike<number>, raw: BaselineOptions['raw'], history: number): Float64Array {
  const stats = new RollingStats(history);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    if (stats.count < 2) out[i] = NaN;
    else {
      const d = x - stats.mean;
      // The std floor keeps a flat history from turning the first wiggle into z = ∞.
      out[i] = raw === 'zscore' ? Math.abs(d) / Math.max(stats.std, 1e-9 + 1e-3 * Math.abs(stats.mean)) : d * d;
    }
    stats.push(x);
  }
  return out;
}

/** Any raw score stream → NAB anomaly scores through the agent's likelihood and threshold. */
export function normaliseScores(raw: ArrayLike<number>, likelihood?: AnomalyLikelihoodOptions, threshold?: ThresholdOptions): Float64Array {
  const al = new AnomalyLikelihood(likelihood);
  const gate = new AdaptiveThreshold(threshold);
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = gate.update(al.update(raw[i] as number)).score;
  return out;
}

export function baselineDetector(options: BaselineOptions): Detector {
  return async (series, { probationRows }) => {
    const raw = rollingRawScores(series.values, options.raw, options.history);
    // Warm-up defaults to the probationary period: the span NAB grants for learning.
    return normaliseScores(raw, { warmup: probationRows, ...options.likelihood }, options.threshold);
  };
}

/**
 * Stand-in for the trained forecast model, same shape of computation: robust (median/IQR)
 * normalisation and a linear autoregressive one-step forecaster over the last `lags` readings,
 * both fitted by (ridge) least squares on the probationary rows only — exactly what one dense
 * linear layer trained to convergence would be. Raw score: squared residual in normalised units,
 * known when the reading arrives. Fast (no training loop), so the normaliser can be iterated on.
 */
export function linearForecastRawScores(values: ArrayLike<number>, trainRows: number, lags: number, ridge = 1e-3): Float64Array {
  const train = Array.from({ length: trainRows }, (_, i) => values[i] as number).sort((a, b) => a - b);
  const q = (p: number) => {
    const h = (train.length - 1) * p;
    const lo = Math.floor(h);
    return (train[lo] as number) + (h - lo) * ((train[Math.min(lo + 1, train.length - 1)] as number) - (train[lo] as number));
  };
  const iqr = q(0.75) - q(0.25);
  const scale = iqr > 0 ? iqr : 1;
  const median = q(0.5);
  const x = Float64Array.from(values, (v) => (v - median) / scale);
  const p = lags + 1;
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  const f = new Float64Array(p);
  const features = (t: number) => {
    for (let k = 0; k < lags; k++) f[k] = x[t - lags + k] as number;
    f[lags] = 1;
  };
  for (let t = lags; t < trainRows; t++) {
    features(t);
    for (let i = 0; i < p; i++) {
      b[i] = (b[i] as number) + (f[i] as number) * (x[t] as number);
      for (let j = 0; j < p; j++) a[i * p + j] = (a[i * p + j] as number) + (f[i] as number) * (f[j] as number);
    }
  }
  for (let i = 0; i < p; i++) a[i * p + i] = (a[i * p + i] as number) + ridge * Math.max(1, trainRows - lags);
  const w = solveSymmetric(a, b, p);
  const out = new Float64Array(x.length).fill(NaN);
  for (let t = lags; t < x.length; t++) {
    features(t);
    let s = 0;
    for (let i = 0; i < p; i++) s += (w[i] as number) * (f[i] as number);
    out[t] = ((x[t] as number) - s) ** 2;
  }
  return out;
}

/** Solves a·w = b (a: p×p, positive definite after the ridge) by Gaussian elimination with partial pivoting. */
function solveSymmetric(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const m = a.slice();
  const y = b.slice();
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(m[r * p + c] as number) > Math.abs(m[piv * p + c] as number)) piv = r;
    if (piv !== c) {
      for (let k = 0; k < p; k++) {
        const t = m[c * p + k] as number;
        m[c * p + k] = m[piv * p + k] as number;
        m[piv * p + k] = t;
      }
      const t = y[c] as number;
      y[c] = y[piv] as number;
      y[piv] = t;
    }
    const d = m[c * p + c] as number;
    if (Math.abs(d) < 1e-300) continue;
    for (let r = c + 1; r < p; r++) {
      const g = (m[r * p + c] as number) / d;
      if (g === 0) continue;
      for (let k = c; k < p; k++) m[r * p + k] = (m[r * p + k] as number) - g * (m[c * p + k] as number);
      y[r] = (y[r] as number) - g * (y[c] as number);
    }
  }
  const w = new Float64Array(p);
  for (let r = p - 1; r >= 0; r--) {
    let s = y[r] as number;
    for (let k = r + 1; k < p; k++) s -= (m[r * p + k] as number) * (w[k] as number);
    const d = m[r * p + r] as number;
    w[r] = Math.abs(d) < 1e-300 ? 0 : s / d;
  }
  return w;
}

/** The stand-in forecaster through the agent's conformal normaliser: the real detector's loop without training. */
export function linearForecastDetector(lags: number, normaliser?: ScoreNormaliserOptions): Detector {
  return async (series, { probationRows }) => normaliseRawScores(linearForecastRawScores(series.values, probationRows, lags), probationRows, normaliser);
}
