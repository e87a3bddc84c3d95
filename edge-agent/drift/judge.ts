/**
 * Pure: a drift window's counts → per-feature statistics and the reasons to alarm.
 *
 * Two kinds of reasons, kept apart because the hub acts on them differently:
 * - `drift` (distribution drift, the hub may retrain): `psi:<feature>`, `ks:<feature>`,
 *   `output-js`. Judged only once the feature has settings.minSamples samples in the window
 *   (the output: minSamples readings and minScores scores): PSI of a few readings is noise.
 * - `quality` (a sensor or data fault, retraining would learn the fault): `stuck:<feature>`,
 *   `missing:<feature>`, `out-of-range:<feature>`.
 *
 * A feature that is stuck or has too many missing values raises no drift reason: its histogram
 * is the fault's, not the process's. Output drift is not raised while any quality problem is:
 * the model's output moves when its input is broken. Out of range does not mute drift: a shift
 * past the training range is real drift too, so both are reported.
 *
 * While the device baseline is being learned (baseline 'learning') there is nothing to compare
 * with: PSI, KS and output JS are 0 and no drift reason is raised; quality is judged as ever.
 */
import { jsDistance, ksDistance, psi, type DriftSettings, type ReferenceStats } from '../../shared/drift/index.ts';

/** Quality rates are judged from this many readings (or minSamples, if fewer): a NaN burst shows fast, two readings prove nothing. */
export const QUALITY_MIN_READINGS = 100;

/** What the window is compared with: the bundle's reference, the device's learned baseline, or nothing yet. */
export type BaselineState = 'bundle' | 'device' | 'learning';

export interface FeatureDriftStat {
  feature: string;
  /** PSI and KS against the reference histogram; 0 without samples. */
  psi: number;
  ks: number;
  /** Missing readings / readings in the window. */
  missingRate: number;
  /** Out-of-range values / non-missing values. */
  outOfRangeRate: number;
  stuck: boolean;
  /** Non-missing values in the window. */
  samples: number;
}

export interface DriftSnapshot {
  tsMs: number;
  /** Readings in the window. */
  readings: number;
  features: FeatureDriftStat[];
  /** JS distance of the model's raw scores from the reference output; 0 without a reference output or scores. */
  outputJs: number;
  outputSamples: number;
  /** Distribution drift: drift.length > 0 (DriftReport.alarm). */
  alarm: boolean;
  drift: string[];
  quality: string[];
  /** drift then quality. */
  reasons: string[];
  baseline: BaselineState;
  /** Readings the device baseline has learned from (so far, while learning); 0 with baseline 'bundle'. */
  learnedReadings: number;
}

export interface WindowCounts {
  readings: number;
  counts(feature: number): ArrayLike<number>;
  missing: ArrayLike<number>;
  outOfRange: ArrayLike<number>;
  samples: ArrayLike<number>;
  stuck(feature: number): boolean;
  outputCounts: ArrayLike<number>;
  outputSamples: number;
  baseline: BaselineState;
  learnedReadings: number;
}

export function judge(ref: ReferenceStats, s: DriftSettings, w: WindowCounts, nowMs: number): DriftSnapshot {
  const drift: string[] = [];
  const quality: string[] = [];
  const qualityMin = Math.min(s.minSamples, QUALITY_MIN_READINGS);
  const judging = w.baseline !== 'learning';
  const features = ref.features.map((f, j): FeatureDriftStat => {
    const samples = w.samples[j] as number;
    const counts = w.counts(j);
    const stat: FeatureDriftStat = {
      feature: f.name,
      psi: samples > 0 ? psi(f.histogram.proportions, counts) : 0,
      ks: samples > 0 ? ksDistance(f.histogram.proportions, counts) : 0,
      missingRate: w.readings > 0 ? (w.missing[j] as number) / w.readings : 0,
      outOfRangeRate: samples > 0 ? (w.outOfRange[j] as number) / samples : 0,
      stuck: w.stuck(j),
      samples,
    };
    // Excess over the training missing rate: a feature often missing in training is not a fault.
    const missingBad = w.readings >= qualityMin && stat.missingRate - f.missingRate > s.missingRateAlarm;
    if (stat.stuck) quality.push(`stuck:${f.name}`);
    if (missingBad) quality.push(`missing:${f.name}`);
    if (samples >= qualityMin && stat.outOfRangeRate > s.outOfRangeRateAlarm) quality.push(`out-of-range:${f.name}`);
    if (judging && samples >= s.minSamples && !stat.stuck && !missingBad) {
      if (stat.psi > s.psiAlarm) drift.push(`psi:${f.name}`);
      if (stat.ks > s.ksAlarm) drift.push(`ks:${f.name}`);
    }
    return stat;
  });
  const outputJs = ref.output !== null && w.outputSamples > 0 ? jsDistance(ref.output.histogram.proportions, w.outputCounts) : 0;
  if (judging && w.readings >= s.minSamples && w.outputSamples >= s.minScores && quality.length === 0 && outputJs > s.outputJsAlarm) drift.push('output-js');
  return {
    tsMs: nowMs, readings: w.readings, features, outputJs, outputSamples: w.outputSamples,
    alarm: drift.length > 0, drift, quality, reasons: [...drift, ...quality],
    baseline: w.baseline, learnedReadings: w.learnedReadings,
  };
}
