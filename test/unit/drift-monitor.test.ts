import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWithSchema } from '../../shared/config/validate.ts';
import { DriftSettingsSchema, referenceStats, type DriftSettings, type ReferenceStats } from '../../shared/drift/index.ts';
import { seeded } from '../../shared/random/seeded.ts';
import { DriftMonitor } from '../../edge-agent/drift/monitor.ts';

const FEATURES = ['f0', 'f1', 'f2', 'f3'];
const settings = (over: Partial<DriftSettings> = {}): DriftSettings => parseWithSchema(DriftSettingsSchema, { baseline: 'bundle', minSamples: 500, stuckAfter: 50, ...over }, 'drift settings');

/** Standard normal draws (Box–Muller) from the repository's seeded PRNG. */
function gaussian(seed: number): () => number {
  const u = seeded(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** Feature j ~ N(10·j, 1 + j). */
function rows(n: number, seed: number): number[][] {
  const g = gaussian(seed);
  return Array.from({ length: n }, () => FEATURES.map((_, j) => 10 * j + (1 + j) * g()));
}

function reference(): ReferenceStats {
  const g = gaussian(99);
  return referenceStats(rows(5000, 1), FEATURES, Array.from({ length: 5000 }, () => Math.abs(g())), { nowMs: 1_700_000_000_000 });
}

test('readings drawn from the reference distribution raise no alarm and no quality problem', () => {
  const m = new DriftMonitor(reference(), settings());
  const g = gaussian(7);
  for (const r of rows(3000, 2)) {
    m.update(r);
    m.updateOutput(Math.abs(g()));
  }
  const s = m.report(1_700_000_100_000);
  assert.equal(s.readings, 3000);
  assert.deepEqual(s.reasons, []);
  assert.equal(s.alarm, false);
  for (const f of s.features) {
    assert.equal(f.samples, 3000);
    assert.ok(f.psi < 0.05 && f.ks < 0.05, `${f.feature}: psi ${f.psi}, ks ${f.ks}`);
    assert.ok(!f.stuck && f.missingRate === 0 && f.outOfRangeRate < 0.01);
  }
  assert.ok(s.outputJs < 0.1, `output js ${s.outputJs}`);
});

test('a shift of one feature alarms once minSamples is reached, and names only that feature', () => {
  const m = new DriftMonitor(reference(), settings());
  const shifted = rows(2000, 3).map((r) => r.map((v, j) => (j === 1 ? v + 2 * 2 : v))); // f1 moves by 2 std
  shifted.slice(0, 499).forEach((r) => m.update(r));
  const early = m.report(0);
  assert.ok(early.features[1]!.psi > 0.25, 'the statistics show the shift already');
  assert.equal(early.alarm, false, 'but 499 samples are under minSamples');
  assert.deepEqual(early.drift, []);
  m.update(shifted[499]!);
  const late = m.report(0);
  assert.equal(late.alarm, true);
  assert.deepEqual(late.drift, ['psi:f1', 'ks:f1']);
  assert.deepEqual(late.quality, []);
  m.reset();
  assert.equal(m.report(0).alarm, false, 'a new window starts empty');
  assert.equal(m.report(0).readings, 0);
});

test('tiny samples: a handful of wild readings alarm neither drift nor quality', () => {
  const m = new DriftMonitor(reference(), settings());
  for (let i = 0; i < 20; i++) m.update([1e6, -1e6, Number.NaN, 1e6]);
  const s = m.report(0);
  assert.deepEqual(s.reasons, []);
  assert.equal(s.features[0]!.outOfRangeRate, 1);
  assert.equal(s.features[2]!.missingRate, 1);
});

test('a stuck sensor is a quality problem, not distribution drift', () => {
  const m = new DriftMonitor(reference(), settings());
  for (const r of rows(1000, 4)) m.update([3.25, r[1]!, r[2]!, r[3]!]);
  const s = m.report(0);
  assert.ok(s.features[0]!.psi > 1, 'its histogram is one spike');
  assert.equal(s.features[0]!.stuck, true);
  assert.deepEqual(s.quality, ['stuck:f0']);
  assert.deepEqual(s.drift, []);
  assert.equal(s.alarm, false);
  // A run shorter than stuckAfter is not stuck.
  const n = new DriftMonitor(reference(), settings());
  for (const r of rows(200, 5)) n.update(r);
  for (let i = 0; i < 49; i++) n.update([1, 11, 21, 31]);
  assert.deepEqual(n.report(0).features.map((f) => f.stuck), [false, false, false, false]);
  n.update([1, 11, 21, 31]);
  assert.deepEqual(n.report(0).features.map((f) => f.stuck), [true, true, true, true]);
});

test('a NaN burst is a quality problem, not drift, and mutes output drift while it lasts', () => {
  const m = new DriftMonitor(reference(), settings());
  const g = gaussian(11);
  rows(2000, 6).forEach((r, i) => {
    m.update(i >= 600 && i < 1400 ? [r[0]!, r[1]!, Number.NaN, r[3]!] : r);
    m.updateOutput(5 + Math.abs(g())); // far above the reference output
  });
  const s = m.report(0);
  assert.equal(s.features[2]!.missingRate, 0.4);
  assert.equal(s.features[2]!.samples, 1200);
  assert.deepEqual(s.quality, ['missing:f2']);
  assert.deepEqual(s.drift, []);
  assert.equal(s.alarm, false);
  assert.ok(s.outputJs > 0.5, `output js ${s.outputJs}`); // all in the top reference bin (share 0.1): ≈ 0.87
});

test('output drift alarms on its own once the window is judged and has minScores scores; NaN scores are skipped', () => {
  const m = new DriftMonitor(reference(), settings());
  const g = gaussian(12);
  for (const r of rows(600, 7)) {
    m.update(r);
    m.updateOutput(Number.NaN);
    m.updateOutput(3 + Math.abs(g()));
  }
  const s = m.report(0);
  assert.equal(s.outputSamples, 600);
  assert.deepEqual(s.drift, ['output-js']);
});

test('a model with a window stride: output drift is judged once the window has minSamples readings and minScores scores', () => {
  // Stride 8: one score for every 8 readings, 75 for 600 readings (minSamples 500). Compared
  // with minSamples, the output was never judged; minScores counts scores.
  const m = new DriftMonitor(reference(), settings({ minScores: 60 }));
  const g = gaussian(13);
  rows(600, 9).forEach((r, i) => {
    m.update(r);
    if (i % 8 === 7) m.updateOutput(3 + Math.abs(g()));
  });
  const s = m.report(0);
  assert.equal(s.outputSamples, 75);
  assert.deepEqual(s.drift, ['output-js']);
  const few = new DriftMonitor(reference(), settings({ minScores: 100 }));
  rows(600, 9).forEach((r, i) => {
    few.update(r);
    if (i % 8 === 7) few.updateOutput(3 + Math.abs(g()));
  });
  assert.deepEqual(few.report(0).drift, [], 'fewer scores than minScores: not judged');
});

test('columns map a stream order to the reference order; a feature the stream lacks is missing', () => {
  const m = new DriftMonitor(reference(), settings());
  const cols = Int32Array.from([2, 0, -1, 1]); // stream order: f1, f3, f0
  for (const r of rows(1000, 8)) m.update([r[1]!, r[3]!, r[0]!], cols);
  const s = m.report(0);
  assert.deepEqual(s.features.map((f) => f.samples), [1000, 1000, 0, 1000]);
  assert.ok(s.features[0]!.psi < 0.05 && s.features[1]!.psi < 0.05 && s.features[3]!.psi < 0.05);
  assert.deepEqual(s.quality, ['missing:f2']);
});

test('bounded memory: the state is sized by the reference and does not grow with readings', () => {
  const m = new DriftMonitor(reference(), settings());
  const before = m.stateBytes();
  // 4 features × (9 edges, 10 bins, 7 per-feature counters) in 8-byte slots, small index arrays.
  assert.ok(before < 2048, `state ${before} bytes`);
  const g = gaussian(13);
  const row = new Float64Array(4);
  for (let i = 0; i < 200_000; i++) {
    for (let j = 0; j < 4; j++) row[j] = 10 * j + g();
    m.update(row);
    m.updateOutput(g());
  }
  assert.equal(m.stateBytes(), before);
  assert.equal(m.report(0).readings, 200_000);
});
