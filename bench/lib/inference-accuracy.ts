/**
 * Accuracy delta of the int8 variant against fp32 on the held-out set: both evaluated with
 * onnxruntime-node through the hub's evaluator, compared by the recipe's gate (the task's
 * headline metric: accuracy, ROC AUC, relative RMSE, or 1 − score correlation without labels),
 * plus the raw output difference (max and mean |int8 − fp32|, in normalised units).
 */
import { compareVariants, evaluateVariant, runBatches, type GateDecision, type TaskMetrics } from '../../cloud-hub/evaluate/index.ts';
import { OnnxSession } from '../../shared/inference/index.ts';
import type { PreparedModel } from './inference-models.ts';

export interface AccuracyDelta {
  /** Headline metric of each variant, named. */
  readonly metric: string;
  readonly fp32: number | null;
  readonly int8: number | null;
  /** The gate's int8 loss (positive = int8 worse), its metric and the decision's reason. */
  readonly gateLoss: number;
  readonly gateMetric: string;
  readonly gateLimit: number;
  readonly accepted: boolean;
  readonly reason: string;
  readonly maxAbsDiff: number;
  readonly meanAbsDiff: number;
  readonly windows: number;
}

function headline(m: TaskMetrics): { metric: string; value: number | null } {
  if (m.task === 'classify') return { metric: 'accuracy', value: m.accuracy };
  if (m.task === 'forecast') return { metric: 'RMSE', value: m.rmse };
  return m.auc !== null ? { metric: 'ROC AUC', value: m.auc } : { metric: 'mean score', value: m.score.mean };
}

async function outputs(bytes: Uint8Array, x: Float32Array, xShape: readonly number[]): Promise<Float32Array> {
  const s = await OnnxSession.load(bytes);
  try {
    return (await runBatches(s, x, xShape)).data;
  } finally {
    await s.close();
  }
}

export async function accuracyDelta(m: PreparedModel): Promise<AccuracyDelta> {
  const task = m.recipe.task;
  const opts = m.classes > 0 ? { classes: m.classes } : {};
  const a = await evaluateVariant(m.fp32, task, m.evalSet, opts);
  const b = await evaluateVariant(m.int8, task, m.evalSet, opts);
  const decision: GateDecision = compareVariants(a, b, m.recipe.gates);
  const ya = await outputs(m.fp32, m.evalSet.x, m.evalSet.xShape);
  const yb = await outputs(m.int8, m.evalSet.x, m.evalSet.xShape);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < ya.length; i++) {
    const d = Math.abs(ya[i]! - yb[i]!);
    sum += d;
    if (d > max) max = d;
  }
  const ha = headline(a.metrics);
  const hb = headline(b.metrics);
  return {
    metric: ha.metric, fp32: ha.value, int8: hb.value,
    gateLoss: decision.loss, gateMetric: decision.lossMetric, gateLimit: m.recipe.gates.maxInt8Loss,
    accepted: decision.accepted, reason: decision.reason,
    maxAbsDiff: max, meanAbsDiff: ya.length ? sum / ya.length : 0, windows: a.metrics.windows,
  };
}
