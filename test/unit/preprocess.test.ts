import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  createTransformState, fitPreprocess, imputeAndNormalise, loadPreprocessSpec, parsePreprocessSpec, savePreprocessSpec,
  serialisePreprocessSpec, transformRows, windowCount, windows, WindowStream, type FitOptions, type PreprocessSpec,
} from '../../shared/features/index.ts';
import { seeded } from '../support/seeded.ts';

const N = NaN;

const rng = seeded;

function bytes(a: Float32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

const window1 = { length: 1, stride: 1 };

/** Parsed JSON that a test breaks on purpose, field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('fitPreprocess statistics', () => {
  // a: [1, 2, 3, 4] + one missing; b: [10, 30, 20, 40] + one missing; c: [5, 1, 3, 9, 7].
  const rows = [[1, 10, 5], [2, N, 1], [3, 30, 3], [4, 20, 9], [N, 40, 7]];
  const spec = fitPreprocess(rows, { features: ['a', 'b', 'c'], imputation: { method: 'mean' }, normalisation: ['zscore', 'robust', 'zscore'], window: window1 });

  test('mean, population std, min, max and counts, ignoring NaN', () => {
    const [a, b, c] = spec.fitted.stats;
    assert.equal(spec.fitted.rows, 5);
    assert.deepEqual([a?.count, a?.missing, b?.count, b?.missing, c?.count, c?.missing], [4, 1, 4, 1, 5, 0]);
    // a: mean 10/4 = 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, / 4 = 1.25.
    assert.equal(a?.mean, 2.5);
    assert.equal(a?.std, Math.sqrt(1.25));
    // b: mean 100/4 = 25; 225 + 25 + 25 + 225 = 500, / 4 = 125.
    assert.equal(b?.mean, 25);
    assert.equal(b?.std, Math.sqrt(125));
    // c: mean 25/5 = 5; 0 + 16 + 4 + 16 + 4 = 40, / 5 = 8.
    assert.equal(c?.mean, 5);
    assert.equal(c?.std, Math.sqrt(8));
    assert.deepEqual([a?.min, a?.max, b?.min, b?.max, c?.min, c?.max], [1, 4, 10, 40, 1, 9]);
  });

  test('median and IQR by linear interpolation at p·(n−1)', () => {
    const [a, b, c] = spec.fitted.stats;
    // a sorted [1,2,3,4]: q1 at 0.75 → 1.75, median at 1.5 → 2.5, q3 at 2.25 → 3.25.
    assert.deepEqual([a?.q1, a?.median, a?.q3, a?.iqr], [1.75, 2.5, 3.25, 1.5]);
    // b sorted [10,20,30,40]: 17.5, 25, 32.5.
    assert.deepEqual([b?.q1, b?.median, b?.q3, b?.iqr], [17.5, 25, 32.5, 15]);
    // c sorted [1,3,5,7,9]: positions 1, 2, 3 exactly.
    assert.deepEqual([c?.q1, c?.median, c?.q3, c?.iqr], [3, 5, 7, 4]);
  });

  test('the normalisation entries carry the fitted numbers and the transform applies them', () => {
    assert.deepEqual(spec.normalisation, [
      { method: 'zscore', mean: 2.5, std: Math.sqrt(1.25) },
      { method: 'robust', median: 25, iqr: 15 },
      { method: 'zscore', mean: 5, std: Math.sqrt(8) },
    ]);
    const out = imputeAndNormalise([4, 40, 1], spec, createTransformState(spec));
    assert.deepEqual([...out], [Math.fround(1.5 / Math.sqrt(1.25)), Math.fround(1), Math.fround(-4 / Math.sqrt(8))]);
  });

  test('fitting is deterministic', () => {
    const again = fitPreprocess(rows.map((r) => Float64Array.from(r)), { features: ['a', 'b', 'c'], imputation: { method: 'mean' }, normalisation: ['zscore', 'robust', 'zscore'], window: window1 });
    assert.deepEqual(again, spec);
    assert.equal(serialisePreprocessSpec(again), serialisePreprocessSpec(spec));
  });

  test('bad options and rows are refused', () => {
    const opts: FitOptions = { features: ['a'], imputation: { method: 'mean' }, normalisation: 'none', window: window1 };
    assert.throws(() => fitPreprocess([], opts), { code: 'EH_BAD_REQUEST' });
    assert.throws(() => fitPreprocess([[1, 2]], opts), (e: Error & { code?: string }) => e.code === 'EH_BAD_REQUEST' && /row 0 has 2 values for 1 features/.test(e.message));
    assert.throws(() => fitPreprocess([[1]], { ...opts, window: { length: 0, stride: 1 } }), (e: Error & { code?: string }) => e.code === 'EH_CONFIG_INVALID' && /\/window\/length/.test(e.message));
    assert.throws(() => fitPreprocess([[1, 2]], { ...opts, features: ['a', 'a'] }), { code: 'EH_CONFIG_INVALID' });
    assert.throws(() => fitPreprocess([[1, 2]], { ...opts, features: ['a', 'b'], normalisation: ['none'] }), /\/normalisation: has 1 entries for 2 features/);
  });
});

describe('imputation of missing values', () => {
  // x: observed [1, 2, 10] → mean 13/3, median 2.
  const rows = [[1], [N], [2], [10]];
  const fit = (imputation: FitOptions['imputation']): PreprocessSpec => fitPreprocess(rows, { features: ['x'], imputation, normalisation: 'none', window: window1 });
  const stream = (spec: PreprocessSpec, values: number[]): number[] => {
    const state = createTransformState(spec);
    return values.map((v) => imputeAndNormalise([v], spec, state)[0] as number);
  };

  test('mean', () => {
    const spec = fit({ method: 'mean' });
    assert.deepEqual(spec.imputation, [{ method: 'mean', value: 13 / 3 }]);
    assert.deepEqual(stream(spec, [N, 7, N]), [Math.fround(13 / 3), 7, Math.fround(13 / 3)]);
  });

  test('median', () => {
    const spec = fit({ method: 'median' });
    assert.deepEqual(spec.imputation, [{ method: 'median', value: 2 }]);
    assert.deepEqual(stream(spec, [N, 7, N]), [2, 7, 2]);
  });

  test('constant', () => {
    const spec = fit({ method: 'constant', value: -1 });
    assert.deepEqual(stream(spec, [N, 7, N]), [-1, 7, -1]);
  });

  test('last carries the last observed value forward, with the fallback before the first', () => {
    const spec = fit({ method: 'last', fallback: 0 });
    assert.deepEqual(stream(spec, [N, N, 5, N, N, 7, N]), [0, 0, 5, 5, 5, 7, 7]);
    // Without a fallback the fitted mean is used.
    assert.deepEqual(fit({ method: 'last' }).imputation, [{ method: 'last', fallback: 13 / 3 }]);
  });

  test('imputed values are normalised like observed ones; infinities count as missing', () => {
    const spec = fitPreprocess(rows, { features: ['x'], imputation: { method: 'constant', value: 4 }, normalisation: 'robust', window: window1 });
    // sorted [1,2,10]: median 2, q1 1.5, q3 6 → iqr 4.5.
    const expected = Math.fround((4 - 2) / 4.5);
    assert.deepEqual(stream(spec, [N, Infinity, -Infinity]), [expected, expected, expected]);
  });

  test('the batch path imputes exactly like the stream', () => {
    const spec = fit({ method: 'last', fallback: -3 });
    const values = [N, N, 5, N, N, 7, N];
    assert.deepEqual([...transformRows(values.map((v) => [v]), spec).data], stream(spec, values));
  });
});

describe('zero-spread guard', () => {
  test('a constant column gets std 0 exactly and divisor 1; robust with IQR 0 divides by the std; no NaN or infinity comes out', () => {
    // Summing 0.1 three times gives 0.30000000000000004; the guard must not see spread there.
    const spec = fitPreprocess([[0.1, 0, N], [0.1, 0, N], [0.1, 0, N], [0.1, 0, N], [0.1, 5, N]], {
      features: ['c', 'mostly0', 'empty'], imputation: { method: 'mean' }, normalisation: ['zscore', 'robust', 'zscore'], window: window1,
    });
    const [c, mostly0, empty] = spec.fitted.stats;
    assert.equal(c?.mean, 0.1);
    assert.equal(c?.std, 0);
    assert.equal(mostly0?.iqr, 0); // sorted [0,0,0,0,5]: q1 = q3 = 0
    assert.deepEqual(empty, { count: 0, missing: 5, mean: 0, std: 0, min: 0, max: 0, q1: 0, median: 0, q3: 0, iqr: 0 });
    assert.deepEqual(spec.normalisation, [
      { method: 'zscore', mean: 0.1, std: 1 },
      { method: 'robust', median: 0, iqr: 2 }, // IQR 0, std 2: a spiky column keeps a sane scale
      { method: 'zscore', mean: 0, std: 1 },
    ]);
    const state = createTransformState(spec);
    assert.deepEqual([...imputeAndNormalise([0.1, 5, N], spec, state)], [0, 2.5, 0]);
    assert.deepEqual([...imputeAndNormalise([0.6, N, 3], spec, state)], [Math.fround(0.6 - 0.1), Math.fround(0.5), 3]);
  });
});

describe('windows', () => {
  const specFor = (nf: number, window: { length: number; stride: number }): PreprocessSpec => {
    const features = ['a', 'b', 'c'].slice(0, nf);
    return fitPreprocess([new Array<number>(nf).fill(0)], { features, imputation: { method: 'constant', value: 0 }, normalisation: 'none', window });
  };
  const series = (n: number): number[][] => Array.from({ length: n }, (_, r) => [r]);

  test('count by hand: ⌊(n − length) / stride⌋ + 1, 0 when too short', () => {
    assert.equal(windowCount(7, { length: 3, stride: 2 }), 3);
    assert.equal(windowCount(10, { length: 3, stride: 4 }), 2);
    assert.equal(windowCount(2, { length: 3, stride: 1 }), 0);
    assert.equal(windowCount(3, { length: 3, stride: 5 }), 1);
  });

  test('contents by hand for length 3, stride 2', () => {
    const t = windows(series(7), specFor(1, { length: 3, stride: 2 }));
    assert.deepEqual(t.shape, [3, 3, 1]);
    assert.deepEqual([...t.data], [0, 1, 2, 2, 3, 4, 4, 5, 6]);
  });

  test('a stride longer than the window skips readings', () => {
    const t = windows(series(10), specFor(1, { length: 3, stride: 4 }));
    assert.deepEqual(t.shape, [2, 3, 1]);
    assert.deepEqual([...t.data], [0, 1, 2, 4, 5, 6]);
  });

  test('layout is [window, time, feature]', () => {
    const t = windows([[0, 100], [1, 101], [2, 102]], specFor(2, { length: 2, stride: 1 }));
    assert.deepEqual(t.shape, [2, 2, 2]);
    assert.deepEqual([...t.data], [0, 100, 1, 101, 1, 101, 2, 102]);
  });

  test('too few rows give an empty tensor', () => {
    const t = windows(series(2), specFor(1, { length: 3, stride: 1 }));
    assert.deepEqual(t.shape, [0, 3, 1]);
    assert.equal(t.data.length, 0);
  });

  test('the stream emits the same windows at the same readings, and reset starts over', () => {
    const s = new WindowStream(specFor(1, { length: 3, stride: 2 }));
    const emitted = series(7).map((r) => s.push(r));
    assert.deepEqual(emitted.map((w) => (w ? [...w] : null)), [null, null, [0, 1, 2], null, [2, 3, 4], null, [4, 5, 6]]);
    assert.equal(s.buffered, 3);
    s.reset();
    assert.equal(s.buffered, 0);
    assert.deepEqual([s.push([9]), s.push([8])], [null, null]);
    const out = new Float32Array(3);
    assert.equal(s.push([7], out), out);
    assert.deepEqual([...out], [9, 8, 7]);
  });
});

describe('parity: the agent streaming one reading at a time and the trainer in batch give identical tensors', () => {
  // Three sensors with missing values, including a missing run at the start (before `last` has
  // seen anything) and a long gap; fitted on the first 300 rows (the training split) only.
  const next = rng(42);
  const rows: Float64Array[] = Array.from({ length: 500 }, (_, r) => Float64Array.from([
    r < 5 || (r > 200 && r < 230) || next() < 0.1 ? NaN : 20 + 5 * Math.sin(r / 17) + next(),
    next() < 0.15 ? NaN : 3.2 + 0.4 * next() * next(),
    next() < 0.05 ? NaN : 1000 * next() - 300,
  ]));
  const train = rows.slice(0, 300);
  const configs = [{ length: 16, stride: 1 }, { length: 10, stride: 3 }, { length: 4, stride: 7 }];

  for (const window of configs) {
    test(`length ${window.length}, stride ${window.stride}`, () => {
      const spec = fitPreprocess(train, {
        features: ['temp', 'vibration', 'flow'],
        imputation: [{ method: 'last' }, { method: 'median' }, { method: 'constant', value: 0 }],
        normalisation: ['zscore', 'robust', 'zscore'],
        window,
      });
      const batch = windows(rows, spec);
      assert.equal(batch.shape[0], windowCount(rows.length, window));
      assert.ok(batch.data.every(Number.isFinite));

      // The agent gets the spec as preprocess.json inside the bundle, and readings as plain arrays.
      const agentSpec = parsePreprocessSpec(serialisePreprocessSpec(spec));
      const stream = new WindowStream(agentSpec);
      const parts: Float32Array[] = [];
      for (const row of rows) {
        const w = stream.push(Array.from(row));
        if (w) parts.push(w);
      }
      assert.equal(parts.length, batch.shape[0]);
      const streamed = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) { streamed.set(p, at); at += p.length; }
      assert.ok(bytes(streamed).equals(bytes(batch.data)), 'streamed windows differ from batch windows');

      // Row by row too: the agent's transform and the trainer's transformRows.
      const state = createTransformState(agentSpec);
      const perReading = new Float32Array(rows.length * 3);
      rows.forEach((row, r) => perReading.set(imputeAndNormalise([...row], agentSpec, state), r * 3));
      assert.ok(bytes(perReading).equals(bytes(transformRows(rows, spec).data)));
    });
  }
});

describe('preprocess.json parse and serialise', () => {
  const spec = fitPreprocess([[1, 10, N], [2, N, 4], [3, 30, 6], [N, 20, 5]], {
    features: ['a', 'b', 'c'],
    imputation: [{ method: 'mean' }, { method: 'last', fallback: 1.5 }, { method: 'constant', value: -2 }],
    normalisation: ['zscore', 'robust', 'none'],
    window: { length: 8, stride: 2 },
  });
  const text = serialisePreprocessSpec(spec);

  test('round trip: parse(serialise(spec)) equals spec and serialises to the same bytes', () => {
    const back = parsePreprocessSpec(text);
    assert.deepEqual(back, spec);
    assert.equal(serialisePreprocessSpec(back), text);
    assert.deepEqual(parsePreprocessSpec(JSON.parse(text)), spec);
  });

  test('canonical: key order is fixed whatever order the input had', () => {
    const shuffled = JSON.parse(text) as Record<string, unknown>;
    const reordered: Record<string, unknown> = Object.fromEntries(Object.entries(shuffled).reverse());
    reordered['window'] = { stride: 2, length: 8 };
    assert.equal(serialisePreprocessSpec(parsePreprocessSpec(reordered)), text);
    assert.deepEqual(Object.keys(JSON.parse(text) as object), ['version', 'features', 'imputation', 'normalisation', 'window', 'fitted']);
    assert.ok(text.endsWith('}\n'));
  });

  test('save and load through a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'eh-preprocess-'));
    try {
      const file = join(dir, 'preprocess.json');
      await savePreprocessSpec(file, spec);
      assert.equal(await readFile(file, 'utf8'), text);
      assert.deepEqual(await loadPreprocessSpec(file), spec);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('errors name the bad field', () => {
    const good = JSON.parse(text) as Record<string, unknown>;
    const edit = (f: (s: Json) => void): unknown => {
      const s = JSON.parse(text) as Json;
      f(s);
      return s;
    };
    const cases: [unknown, RegExp][] = [
      [edit((s) => { s.version = 2; }), /\/version/],
      [edit((s) => { s.features[0] = 'bad name'; }), /\/features\/0/],
      [edit((s) => { s.features[2] = 'a'; }), /\/features\/2: duplicate feature name "a"/],
      [edit((s) => { delete s.window.stride; }), /\/window\/stride/],
      [edit((s) => { s.window.length = 0; }), /\/window\/length/],
      [edit((s) => { s.imputation[2] = { method: 'constant' }; }), /\/imputation\/2\/value/],
      [edit((s) => { s.imputation[0] = { method: 'mode' }; }), /\/imputation\/0\/method: Expected one of mean, median, constant, last/],
      [edit((s) => { s.imputation[1].fallback = 'x'; }), /\/imputation\/1\/fallback/],
      [edit((s) => { s.normalisation[0].std = 0; }), /\/normalisation\/0\/std/],
      [edit((s) => { s.normalisation[1] = { method: 'robust', median: 1 }; }), /\/normalisation\/1\/iqr/],
      [edit((s) => { s.normalisation.pop(); }), /\/normalisation: has 2 entries for 3 features/],
      [edit((s) => { s.fitted.stats[0].count = 99; }), /\/fitted\/stats\/0: count \+ missing/],
      [edit((s) => { delete s.fitted; }), /\/fitted/],
      [edit((s) => { s.extra = 1; }), /extra|additional/i],
      ['{ not json', /not valid JSON/],
    ];
    for (const [bad, re] of cases) {
      assert.throws(() => parsePreprocessSpec(bad), (e: Error & { code?: string }) => e.code === 'EH_CONFIG_INVALID' && re.test(e.message), `${re}`);
    }
    assert.deepEqual(parsePreprocessSpec(good), spec);
  });

  test('serialise refuses an invalid spec rather than writing it', () => {
    const bad = { ...spec, window: { length: 8, stride: 0 } };
    assert.throws(() => serialisePreprocessSpec(bad), (e: Error & { code?: string }) => e.code === 'EH_CONFIG_INVALID' && /\/window\/stride/.test(e.message));
    assert.throws(() => serialisePreprocessSpec({ ...spec, normalisation: [{ method: 'zscore', mean: NaN, std: 1 }, ...spec.normalisation.slice(1)] }), /\/normalisation\/0\/mean/);
  });
});
