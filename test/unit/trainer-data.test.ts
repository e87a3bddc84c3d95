import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isEdgehiveError } from '../../shared/errors/index.ts';
import { parseRecipe, resolveRecipe, type Recipe } from '../../cloud-hub/recipes/index.ts';
import { planModel } from '../../cloud-hub/model/plan.ts';
import { buildDataset, type TrainingRows } from '../../cloud-hub/trainer/dataset.ts';
import { formatCsv, parseCsv } from '../../cloud-hub/trainer/csv.ts';
import { ESTABLISHED_SEVERITY, generatePumpStates, PUMP_STATE_CLASSES } from '../../simulators/datasets/index.ts';

/** Rows i = 0..n-1 at i seconds: a = i, b = 10·i (and any extra columns given). */
function series(n: number, extra: Record<string, (i: number) => number> = {}): TrainingRows {
  const names = ['a', 'b', ...Object.keys(extra)];
  return {
    features: names,
    timestamps: Array.from({ length: n }, (_, i) => i * 1000),
    rows: Array.from({ length: n }, (_, i) => [i, 10 * i, ...Object.values(extra).map((f) => f(i))]),
  };
}

function recipe(edit: (r: Recipe) => void = () => {}): Recipe {
  const r: Recipe = {
    version: 1, name: 't', task: 'anomaly',
    input: { features: ['a', 'b'], window: { length: 4, stride: 2 } },
    architecture: { layers: [] },
    training: { epochs: 2, batchSize: 4, learningRate: 0.01 },
    gates: { maxInt8Loss: 0.1 },
  };
  edit(r);
  return parseRecipe(r);
}

function dataset(r: Recipe, rows: TrainingRows) {
  return buildDataset(r, rows, planModel(r));
}

test('windows split by time, never overlapping across a cut, and the spec is fitted on train rows only', () => {
  const d = dataset(recipe(), series(40));
  // 19 windows (starts 0, 2, …, 36): train = the first 13 (rows 0..27); the first validation and
  // the first test window overlap the split before them and are dropped.
  assert.equal(d.train.windows, 13);
  assert.equal(d.validation?.windows, 2);
  assert.equal(d.test.windows, 2);
  assert.equal(d.purged, 2);
  assert.ok(d.train.toMs < d.validation!.fromMs && d.validation!.toMs < d.test.fromMs);
  assert.deepEqual([d.train.fromMs, d.train.toMs, d.test.fromMs, d.test.toMs], [0, 27_000, 34_000, 39_000]);

  assert.equal(d.spec.fitted.rows, 28);
  const norm = d.spec.normalisation[0]!;
  assert.equal(norm.method, 'zscore');
  if (norm.method === 'zscore') assert.equal(norm.mean, 13.5);
  // The newest test window holds rows 36..39, normalised with the train statistics.
  const last = d.test.x.data.subarray(4 * 2, 8 * 2);
  const s = d.spec.normalisation as Array<{ mean: number; std: number }>;
  const want = [36, 37, 38, 39].flatMap((i) => [Math.fround((i - s[0]!.mean) / s[0]!.std), Math.fround((10 * i - s[1]!.mean) / s[1]!.std)]);
  assert.deepEqual(Array.from(last), want);
  // Anomaly: the target is the input.
  assert.deepEqual(Array.from(d.test.y.data), Array.from(d.test.x.data));
  assert.deepEqual(d.test.x.shape, [2, 4, 2]);
});

test('forecast targets are the next horizon readings of the target features, normalised', () => {
  const r = recipe((x) => { x.task = 'forecast'; x.target = { features: ['b'], horizon: 2 }; x.input.window.stride = 1; });
  const d = dataset(r, series(80));
  // Windows need 4 + 2 rows: starts 0..74 = 75; train = the first 52 (rows 0..56); windows that
  // share rows with the split before them are dropped: validation starts 57..62, test 68..74.
  assert.equal(d.train.windows, 52);
  assert.equal(d.validation?.windows, 6);
  assert.equal(d.test.windows, 7);
  const norm = d.spec.normalisation[1] as { mean: number; std: number };
  const z = (i: number) => Math.fround((10 * i - norm.mean) / norm.std);
  assert.deepEqual(d.train.y.shape, [52, 2]);
  assert.deepEqual(Array.from(d.train.y.data.subarray(0, 4)), [z(4), z(5), z(5), z(6)]);
  const lastStart = 74;
  assert.deepEqual(Array.from(d.test.y.data.subarray(-2)), [z(lastStart + 4), z(lastStart + 5)]);
  assert.equal(d.test.fromMs, 68_000);
  assert.equal(d.test.toMs, 79_000);
});

