import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceRandom, gaussianAt, hashString, uniformAt } from '../../simulators/random/hash-random.ts';

test('the random source gives the same value for the same (seed, device, index, channel), in any order', () => {
  const a = new DeviceRandom(42, 'pump-0001');
  const forward = Array.from({ length: 100 }, (_, i) => a.uniform(i, 3));
  const b = new DeviceRandom(42, 'pump-0001');
  const backward = Array.from({ length: 100 }, (_, i) => b.uniform(99 - i, 3)).reverse();
  assert.deepEqual(forward, backward);
  assert.equal(a.gaussian(12345, 1), gaussianAt(42, hashString('pump-0001'), 12345, 1));
});

test('seed, device, index and channel each change the value', () => {
  const k = hashString('pump-0001');
  const base = uniformAt(1, k, 10, 0);
  assert.notEqual(uniformAt(2, k, 10, 0), base);
  assert.notEqual(uniformAt(1, hashString('pump-0002'), 10, 0), base);
  assert.notEqual(uniformAt(1, k, 11, 0), base);
  assert.notEqual(uniformAt(1, k, 10, 1), base);
  // indexes past 2^32 are distinct from their low 32 bits
  assert.notEqual(uniformAt(1, k, 2 ** 32 + 10, 0), base);
});

test('uniform values are in [0, 1) and evenly spread', () => {
  const r = new DeviceRandom(7, 'hvac-0003');
  const bins = new Array(10).fill(0);
  const n = 50_000;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const u = r.uniform(i, 0);
    assert.ok(u >= 0 && u < 1);
    bins[Math.floor(u * 10)]++;
    sum += u;
  }
  assert.ok(Math.abs(sum / n - 0.5) < 0.01, `mean ${sum / n}`);
  for (const b of bins) assert.ok(Math.abs(b - n / 10) < n / 10 * 0.06, `bins ${bins}`);
});

test('gaussian values have mean 0 and standard deviation 1', () => {
  const r = new DeviceRandom(7, 'pump-0042');
  const n = 50_000;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const g = r.gaussian(i, 2);
    s += g;
    s2 += g * g;
  }
  const mean = s / n;
  const sd = Math.sqrt(s2 / n - mean * mean);
  assert.ok(Math.abs(mean) < 0.02, `mean ${mean}`);
  assert.ok(Math.abs(sd - 1) < 0.02, `sd ${sd}`);
});

test('neighbouring indexes are not correlated', () => {
  const r = new DeviceRandom(3, 'pump-0001');
  const n = 20_000;
  let c = 0;
  for (let i = 0; i < n; i++) c += (r.uniform(i, 0) - 0.5) * (r.uniform(i + 1, 0) - 0.5);
  assert.ok(Math.abs(c / n / (1 / 12)) < 0.03, `lag-1 correlation ${c / n / (1 / 12)}`);
});
