import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseRawScores } from '../../bench/nab/score-normaliser.ts';
import { AdaptiveThreshold, AnomalyLikelihood, ConformalScore, type AnomalyLikelihoodOptions } from '../../edge-agent/runtime/index.ts';

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

/** The conformal score by brute force over the last `history` finite raw scores. */
function conformalByHand(raw: number[], history: number, minHistory: number): number[] {
  const seen: number[] = [];
  return raw.map((r) => {
    if (!Number.isFinite(r)) return 0;
    const past = seen.slice(-history);
    seen.push(r);
    if (past.length < minHistory || past.length === 0) return 0;
    const below = past.filter((p) => p < r).length;
    const ties = past.filter((p) => p === r).length;
    return (below + 0.5 * ties) / (past.length + 1);
  });
}

test('conformal score: the rank of each raw score among the last `history` before it, ties half, missing values skipped', () => {
  // Rounded noise, so ties happen; a few NaNs; long enough for the ring to wrap several times.
  const raw = Array.from({ length: 700 }, (_, i) => (i % 97 === 5 ? NaN : Math.round(noise(i) * 20)));
  for (const [history, minHistory] of [[50, 10], [1, 0], [7, 7]] as const) {
    const c = new ConformalScore({ history, minHistory });
    const got = raw.map((r) => c.update(r));
    const want = conformalByHand(raw, history, minHistory);
    got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) < 1e-12, `history ${history} row ${i}: ${g} vs ${want[i]}`));
    assert.equal(c.count, history);
  }
  assert.throws(() => new ConformalScore({ history: 0 }), /history must be a positive integer/);
  assert.throws(() => new ConformalScore({ history: 10, minHistory: 11 }), /minHistory/);
});

test('conformal score: a new maximum of a full history scores history/(history+1); invariant to monotone rescaling', () => {
  const c = new ConformalScore({ history: 100, minHistory: 0 });
  for (let i = 0; i < 300; i++) c.update(noise(i));
  assert.equal(c.peek(10), c.recordLevel);
  assert.equal(c.recordLevel, 100 / 101);
  const raw = Array.from({ length: 400 }, (_, i) => noise(i + 1) ** 2);
  const a = new ConformalScore({ history: 100 });
  const b = new ConformalScore({ history: 100 });
  // int8 and fp32 models whose errors differ by a monotone map rank alike.
  assert.deepEqual(raw.map((r) => a.update(r)), raw.map((r) => b.update(Math.log(r + 1e-9) * 3 + 2)));
});

test('conformal score: no look-ahead, in the runtime class and in the bench normaliser', () => {
  const a = Array.from({ length: 1500 }, (_, i) => noise(i));
  const b = a.map((x, i) => (i >= 900 ? x * 50 + 3 : x));
  const ca = new ConformalScore({ history: 300 });
  const cb = new ConformalScore({ history: 300 });
  const oa = a.map((x) => ca.update(x));
  const ob = b.map((x) => cb.update(x));
  assert.deepEqual(ob.slice(0, 900), oa.slice(0, 900));
  assert.notDeepEqual(ob.slice(900), oa.slice(900));
  // The bench's normaliser (calibration rows, conformal rank, suppression) is causal too.
  const na = normaliseRawScores(a, 200, { history: 300, suppressRows: 20 });
  const nb = normaliseRawScores(b, 200, { history: 300, suppressRows: 20 });
  assert.deepEqual(Array.from(nb.subarray(0, 900)), Array.from(na.subarray(0, 900)));
  assert.ok(na.subarray(0, 200).every((s) => s === 0), 'calibration rows score 0');
  assert.ok(na.every((s) => s >= 0 && s < 1));
});

test('bench normaliser: a spike is a detection, the rows after it are suppressed, and a lasting new level becomes normal', () => {
  const raw = Array.from({ length: 3000 }, (_, i) => noise(i) + (i >= 1500 ? 10 : 0));
  raw[1200] = 100;
  const out = normaliseRawScores(raw, 300, { history: 500, suppressRows: 50 });
  assert.equal(out[1200], 500 / 501, 'the spike is a new maximum of the full history');
  assert.ok(out.subarray(1201, 1251).every((s) => s === 0), 'suppressed after the detection');
  assert.ok(out[1500]! > 0.99, 'the step up ranks high');
  // Once the history holds only the new level, scores are ranks of noise again: about uniform,
  // with new maxima (detections) only at the chance rate of about one per `history` rows.
  const later = Array.from(out.subarray(2100));
  const mean = later.reduce((x, y) => x + y, 0) / later.length;
  assert.ok(Math.abs(mean - 0.5) < 0.1, `mean score ${mean}`);
  assert.ok(later.filter((s) => s >= 500 / 501).length <= 6);
});
