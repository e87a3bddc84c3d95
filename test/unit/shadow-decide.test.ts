/**
 * The shadow verdict and the held-out comparison on plain data: promotion, retirement for
 * disagreement, latency, errors and a failed challenger, undecided until every device has
 * minInferences, retirement at the deadline; the held-out gate per task.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_POLICY, mergePolicy } from '../../cloud-hub/drift/policy.ts';
import type { AnomalyMetrics, ForecastMetrics } from '../../cloud-hub/evaluate/index.ts';
import { decideShadow } from '../../cloud-hub/shadow/decide.ts';
import { compareHeldOut } from '../../cloud-hub/shadow/held-out-compare.ts';
import type { ShadowStatsRecord } from '../../cloud-hub/store/rollout-store.ts';

const policy = { ...DEFAULT_POLICY.shadow, minInferences: 1000, minAgreement: 0.9, maxLatencyRatio: 1.5, maxChallengerErrorRate: 0.01 };
const devices = [{ device: 'a', challengerBundle: 'X' }, { device: 'b', challengerBundle: 'X' }];

function stats(more: Partial<ShadowStatsRecord> = {}): ShadowStatsRecord {
  return {
    bundleId: 'X', phase: 'running', inferences: 1500, agreement: 0.97, championMeanScore: 0.1, challengerMeanScore: 0.09, scoreJs: 0.02,
    championLatencyP99Ms: 4, challengerLatencyP99Ms: 5, challengerErrors: 0, errorCode: null, errorMessage: null,
    championDetections: 10, challengerDetections: 8, ...more,
  };
}
const decide = (a: Partial<ShadowStatsRecord>, b: Partial<ShadowStatsRecord> = {}, nowMs = 100) =>
  decideShadow({ policy, devices, stats: { a: stats(a), b: stats(b) }, deadlineMs: 1000, nowMs });

describe('decideShadow', () => {
  it('promotes when every device has enough inferences, agrees, is fast enough and errs rarely', () => {
    const v = decide({});
    assert.equal(v.decision, 'promote');
    assert.equal(v.figures.minInferences, 1500);
    assert.equal(v.figures.maxLatencyRatio, 1.25);
  });

  it('retires for disagreement on one device, naming it', () => {
    const v = decide({}, { agreement: 0.6 });
    assert.equal(v.decision, 'retire');
    assert.match(v.reasons.join(), /b: agreement 0\.6 < minAgreement 0\.9/);
  });

  it('retires for latency past maxLatencyRatio', () => {
    const v = decide({ challengerLatencyP99Ms: 8 });
    assert.equal(v.decision, 'retire');
    assert.match(v.reasons.join(), /a: challenger p99 8 ms \/ champion p99 4 ms = 2 > maxLatencyRatio 1\.5/);
  });

  it('retires for the error rate over all devices', () => {
    const v = decide({ challengerErrors: 40 }, { challengerErrors: 0 });
    assert.equal(v.decision, 'retire');
    assert.match(v.reasons.join(), /error rate 0\.01333 \(40 of 3000\)/);
  });

  it('retires at once when the challenger failed on a device', () => {
    const v = decide({ phase: 'failed', inferences: 0, errorCode: 'EH_BUNDLE_HEALTH', errorMessage: 'output off' });
    assert.equal(v.decision, 'retire');
    assert.match(v.reasons[0]!, /challenger failed on a: EH_BUNDLE_HEALTH \(output off\)/);
  });

  it('stays undecided until every device has minInferences, however good the others look', () => {
    const v = decide({ inferences: 999 });
    assert.equal(v.decision, 'undecided');
    assert.match(v.reasons[0]!, /a 999/);
    // Stats about another bundle (an older shadow) count as none.
    assert.equal(decide({ bundleId: 'OLD' }).decision, 'undecided');
  });

  it('retires an evaluation still short of inferences at its deadline', () => {
    const v = decide({ inferences: 10 }, {}, 1000);
    assert.equal(v.decision, 'retire');
    assert.match(v.reasons[0]!, /undecided at the deadline/);
  });

  it('the shadow policy merges field by field over the defaults', () => {
    const p = mergePolicy({ shadow: { devices: 3 } }, { shadow: { minAgreement: 0.8 } });
    assert.deepEqual(p.shadow, { ...DEFAULT_POLICY.shadow, devices: 3, minAgreement: 0.8 });
  });
});

describe('compareHeldOut', () => {
  const anomaly = (auc: number | null): AnomalyMetrics => ({ task: 'anomaly', windows: 4, labelled: auc !== null, positives: null, auc, detection: null, bestF1: null, score: { mean: 0, p50: 0, p99: 0, max: 0 } });
  const span = { group: 'g', tolerance: 0.02, fromMs: 0, toMs: 1 };

  it('anomaly without labels: the challenger with fewer false alarms on recent data passes, the one with more is refused', () => {
    const champion = { metrics: anomaly(null), scores: [0.1, 0.9, 0.8, 0.7], threshold: 0.5 };
    const better = { metrics: anomaly(null), scores: [0.1, 0.2, 0.1, 0.3], threshold: 0.5 };
    const ok = compareHeldOut({ ...span, champion, challenger: better });
    assert.equal(ok.passed, true);
    assert.equal(ok.metric, 'false-alarm rate');
    assert.deepEqual([ok.champion, ok.challenger], [0.75, 0]);
    const no = compareHeldOut({ ...span, champion: better, challenger: champion });
    assert.equal(no.passed, false);
    assert.match(no.reason, /challenger 0\.75 > 0\.02/);
  });

  it('anomaly with labels compares AUC within the tolerance', () => {
    const m = (auc: number) => ({ metrics: anomaly(auc), scores: [], threshold: null });
    assert.equal(compareHeldOut({ ...span, champion: m(0.9), challenger: m(0.885) }).passed, true);
    assert.equal(compareHeldOut({ ...span, champion: m(0.9), challenger: m(0.85) }).passed, false);
  });

  it('forecast compares RMSE relative to the champion', () => {
    const f = (rmse: number) => ({ metrics: { task: 'forecast', windows: 4, mae: 0, rmse, score: { mean: 0, p50: 0, p99: 0, max: 0 } } as ForecastMetrics, scores: [], threshold: null });
    assert.equal(compareHeldOut({ ...span, champion: f(1), challenger: f(1.019) }).passed, true);
    assert.equal(compareHeldOut({ ...span, champion: f(1), challenger: f(1.1) }).passed, false);
  });

  it('refuses when a version has no stored threshold to count alarms with', () => {
    const r = compareHeldOut({ ...span, champion: { metrics: anomaly(null), scores: [1, 2], threshold: null }, challenger: { metrics: anomaly(null), scores: [1, 2], threshold: 1 } });
    assert.equal(r.passed, false);
    assert.match(r.reason, /no stored anomaly threshold/);
  });
});
