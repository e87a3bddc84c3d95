/**
 * The recipe's acceptance gates, pure: the fp32 variant against the absolute floors, and the int8
 * variant's loss against fp32 in the task's headline metric. The decision names every gate it
 * checked, with the measured value and the limit, so a refusal says exactly why.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Recipe } from '../recipes/schema.ts';
import type { TaskMetrics, VariantEvaluation } from './evaluate.ts';
import { pearson, spearman } from './metrics.ts';

export type Gates = Recipe['gates'];
export type GateName = keyof Gates;

export interface GateCheck {
  readonly gate: GateName;
  readonly variant: 'fp32' | 'int8';
  /** What was measured, e.g. "AUC", "accuracy loss". */
  readonly metric: string;
  readonly value: number;
  readonly limit: number;
  readonly passed: boolean;
}

export interface SkippedGate { readonly gate: GateName; readonly why: string }

export interface GateDecision {
  /** The int8 variant may ship (fp32 passed its floors and the int8 loss is within maxInt8Loss). */
  readonly accepted: boolean;
  /** The fp32 variant passed its floors; when false no variant of this model ships. */
  readonly fp32Accepted: boolean;
  /** int8's loss against fp32 in `lossMetric` (positive = int8 worse). */
  readonly loss: number;
  readonly lossMetric: string;
  readonly reason: string;
  readonly checks: readonly GateCheck[];
  /** Floors the recipe sets that the task or the data cannot measure (e.g. minAuc without labels). */
  readonly skipped: readonly SkippedGate[];
}

const fmt = (v: number): string => (Number.isFinite(v) ? String(+v.toPrecision(4)) : String(v));

function describe(c: GateCheck): string {
  const op = c.gate === 'maxInt8Loss' || c.gate === 'maxRmse' ? (c.passed ? '≤' : '>') : (c.passed ? '≥' : '<');
  return `${c.gate}: ${c.variant} ${c.metric} ${fmt(c.value)} ${op} ${fmt(c.limit)}`;
}

function floor(gate: GateName, metric: string, value: number, limit: number): GateCheck {
  const passed = gate === 'maxRmse' ? value <= limit : value >= limit;
  return { gate, variant: 'fp32', metric, value, limit, passed: passed && !Number.isNaN(value) };
}

/** The fp32 floors the task has; each floor the recipe sets but cannot be measured is skipped, with why. */
function floorChecks(m: TaskMetrics, gates: Gates): { checks: GateCheck[]; skipped: SkippedGate[] } {
  const checks: GateCheck[] = [];
  const skipped: SkippedGate[] = [];
  const skip = (gate: GateName, why: string): void => { if (gates[gate] !== undefined) skipped.push({ gate, why }); };
  if (m.task === 'classify') {
    if (gates.minAccuracy !== undefined) checks.push(floor('minAccuracy', 'accuracy', m.accuracy, gates.minAccuracy));
    if (gates.minF1 !== undefined) checks.push(floor('minF1', 'macro-F1', m.macroF1, gates.minF1));
    skip('minAuc', 'classify has no ROC AUC'); skip('maxRmse', 'classify has no RMSE');
  } else if (m.task === 'forecast') {
    if (gates.maxRmse !== undefined) checks.push(floor('maxRmse', 'RMSE', m.rmse, gates.maxRmse));
    skip('minAccuracy', 'forecast has no accuracy'); skip('minF1', 'forecast has no F1'); skip('minAuc', 'forecast has no ROC AUC');
  } else {
    if (gates.minAuc !== undefined) {
      if (m.auc !== null) checks.push(floor('minAuc', 'AUC', m.auc, gates.minAuc));
      else skip('minAuc', m.labelled ? 'the test labels hold one class only (AUC undefined)' : 'the test split has no labels');
    }
    const f1 = m.detection ?? m.bestF1;
    if (gates.minF1 !== undefined) {
      if (f1) checks.push(floor('minF1', m.detection ? 'F1 at the stored threshold' : 'best F1', f1.f1, gates.minF1));
      else skip('minF1', 'the test split has no labels');
    }
    skip('minAccuracy', 'anomaly has no accuracy'); skip('maxRmse', 'anomaly has no RMSE');
  }
  return { checks, skipped };
}

