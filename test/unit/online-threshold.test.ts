import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdaptiveThreshold, AnomalyLikelihood, type AnomalyLikelihoodOptions } from '../../edge-agent/runtime/index.ts';

/** Deterministic noise in [0, 1). */
const noise = (i: number) => (Math.sin(i * 12.9898) * 43758.5453) % 1 + (Math.sin(i * 12.9898) * 43758.5453 < 0 ? 1 : 0);
const OPTS: AnomalyLikelihoodOptions = { shortWindow: 4, longWindow: 500, warmup: 100 };
const run = (raw: number[], opts = OPTS) => { const al = new AnomalyLikelihood(opts); return raw.map((x) => al.update(x)); };

test('a step up in the raw score raises the anomaly score at once, more for a bigger step, and it stays in [0, 1]', () => {
  const base = Array.from({ length: 600 }, (_, i) => 1 + 0.1 * noise(i));
  const peaks = [0.2, 0.5, 2, 50].map((step) => {
    const out = run(base.map((x, i) => (i >= 400 ? x + step : x)));
    for (const s of out) assert.ok(s >= 0 && s <= 1 && Number.isFinite(s));
    assert.ok(Math.max(...out.slice(100, 400)) < 0.5, 'calm stretch stays calm');
    return Math.max(...out.slice(400, 410));
  });
  for (let k = 1; k < peaks.length; k++) assert.ok(peaks[k]! >= peaks[k - 1]!, `peaks not monotonic: ${peaks.join(', ')}`);
  assert.ok(peaks[0]! < 0.5 && peaks[3]! === 1, `peaks ${peaks.join(', ')}`);
});

test('no look-ahead: changing later raw scores leaves every earlier output unchanged', () => {
  const a = Array.from({ length: 800 }, (_, i) => noise(i));
  const b = a.map((x, i) => (i >= 500 ? x * 100 + 7 : x));
  const oa = run(a);
  const ob = run(b);
  assert.deepEqual(ob.slice(0, 500), oa.slice(0, 500));
  assert.notDeepEqual(ob.slice(500), oa.slice(500));
});

test('warm-up and missing raw scores give 0; the history adapts so a lasting new level stops alarming', () => {
  const raw = Array.from({ length: 1500 }, (_, i) => (i < 600 ? 1 : 5) + 0.2 * noise(i));
  raw[300] = NaN;
  const out = run(raw);
  assert.ok(out.slice(0, 100).every((s) => s === 0));
  assert.equal(out[300], 0);
  assert.ok(out[602]! > 0.9, 'the step itself alarms');
  assert.ok(Math.max(...out.slice(1300)) < 0.5, 'a level held for the whole history is normal again');
});

test('the threshold flags the first crossing and suppresses repeats for suppressRows rows', () => {
  const gate = new AdaptiveThreshold({ level: 0.5, suppressRows: 3 });
  const scores = [0.1, 0.6, 0.9, 0.9, 0.9, 0.9, 0.2, 0.7];
  const out = scores.map((s) => gate.update(s));
  assert.deepEqual(out.map((d) => d.detection), [false, true, false, false, false, true, false, false]);
  assert.deepEqual(out.map((d) => d.score), [0.1, 0.6, 0, 0, 0, 0.9, 0, 0]);
  assert.throws(() => new AdaptiveThreshold({ level: 2 }), /level must be in/);
});
