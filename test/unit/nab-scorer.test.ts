import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  formatNabTime, listDataFiles, loadWindows, parseWindows, readDetectorOutput, resultPath, scoreCorpus,
  type ScoredSeries, type WindowsByFile,
} from '../../bench/nab/index.ts';

// A hand-built corpus: 1000 rows at 5-minute steps (probation = rows 0..149), windows on rows
// 400..499 and 700..799 in file a, 300..399 in file b.
const STEP = 5 * 60_000;
const T0 = Date.UTC(2020, 0, 1);
const ROWS = 1000;
const ts = Float64Array.from({ length: ROWS }, (_, i) => T0 + i * STEP);
const WINDOWS: Record<string, [number, number][]> = { 'x/a.csv': [[400, 499], [700, 799]], 'x/b.csv': [[300, 399]] };
const windows: WindowsByFile = parseWindows(Object.fromEntries(Object.entries(WINDOWS).map(([k, ws]) =>
  [k, ws.map(([l, r]) => [`${formatNabTime(ts[l]!)}.000000`, formatNabTime(ts[r]!)])])));

/** Scores 1 on the given rows of each file, 0 elsewhere. */
function detector(rows: Record<string, number[]>): Map<string, ScoredSeries> {
  return new Map(Object.keys(WINDOWS).map((k) => {
    const scores = new Float64Array(ROWS);
    for (const i of rows[k] ?? []) scores[i] = 1;
    return [k, { timestamps: ts, scores }];
  }));
}
const starts = (offset = 0) => Object.fromEntries(Object.entries(WINDOWS).map(([k, ws]) => [k, ws.map(([l]) => l + offset)]));
const scoreOf = (rows: Record<string, number[]>, profile = 0) => scoreCorpus(detector(rows), windows)[profile]!.score;

test('a perfect detector (one detection on each window start) scores 100 in every profile', () => {
  for (const r of scoreCorpus(detector(starts()), windows)) {
    assert.ok(Math.abs(r.score - 100) < 1e-9, `${r.profile}: ${r.score}`);
    assert.equal(r.detectedWindows, 3);
    assert.equal(r.falsePositives, 0);
  }
});

test('the null detector scores 0 in every profile, and so does one that flags every row as badly', () => {
  for (const r of scoreCorpus(detector({}), windows)) assert.equal(r.score, 0, r.profile);
  // Flagging everything detects every window but pays hundreds of false positives; the optimiser
  // must then prefer detecting nothing (threshold above every score).
  const all = Object.fromEntries(Object.keys(WINDOWS).map((k) => [k, Array.from({ length: ROWS }, (_, i) => i)]));
  const [std] = scoreCorpus(detector(all), windows);
  assert.equal(std!.score, 0);
  assert.equal(std!.threshold, Infinity);
});

test('one early detection in each window scores nearly perfect; later in the window scores less', () => {
  const early = scoreOf(starts(5));
  const mid = scoreOf(starts(50));
  const late = scoreOf(starts(95));
  assert.ok(early > 97 && early < 100, `early ${early}`);
  assert.ok(mid < early && late < mid, `early ${early} mid ${mid} late ${late}`);
  assert.ok(late > 0, 'a detection at the end of a window still beats missing it');
});

test('only the first detection in a window counts', () => {
  const twice = Object.fromEntries(Object.entries(starts()).map(([k, rs]) => [k, [...rs, ...rs.map((r) => r + 40)]]));
  assert.ok(Math.abs(scoreOf(twice) - 100) < 1e-9);
});

test('false positives lower the score, more the further they lie from the preceding window', () => {
  const withFp = (row: number) => ({ ...starts(), 'x/a.csv': [...starts()['x/a.csv']!, row] });
  const justAfter = scoreOf(withFp(505));
  const farAfter = scoreOf(withFp(690)); // 190 rows past a 100-row window
  const beforeAny = scoreOf(withFp(200)); // no preceding window: full penalty
  assert.ok(justAfter < 100 && farAfter < justAfter && beforeAny <= farAfter, `${justAfter} ${farAfter} ${beforeAny}`);
  // The full penalty is A_FP over 3 windows' worth of (A_TP + A_FN) range: 0.11 / 6 of 100.
  assert.ok(Math.abs(beforeAny - (100 - (100 * 0.11) / 6)) < 1e-9, String(beforeAny));
  // reward_low_FP doubles what the same false positive costs.
  const lowFp = scoreCorpus(detector(withFp(200)), windows)[1]!.score;
  assert.ok(Math.abs(100 - lowFp - 2 * (100 - beforeAny)) < 1e-9);
});

test('missing a window costs more under reward_low_FN; detections in the probationary 15 % are ignored', () => {
  const missOne = { ...starts(), 'x/b.csv': [] };
  const [std, , lowFn] = scoreCorpus(detector(missOne), windows);
  assert.ok(Math.abs(std!.score - 200 / 3) < 1e-9, String(std!.score));
  assert.ok(Math.abs(lowFn!.score - (100 * 6) / 9) < 1e-9, String(lowFn!.score)); // null −6, perfect 3, raw 1 + 1 − 2
  const probation = { 'x/a.csv': [...starts()['x/a.csv']!, 10, 100, 149], 'x/b.csv': [...starts()['x/b.csv']!, 0] };
  assert.ok(Math.abs(scoreOf(probation) - 100) < 1e-9);
  assert.ok(scoreOf({ ...probation, 'x/a.csv': [...probation['x/a.csv'], 150] }) < 100, 'row 150 is the first scored row');
});

test('one threshold is shared by all files and chosen to maximise the total', () => {
  // File a's detections score 0.9, file b's 0.5; a false positive in a scores 0.7. The best
  // threshold is 0.5 (all three windows for one FP), not 0.9 (one window missed).
  const out = detector({});
  const a = out.get('x/a.csv')!.scores as Float64Array;
  const b = out.get('x/b.csv')!.scores as Float64Array;
  a[400] = 0.9; a[700] = 0.9; a[900] = 0.7; b[300] = 0.5;
  const [std] = scoreCorpus(out, windows);
  assert.equal(std!.threshold, 0.5);
  assert.equal(std!.detectedWindows, 3);
  assert.equal(std!.falsePositives, 1);
});

const NAB = join(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'nab');
const haveNab = existsSync(join(NAB, 'combined_windows.json'));

test('reproduces NAB\'s published scores for windowedGaussian and randomCutForest within 0.1', { skip: haveNab ? false : `NAB subset not found at ${NAB}` }, () => {
  const expected: Record<string, number[]> = { windowedGaussian: [26.5, 2.2, 37.1], randomCutForest: [53.7, 44.9, 60.1] };
  const nabWindows = loadWindows(join(NAB, 'combined_windows.json'));
  const keys = listDataFiles(join(NAB, 'data'));
  for (const [det, want] of Object.entries(expected)) {
    const outputs = new Map(keys.map((k) => [k, readDetectorOutput(resultPath(join(NAB, 'reference-results'), det, k))]));
    const got = scoreCorpus(outputs, nabWindows).map((r) => r.score);
    got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) <= 0.1, `${det} profile ${i}: ${g.toFixed(2)} vs ${want[i]}`));
  }
});