function allEqual(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** int8's loss against fp32 in the task's headline metric. */
function int8Loss(fp32: VariantEvaluation, int8: VariantEvaluation): { loss: number; metric: string; detail: string } {
  const a = fp32.metrics; const b = int8.metrics;
  if (a.task === 'classify' && b.task === 'classify') {
    return { loss: a.accuracy - b.accuracy, metric: 'accuracy loss', detail: `accuracy fp32 ${fmt(a.accuracy)}, int8 ${fmt(b.accuracy)}` };
  }
  if (a.task === 'forecast' && b.task === 'forecast') {
    const loss = a.rmse === 0 ? (b.rmse === 0 ? 0 : Infinity) : (b.rmse - a.rmse) / a.rmse;
    return { loss, metric: 'relative RMSE increase', detail: `RMSE fp32 ${fmt(a.rmse)}, int8 ${fmt(b.rmse)}` };
  }
  if (a.task === 'anomaly' && b.task === 'anomaly' && a.auc !== null && b.auc !== null) {
    return { loss: a.auc - b.auc, metric: 'AUC loss', detail: `AUC fp32 ${fmt(a.auc)}, int8 ${fmt(b.auc)}` };
  }
  // No usable labels: the int8 scores must rank and scale like the fp32 scores. Both correlations
  // must hold: Spearman for the ranking (what thresholds see), Pearson for the scale.
  const p = pearson(fp32.scores, int8.scores);
  const s = spearman(fp32.scores, int8.scores);
  let r = Math.min(p, s);
  if (Number.isNaN(r)) r = allEqual(fp32.scores, int8.scores) ? 1 : 0; // a constant series has no correlation
  return { loss: 1 - r, metric: '1 − score correlation', detail: `Pearson ${fmt(p)}, Spearman ${fmt(s)} of int8 against fp32 scores` };
}

/**
 * Applies the gates: fp32 against the recipe's floors, int8 against `maxInt8Loss`. Both
 * evaluations must be of the same task on the same test windows.
 */
export function compareVariants(fp32: VariantEvaluation, int8: VariantEvaluation, gates: Gates): GateDecision {
  if (fp32.metrics.task !== int8.metrics.task || fp32.metrics.windows !== int8.metrics.windows) {
    throw new EdgehiveError('EH_BAD_REQUEST', `cannot compare a ${fp32.metrics.task} evaluation of ${fp32.metrics.windows} windows with a ${int8.metrics.task} evaluation of ${int8.metrics.windows}; evaluate both variants on the same test split`);
  }
  const { checks, skipped } = floorChecks(fp32.metrics, gates);
  const { loss, metric, detail } = int8Loss(fp32, int8);
  const lossCheck: GateCheck = {
    gate: 'maxInt8Loss', variant: 'int8', metric, value: loss, limit: gates.maxInt8Loss,
    passed: !Number.isNaN(loss) && loss <= gates.maxInt8Loss,
  };
  const all = [...checks, lossCheck];
  const failedFloors = checks.filter((c) => !c.passed);
  const fp32Accepted = failedFloors.length === 0;
  let reason: string;
  if (!fp32Accepted) {
    reason = `fp32 variant refused (${failedFloors.map(describe).join('; ')}); no variant of this model ships — improve the model or relax the recipe's gates`;
  } else if (!lossCheck.passed) {
    reason = `int8 variant refused (${describe(lossCheck)}; ${detail}); fp32 ships instead — try percentile calibration or more calibration windows`;
  } else {
    reason = `int8 variant accepted (${describe(lossCheck)}; ${detail})`;
  }
  return { accepted: fp32Accepted && lossCheck.passed, fp32Accepted, loss, lossMetric: metric, reason, checks: all, skipped };
}

/** Throws EH_GATE_FAILED with the decision's reason unless the int8 variant was accepted. */
export function requireInt8Accepted(decision: GateDecision): void {
  if (!decision.accepted) {
    throw new EdgehiveError('EH_GATE_FAILED', decision.reason, { failed: decision.checks.filter((c) => !c.passed) });
  }
}

/** Throws EH_GATE_FAILED with the decision's reason when the fp32 variant failed a floor. */
export function requireFp32Accepted(decision: GateDecision): void {
  if (!decision.fp32Accepted) {
    throw new EdgehiveError('EH_GATE_FAILED', decision.reason, { failed: decision.checks.filter((c) => !c.passed && c.variant === 'fp32') });
  }
}
