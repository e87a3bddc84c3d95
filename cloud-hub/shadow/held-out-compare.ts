/**
 * Pure: the held-out gate (decision 0013). Champion and challenger are scored on the same recent
 * readings, each through its own preprocessing; the challenger passes when it is not worse than
 * the champion by more than the tolerance in the task's headline metric:
 * - anomaly with labels: ROC AUC (higher is better);
 * - anomaly without labels: false-alarm rate, the share of recent windows each model flags at
 *   its own stored threshold (lower is better): recent data is the new normal the challenger was
 *   trained for, so a drifted champion shows up as alarms on it;
 * - forecast: RMSE, tolerance relative (challenger ≤ champion × (1 + tolerance));
 * - classify: accuracy (higher is better).
 */
import type { TaskMetrics } from '../evaluate/index.ts';
import type { HeldOutRecord } from '../store/shadow-store.ts';

export interface ScoredModel {
  metrics: TaskMetrics;
  /** anomaly: per-window scores; with `threshold` they give the false-alarm rate. */
  scores: ArrayLike<number>;
  /** anomaly: the version's stored detection threshold; null when it has none. */
  threshold: number | null;
}

export interface CompareInput {
  group: string;
  champion: ScoredModel;
  challenger: ScoredModel;
  tolerance: number;
  fromMs: number;
  toMs: number;
}

const fmt = (v: number): string => String(+v.toPrecision(4));

function alarmRate(m: ScoredModel): number {
  if (m.threshold === null || m.scores.length === 0) return Number.NaN;
  let n = 0;
  for (let i = 0; i < m.scores.length; i++) if (m.scores[i]! > m.threshold) n++;
  return n / m.scores.length;
}

function headline(a: TaskMetrics, b: TaskMetrics): { metric: string; higherIsBetter: boolean; relative: boolean; champion: number; challenger: number } | null {
  if (a.task === 'anomaly' && b.task === 'anomaly' && a.auc !== null && b.auc !== null) return { metric: 'AUC', higherIsBetter: true, relative: false, champion: a.auc, challenger: b.auc };
  if (a.task === 'forecast' && b.task === 'forecast') return { metric: 'RMSE', higherIsBetter: false, relative: true, champion: a.rmse, challenger: b.rmse };
  if (a.task === 'classify' && b.task === 'classify') return { metric: 'accuracy', higherIsBetter: true, relative: false, champion: a.accuracy, challenger: b.accuracy };
  return null;
}

export function compareHeldOut(input: CompareInput): HeldOutRecord {
  const { champion: c, challenger: x, tolerance } = input;
  const base = { group: input.group, task: x.metrics.task, tolerance, windows: x.metrics.windows, fromMs: input.fromMs, toMs: input.toMs };
  let h = headline(c.metrics, x.metrics);
  if (!h && c.metrics.task === 'anomaly' && x.metrics.task === 'anomaly') {
    h = { metric: 'false-alarm rate', higherIsBetter: false, relative: false, champion: alarmRate(c), challenger: alarmRate(x) };
  }
  if (!h || Number.isNaN(h.champion) || Number.isNaN(h.challenger)) {
    const why = !h ? `champion (${c.metrics.task}) and challenger (${x.metrics.task}) have no metric in common` : 'a version has no stored anomaly threshold';
    return { ...base, metric: h?.metric ?? 'none', higherIsBetter: h?.higherIsBetter ?? true, champion: h?.champion ?? Number.NaN, challenger: h?.challenger ?? Number.NaN, passed: false, reason: `held-out gate cannot compare: ${why}` };
  }
  const limit = h.higherIsBetter ? h.champion - tolerance : h.relative ? h.champion * (1 + tolerance) : h.champion + tolerance;
  const passed = h.higherIsBetter ? h.challenger >= limit : h.challenger <= limit;
  const op = passed ? (h.higherIsBetter ? '≥' : '≤') : (h.higherIsBetter ? '<' : '>');
  const reason = `held-out ${h.metric} on ${base.windows} recent windows of group ${input.group}: challenger ${fmt(h.challenger)} ${op} ${fmt(limit)} `
    + `(champion ${fmt(h.champion)}, tolerance ${tolerance}${h.relative ? ' relative' : ''})`;
  return { ...base, metric: h.metric, higherIsBetter: h.higherIsBetter, champion: h.champion, challenger: h.challenger, passed, reason };
}