test('classify targets are one-hot labels of each window\'s last row; unlabelled windows are dropped', () => {
  const label = (i: number) => (i === 11 ? NaN : i % 3);
  const r = recipe((x) => { x.task = 'classify'; x.target = { label: 'z', classes: ['p', 'q', 'r'] }; x.input.window.stride = 1; });
  const d = dataset(r, series(40, { z: label }));
  // Window starting at 8 ends at row 11 (no label): 37 − 1 = 36 windows.
  assert.equal(d.train.windows + (d.validation?.windows ?? 0) + d.test.windows + d.purged, 36);
  assert.deepEqual(d.train.y.shape, [d.train.windows, 3]);
  // Train window 0 ends at row 3 (class 0), window 1 at row 4 (class 1).
  assert.deepEqual(Array.from(d.train.y.data.subarray(0, 6)), [1, 0, 0, 0, 1, 0]);
  // The label column is not an input.
  assert.deepEqual(d.spec.features, ['a', 'b']);
  assert.throws(() => dataset(r, series(40, { z: (i) => (i === 20 ? 3 : 0) })), (e) => isEdgehiveError(e, 'EH_BAD_REQUEST') && /holds 3 at row 20.*0\.\.2/.test((e as Error).message));
});

test('maxWindows keeps the newest windows; too little data is EH_DATA_INSUFFICIENT', () => {
  const d = dataset(recipe((x) => { x.training.maxWindows = 14; }), series(40));
  // The newest 14 of 19 windows start at 10, 12, …, 36; the first 9 of them train (rows 10..29).
  assert.equal(d.train.fromMs, 10_000);
  assert.equal(d.spec.fitted.rows, 20);
  assert.equal(d.droppedOldest, 5);
  assert.throws(() => dataset(recipe(), series(7)), (e) => isEdgehiveError(e, 'EH_DATA_INSUFFICIENT') && /2 windows.*window 4, stride 2.*empty/.test((e as Error).message));
  assert.throws(() => dataset(recipe((x) => { x.input.features = ['a', 'c']; }), series(40)), (e) => isEdgehiveError(e, 'EH_DATA_INSUFFICIENT') && /no column "c"/.test((e as Error).message));
});

test('windows never cross from one series into the next', () => {
  const r = recipe((x) => { x.input.window.stride = 1; x.training.split = { train: 0.5, validation: 0 }; });
  const rows = { ...series(20), timestamps: [...Array.from({ length: 10 }, (_, i) => i * 1000), ...Array.from({ length: 10 }, (_, i) => i * 1000)], segments: [0, 10] };
  const d = dataset(r, rows);
  // 7 windows per series (one series of 20 rows would give 17), ordered by time across both.
  assert.equal(d.train.windows + d.test.windows + d.purged, 14);
  assert.equal(d.train.windows, 7);
});

test('CSV: NAB files, ISO times without a zone read as UTC, epoch ms, missing cells, rows sorted by time', () => {
  const nab = parseCsv('timestamp,value\n2014-02-14 14:35:00,2\n2014-02-14 14:30:00,1.5\n2014-02-14 14:40:00,\n', 'nab.csv');
  assert.deepEqual(nab.features, ['value']);
  assert.deepEqual(Array.from(nab.timestamps), [Date.UTC(2014, 1, 14, 14, 30), Date.UTC(2014, 1, 14, 14, 35), Date.UTC(2014, 1, 14, 14, 40)]);
  assert.deepEqual(Array.from(nab.rows as Float64Array), [1.5, 2, NaN]);
  const ms = parseCsv('x,timestamp,y\n1,1700000000000,NaN\n2,2023-11-14T22:13:21Z,"3"\n');
  assert.deepEqual(Array.from(ms.timestamps), [1_700_000_000_000, 1_700_000_001_000]);
  assert.deepEqual(Array.from(ms.rows as Float64Array), [1, NaN, 2, 3]);
});

