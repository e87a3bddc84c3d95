import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binIndex, checkReference, jsDistance, ksDistance, psi, quantileEdges, referenceStats } from '../../shared/drift/index.ts';

const close = (actual: number, expected: number, tol = 1e-6) => assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not ${expected} ± ${tol}`);

test('PSI of counts [40, 30, 20, 10] against four even bins, computed by hand', () => {
  // a = [0.4, 0.3, 0.2, 0.1], e = 0.25 each; Σ (a − e)·ln(a/e):
  //   0.15·ln 1.6  = 0.15 × 0.4700036 = 0.0705005
  //   0.05·ln 1.2  = 0.05 × 0.1823216 = 0.0091161
  //  −0.05·ln 0.8  = 0.05 × 0.2231436 = 0.0111572
  //  −0.15·ln 0.4  = 0.15 × 0.9162907 = 0.1374436
  //                                 sum 0.2282174
  close(psi([0.25, 0.25, 0.25, 0.25], [40, 30, 20, 10]), 0.2282174);
  // The same shares at any scale give the same PSI; identical shares give 0.
  close(psi([0.25, 0.25, 0.25, 0.25], [4000, 3000, 2000, 1000]), 0.2282174);
  close(psi([0.1, 0.2, 0.7], [10, 20, 70]), 0, 1e-12);
});

test('PSI floors empty bins at epsilon instead of going to infinity; no readings give 0', () => {
  // e = [0.5, 0.5], a = [1, 0] → a floored to [1, 1e-4]:
  //   0.5·ln 2 = 0.3465736;  (1e-4 − 0.5)·ln(1e-4/0.5) = −0.4999 × −8.5171932 = 4.2577449;  sum 4.6043185
  const v = psi([0.5, 0.5], [10, 0]);
  assert.ok(Number.isFinite(v));
  close(v, 4.6043185);
  // A larger epsilon bounds it lower: (0.01 − 0.5)·ln(0.01/0.5) = −0.49 × −3.9120230 = 1.9168913, + 0.3465736 = 2.2634649
  close(psi([0.5, 0.5], [10, 0], 0.01), 2.2634649);
  assert.equal(psi([0.5, 0.5], [0, 0]), 0);
  assert.throws(() => psi([0.5, 0.5], [1, 2, 3]), { code: 'EH_BAD_REQUEST' });
});

test('KS distance is the largest gap between the cumulative shares at the bin edges', () => {
  // ref CDF 0.25, 0.5, 0.75; actual 0.4, 0.7, 0.9 → gaps 0.15, 0.2, 0.15
  close(ksDistance([0.25, 0.25, 0.25, 0.25], [40, 30, 20, 10]), 0.2);
  // everything in the last bin: the gap at the last edge is 0.75
  close(ksDistance([0.25, 0.25, 0.25, 0.25], [0, 0, 0, 7]), 0.75);
  assert.equal(ksDistance([0.25, 0.25, 0.25, 0.25], [0, 0, 0, 0]), 0);
  assert.equal(ksDistance([1], [5]), 0);
});

test('Jensen–Shannon distance: 0 for the same distribution, 1 for disjoint ones, a hand value between', () => {
  assert.equal(jsDistance([0.2, 0.3, 0.5], [2, 3, 5]), 0);
  close(jsDistance([1, 0], [0, 1]), 1, 1e-12);
  close(jsDistance([3, 0, 0], [0, 2, 5]), 1, 1e-12);
  // p = [0.5, 0.5], q = [1, 0], m = [0.75, 0.25]:
  //   KL(p‖m) = 0.5·log2(2/3) + 0.5·log2 2 = −0.2924813 + 0.5 = 0.2075187
  //   KL(q‖m) = log2(4/3) = 0.4150375
  //   JSD = (0.2075187 + 0.4150375)/2 = 0.3112781, distance = √ = 0.5579230
  close(jsDistance([0.5, 0.5], [1, 0]), 0.5579230);
  assert.equal(jsDistance([0.5, 0.5], [0, 0]), 0);
});

test('binIndex: k edges make k + 1 bins, an edge belongs to the bin above it', () => {
  const edges = [1, 2, 3];
  assert.deepEqual([-5, 0.99, 1, 1.5, 2, 2.999, 3, 1e9].map((v) => binIndex(edges, v)), [0, 0, 1, 1, 2, 2, 3, 3]);
  assert.equal(binIndex([], 42), 0);
});

test('quantile edges: exact quartiles of 1..100, ties merged, no edge at the minimum', () => {
  const seq = Float64Array.from({ length: 100 }, (_, i) => i + 1);
  assert.deepEqual(quantileEdges(seq, 4), [26, 51, 76]);
  const ties = Float64Array.from([...Array<number>(50).fill(0), ...Array.from({ length: 50 }, (_, i) => i + 1)]);
  assert.deepEqual(quantileEdges(ties, 4), [1, 26]);
  assert.deepEqual(quantileEdges(Float64Array.from([7, 7, 7]), 10), []);
});

test('referenceStats on known data: edges, proportions, missing rate, widened range, output histogram', () => {
  const rows = Array.from({ length: 100 }, (_, i) => [
    i + 1, // 1..100
    i % 5 === 0 ? Number.NaN : i, // 20 % missing
    7, // constant
    i < 50 ? 0 : i - 49, // 50 zeros, then 1..50
  ]);
  const ref = referenceStats(rows, ['seq', 'gappy', 'flat', 'ties'], Array.from({ length: 10 }, (_, i) => i), { bins: 4, nowMs: 1_700_000_000_000 });
  checkReference(ref, 'test');
  const [seq, gappy, flat, ties] = ref.features;
  assert.deepEqual(seq!.histogram, { edges: [26, 51, 76], proportions: [0.25, 0.25, 0.25, 0.25] });
  assert.equal(seq!.missingRate, 0);
  assert.equal(seq!.samples, 100);
  // range 1..100 widened by 5 % of 99 = 4.95 on each side
  close(seq!.min, -3.95, 1e-9);
  close(seq!.max, 104.95, 1e-9);
  assert.equal(gappy!.missingRate, 0.2);
  assert.equal(gappy!.samples, 80);
  // a constant feature: one bin, widened by 5 % of |7|
  assert.deepEqual(flat!.histogram, { edges: [], proportions: [1] });
  close(flat!.min, 6.65, 1e-9);
  close(flat!.max, 7.35, 1e-9);
  assert.deepEqual(ties!.histogram, { edges: [1, 26], proportions: [0.5, 0.25, 0.25] });
  // scores 0..9 in 4 bins: edges at sorted[2], sorted[5], sorted[7]
  assert.deepEqual(ref.output, { histogram: { edges: [2, 5, 7], proportions: [0.2, 0.3, 0.2, 0.3] }, samples: 10 });
  assert.equal(ref.createdMs, 1_700_000_000_000);
  assert.equal(ref.format, 1);
});

test('referenceStats: a feature with no values knows nothing and flags nothing; bad input is refused', () => {
  const ref = referenceStats([[Number.NaN], [Number.NaN]], ['gone'], null, { nowMs: 0 });
  assert.equal(ref.features[0]!.missingRate, 1);
  assert.equal(ref.features[0]!.samples, 0);
  assert.equal(ref.features[0]!.min, -Number.MAX_VALUE);
  assert.equal(ref.output, null);
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(ref)));
  assert.throws(() => referenceStats([[1, 2]], ['a'], null, { nowMs: 0 }), { code: 'EH_BAD_REQUEST' });
  assert.throws(() => referenceStats([[1]], ['a'], null, { bins: 0, nowMs: 0 }), { code: 'EH_BAD_REQUEST' });
  const bad = referenceStats([[1], [2], [3]], ['a'], null, { bins: 2, nowMs: 0 });
  bad.features[0]!.histogram.proportions = [0.5];
  assert.throws(() => checkReference(bad, 'bundle x', 'EH_BUNDLE_MALFORMED'), { code: 'EH_BUNDLE_MALFORMED' });
});
