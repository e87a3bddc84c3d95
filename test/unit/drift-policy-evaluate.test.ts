import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateDrift, judgeReport } from '../../cloud-hub/drift/evaluate.ts';
import { DEFAULT_POLICY, mergePolicy, parsePolicyPatch, type DriftPolicy } from '../../cloud-hub/drift/policy.ts';
import type { DriftRow } from '../../cloud-hub/store/drift-store.ts';

const FEATURES = ['a', 'b'];
type Shape = 'clean' | 'drift' | 'stuck' | 'nan' | 'small' | 'output';

/** One report's rows as the hub stores them (drift-rows.ts): one per feature, the alarm on each. */
function report(device: string, seq: number, shape: Shape): DriftRow[] {
  const alarm = shape === 'drift' || shape === 'output' || shape === 'small';
  return FEATURES.map((feature, j) => ({
    device, seq, tsMs: seq * 900_000, receivedMs: seq * 900_000, model: 'm', modelVersion: '1', feature,
    psi: (shape === 'drift' || shape === 'small') && j === 0 ? 0.8 : shape === 'stuck' && j === 0 ? 2.3 : 0.02,
    ks: (shape === 'drift' || shape === 'small') && j === 0 ? 0.4 : 0.03,
    missingRate: shape === 'nan' && j === 1 ? 0.6 : 0,
    outOfRangeRate: 0,
    stuck: shape === 'stuck' && j === 0,
    samples: shape === 'small' ? 50 : 1440, // one day of readings at one a minute: a judged window
    outputJs: shape === 'output' ? 0.5 : 0.05,
    alarm,
  }));
}

/** `n` devices of group g; `plan(i)` gives device i's report shapes in order. */
function fleet(n: number, plan: (i: number) => Shape[]): { rows: DriftRow[]; groupOf: (d: string) => string } {
  const rows: DriftRow[] = [];
  for (let i = 0; i < n; i++) plan(i).forEach((s, k) => rows.push(...report(`d${i}`, k + 1, s)));
  return { rows, groupOf: () => 'g' };
}

const run = (f: ReturnType<typeof fleet>, policy: DriftPolicy = DEFAULT_POLICY, cooldownUntilMs: number | null = null) =>
  evaluateDrift({ rows: f.rows, groupOf: f.groupOf, policy, nowMs: 10_000_000, cooldownUntilMs })[0]!;

test('30 % of a group drifting for 3 consecutive reports triggers', () => {
  const v = run(fleet(10, (i) => (i < 3 ? ['clean', 'drift', 'drift', 'drift'] : ['clean', 'clean', 'clean', 'clean'])));
  assert.equal(v.trigger, true, v.reasons.join('; '));
  assert.deepEqual(v.drifting, ['d0', 'd1', 'd2']);
  assert.equal(v.share, 0.3);
  assert.equal(v.devices, 10);
});

test('20 % drifting does not trigger', () => {
  const v = run(fleet(10, (i) => (i < 2 ? ['drift', 'drift', 'drift'] : ['clean', 'clean', 'clean'])));
  assert.equal(v.trigger, false);
  assert.equal(v.drifting.length, 2);
});

test('two drifting reports then a clean one do not trigger', () => {
  const v = run(fleet(10, (i) => (i < 5 ? ['drift', 'drift', 'clean'] : ['clean', 'clean', 'clean'])));
  assert.equal(v.trigger, false);
  assert.deepEqual(v.drifting, []);
});

test('unjudged reports (too few samples) neither count nor break a run', () => {
  const smallOnly = run(fleet(10, (i) => (i < 5 ? ['small', 'small', 'small'] : ['clean'])));
  assert.equal(smallOnly.trigger, false);
  const between = run(fleet(10, (i) => (i < 5 ? ['drift', 'small', 'drift', 'small', 'drift'] : ['clean'])));
  assert.equal(between.trigger, true);
});

test('quality-only reports (stuck sensor, NaN burst) never trigger and are reported as quality', () => {
  const v = run(fleet(10, (i) => (i < 5 ? ['stuck', 'stuck', 'stuck', 'stuck'] : ['nan', 'nan', 'nan', 'nan'])));
  assert.equal(v.trigger, false);
  assert.deepEqual(v.drifting, []);
  assert.equal(v.quality.length, 10);
  assert.deepEqual(v.quality[0]!.problems, ['stuck:a']);
  assert.deepEqual(v.quality[9]!.problems, ['missing:b']);
  // Even with the report's alarm set by another feature, a stuck feature's PSI is not drift.
  const stuck = judgeReport(report('x', 1, 'stuck').map((r) => ({ ...r, alarm: true })), DEFAULT_POLICY);
  assert.equal(stuck.kind, 'clean');
});

test('output drift counts only when the policy says so (off by default)', () => {
  const f = fleet(10, (i) => (i < 3 ? ['output', 'output', 'output'] : ['clean']));
  assert.equal(run(f).trigger, false, 'a shift of the model\'s outputs alone is not drift by default');
  assert.equal(run(f, mergePolicy({ drifting: { output: true } })).trigger, true);
});

test('cool-down and minDevices hold a trigger back; a disabled policy never triggers', () => {
  const f = fleet(10, (i) => (i < 4 ? ['drift', 'drift', 'drift'] : ['clean']));
  const cooling = run(f, DEFAULT_POLICY, 20_000_000);
  assert.equal(cooling.trigger, false);
  assert.match(cooling.reasons.join(' '), /cool-down/);
  assert.equal(run(f, DEFAULT_POLICY, 5_000_000).trigger, true, 'an expired cool-down does not hold back');
  const small = run(fleet(2, () => ['drift', 'drift', 'drift']));
  assert.equal(small.trigger, false);
  assert.match(small.reasons.join(' '), /minDevices/);
  assert.equal(run(f, mergePolicy({ enabled: false })).trigger, false);
});

test('watched features: drift on another feature does not count', () => {
  const f = fleet(10, (i) => (i < 4 ? ['drift', 'drift', 'drift'] : ['clean']));
  assert.equal(run(f, mergePolicy({ drifting: { features: ['b'] } })).trigger, false);
  assert.equal(run(f, mergePolicy({ drifting: { features: ['a'] } })).trigger, true);
});

test('policies merge over the defaults and bad patches are refused', () => {
  const p = mergePolicy({ groupShare: 0.5, drifting: { minFeatures: 2 } }, { consecutiveReports: 5 });
  assert.equal(p.groupShare, 0.5);
  assert.equal(p.drifting.minFeatures, 2);
  assert.equal(p.drifting.output, false);
  assert.equal(p.consecutiveReports, 5);
  assert.equal(DEFAULT_POLICY.groupShare, 0.3);
  assert.throws(() => parsePolicyPatch({ groupShare: 2 }, 'body'), (e: Error & { code?: string }) => e.code === 'EH_BAD_REQUEST');
  assert.throws(() => parsePolicyPatch({ extra: 1 }, 'body'), /extra|additional/i);
});