test('CSV errors name the line and say what is wrong', () => {
  const bad = (text: string, re: RegExp) => assert.throws(() => parseCsv(text, 'd.csv'), (e) => isEdgehiveError(e) && re.test((e as Error).message), re.source);
  bad('time,value\n1,2\n', /d\.csv line 1: .*no "timestamp" column/);
  bad('timestamp,value\n1,2\n2,abc\n', /d\.csv line 3: column "value" holds "abc", not a number/);
  bad('timestamp,value\n1,2\n2\n', /d\.csv line 3: has 1 fields, the header has 2/);
  bad('timestamp,value\n14/02/2014,2\n', /d\.csv line 2: timestamp "14\/02\/2014" is neither/);
  bad('timestamp,v,v\n1,2,3\n', /line 1: column "v" appears twice/);
  assert.throws(() => parseCsv('timestamp,value\n'), (e) => isEdgehiveError(e, 'EH_DATA_INSUFFICIENT'));
});

test('CSV with a series column keeps devices apart and round-trips through formatCsv', () => {
  const text = 'timestamp,series,v\n2,p2,20\n1,p1,1\n1,p2,10\n2,p1,2\n';
  const d = parseCsv(text);
  assert.deepEqual(d.segments, [0, 2]);
  // Series in order of first appearance (p2, then p1), each in time order.
  assert.deepEqual(Array.from(d.rows as Float64Array), [10, 20, 1, 2]);
  const back = parseCsv(formatCsv(d, ['p2', 'p1']));
  assert.deepEqual(back, d);
});

test('the pump-states data set: one series per episode, each labelled with its one state, every split gets every class', () => {
  const g = generatePumpStates({ devices: 2, rounds: 4, episodeReadings: 256 });
  assert.deepEqual(g.classes, PUMP_STATE_CLASSES);
  // 2 pumps × 4 rounds × 4 states, each episode a series of its own: no window spans two states.
  assert.deepEqual(g.data.segments, Array.from({ length: 32 }, (_, k) => k * 256));
  assert.equal(g.series.length, 32);
  assert.equal(new Set(g.series).size, 32);
  const rows = g.data.rows as Float64Array;
  const nf = g.data.features.length;
  const at = (i: number, j: number) => rows[i * nf + j]!;
  const meanVib = [0, 0, 0, 0];
  const count = [0, 0, 0, 0];
  for (let e = 0; e < 32; e++) {
    const from = e * 256;
    const state = PUMP_STATE_CLASSES.indexOf(g.series[e]!.split('/')[2] as (typeof PUMP_STATE_CLASSES)[number]);
    assert.ok(state >= 0, g.series[e]);
    // Unlabelled readings (a failure not yet visible) only open a failure's episode: at most until
    // its severity (ramp share squared) reaches ESTABLISHED_SEVERITY on the slowest ramp, half the episode.
    let i = from;
    while (i < from + 256 && Number.isNaN(at(i, nf - 1))) i++;
    assert.ok(state === 0 ? i === from : i <= from + Math.sqrt(ESTABLISHED_SEVERITY) * 0.5 * 256, `${g.series[e]}: ${i - from} unlabelled readings`);
    for (; i < from + 256; i++) {
      assert.equal(at(i, nf - 1), state);
      meanVib[state]! += at(i, 0);
      count[state]!++;
    }
  }
  assert.equal(count[0], 8 * 256);
  for (const c of count.slice(1)) assert.ok(c > 8 * 192 && c < 8 * 256, `${count}`);
  // A bearing failure raises vibration well above normal running.
  assert.ok(meanVib[1]! / count[1]! > 2 * (meanVib[0]! / count[0]!));
  assert.deepEqual(generatePumpStates({ devices: 2, rounds: 4, episodeReadings: 256 }).data.rows, rows);

  const r = resolveRecipe('pump-fault-classifier');
  const d = dataset(r, generatePumpStates({ devices: 4, rounds: 3, episodeReadings: 256 }).data);
  for (const part of [d.train, d.validation!, d.test]) {
    const seen = new Set<number>();
    for (let k = 0; k < part.windows; k++) seen.add(part.y.data.subarray(k * 4, k * 4 + 4).indexOf(1));
    assert.equal(seen.size, 4, `split with ${part.windows} windows lacks a class`);
  }
});
