import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { DecimatingSample } from '../../edge-agent/drift/baseline.ts';
import { DriftMonitor } from '../../edge-agent/drift/monitor.ts';
import { DriftReporter } from '../../edge-agent/drift/drift-reporter.ts';
import { parseWithSchema } from '../../shared/config/validate.ts';
import { DriftSettingsSchema, referenceStats, type DriftSettings } from '../../shared/drift/index.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { seeded } from '../../shared/random/seeded.ts';
import { ManualClock } from '../../shared/time/clock.ts';
import { tempDir } from '../support/bundle-device.ts';

const F = 16;
const names = Array.from({ length: F }, (_, j) => `f${j}`);
/** Device `level` (each device runs at its own level) with a daily cycle over `period` readings. */
function rows(n: number, level: number, seed: number, period = 200, from = 0): number[][] {
  const u = seeded(seed);
  return Array.from({ length: n }, (_, i) => names.map((_, j) => level + j + Math.sin((2 * Math.PI * (from + i)) / period) + 0.3 * (u() - 0.5)));
}
/** Pooled over a fleet of devices at levels 0 … 3 (what the hub ships). */
const pooled = referenceStats([0, 1, 2, 3].flatMap((l) => rows(400, l, l + 1)), names, Array.from({ length: 1000 }, (_, i) => (i % 50) / 50), { nowMs: 0 });
const settings = (over: Partial<DriftSettings> = {}): DriftSettings => parseWithSchema(DriftSettingsSchema, { minSamples: 200, baselineReadings: 400, ...over }, 'drift settings');

test('defaults: a device baseline of one day at one reading a minute, judged in windows of a day', () => {
  const s = parseWithSchema(DriftSettingsSchema, {}, 'drift settings');
  assert.equal(s.baseline, 'device');
  assert.equal(s.baselineReadings, 1440);
  assert.equal(s.minSamples, 1440);
});

test('decimation keeps rows evenly spread over the whole span in a fixed buffer', () => {
  const d = new DecimatingSample(1, 8);
  for (let i = 0; i < 100; i++) {
    const at = d.slot();
    if (at >= 0) d.values[at] = i;
  }
  assert.deepEqual([...d.column(0)], [0, 16, 32, 48, 64, 80, 96]);
  assert.equal(d.values.length, 8);
});

test('while learning no drift alarm, however far the device is from the pooled reference; quality is still judged', () => {
  const m = new DriftMonitor(pooled, settings());
  for (const r of rows(399, 3, 9)) m.update(r.map((v, j) => (j === 1 ? Number.NaN : v)));
  const s = m.report(0);
  assert.equal(s.baseline, 'learning');
  assert.equal(s.learnedReadings, 399);
  assert.equal(s.alarm, false);
  assert.deepEqual(s.drift, []);
  assert.ok(s.features.every((f) => f.psi === 0 && f.ks === 0));
  assert.deepEqual(s.quality, ['missing:f1'], 'a feature that never arrives is a fault, learning or not');
  // The same readings against the pooled reference alarm on every feature.
  const b = new DriftMonitor(pooled, settings({ baseline: 'bundle' }));
  for (const r of rows(399, 3, 9)) b.update(r);
  assert.equal(b.report(0).drift.filter((x) => x.startsWith('psi:')).length, F);
});

test('after learning a device at its own level is judged against itself: a healthy day is clean, a shift alarms', () => {
  const m = new DriftMonitor(pooled, settings());
  for (const r of rows(400, 3, 9)) m.update(r);
  assert.equal(m.baseline, 'device');
  assert.equal(m.readings, 0, 'a new window starts once the baseline is learned');
  for (const r of rows(400, 3, 10, 200, 400)) m.update(r);
  const healthy = m.report(0);
  assert.equal(healthy.alarm, false, `psi ${healthy.features.map((f) => f.psi.toFixed(3)).join(' ')}`);
  assert.ok(healthy.features.every((f) => f.psi < 0.1));
  m.reset();
  for (const r of rows(400, 3, 11)) m.update(r.map((v, j) => (j === 4 ? v + 1 : v)));
  const shifted = m.report(0);
  assert.deepEqual(shifted.drift, ['psi:f4', 'ks:f4']);
  // Ranges stay the bundle's: level 3 + 1 is past the fleet's range, a quality note beside the drift.
  assert.ok(shifted.features[4]!.outOfRangeRate > 0);
});

test('bounded memory: under 64 KiB with 16 features while learning, and the learning buffer goes once learned', () => {
  const m = new DriftMonitor(pooled, settings({ baselineReadings: 100_000 }));
  const learning = m.stateBytes();
  assert.ok(learning < 64 * 1024, `${learning} bytes`);
  for (const r of rows(5000, 0, 3)) m.update(r);
  assert.equal(m.stateBytes(), learning, 'the state does not grow with the readings');
  const done = new DriftMonitor(pooled, settings());
  for (const r of rows(400, 0, 3)) done.update(r);
  assert.ok(done.stateBytes() < learning / 4, `${done.stateBytes()} bytes after learning`);
});

function reporter(dir: string, clock: ManualClock, over: Partial<DriftSettings> = {}) {
  return new DriftReporter({ settings: settings({ schedule: '0 0 1 1 *', ...over }), append: () => {}, clock, logger: silentLogger(), baselineDir: dir });
}
const model = { id: 'pump@1/fp32', model: 'pump', version: 1, stream: 'env', reference: pooled };
// One a minute, the reporter's default sampling rate (sampleEveryMs): every reading is taken.
const readings = (r: number[][]) => r.map((values, i) => ({ tsMs: i * 60_000, values }));

test('the learned baseline is saved in the data dir and a restarted agent uses it without learning again', () => {
  const tmp = tempDir('drift-baseline-');
  try {
    const clock = new ManualClock(1_000);
    const a = reporter(tmp.dir, clock);
    a.activate(model);
    a.offer('env', names, readings(rows(300, 2, 5)));
    assert.deepEqual(readdirSync(tmp.dir), [], 'nothing is saved while learning');
    a.offer('env', names, readings(rows(100, 2, 6)));
    assert.deepEqual(readdirSync(tmp.dir), ['baseline-pump_1_fp32.json']);
    a.stop();
    const b = reporter(tmp.dir, clock);
    b.activate(model);
    assert.equal(b.snapshot()!.baseline, 'device', 'restored, not learning');
    b.offer('env', names, readings(rows(300, 2, 7)));
    assert.equal(b.snapshot()!.alarm, false);
    b.stop();
    // Another device level: a restored baseline is the device's own, so a device at level 0 now alarms.
    const c = reporter(tmp.dir, clock);
    c.activate(model);
    c.offer('env', names, readings(rows(300, 0, 8)));
    assert.equal(c.snapshot()!.alarm, true);
    c.stop();
  } finally {
    tmp.remove();
  }
});

test('a baseline learned against another reference, or with other baselineReadings, or damaged, is learned again', () => {
  const tmp = tempDir('drift-baseline-');
  try {
    const clock = new ManualClock(1_000);
    const a = reporter(tmp.dir, clock);
    a.activate(model);
    a.offer('env', names, readings(rows(400, 2, 5)));
    a.stop();
    const other = { ...model, reference: { ...pooled, createdMs: 1 } };
    const b = reporter(tmp.dir, clock);
    b.activate(other);
    assert.equal(b.snapshot()!.baseline, 'learning', 'a new bundle reference');
    b.stop();
    const c = reporter(tmp.dir, clock, { baselineReadings: 500 });
    c.activate(model);
    assert.equal(c.snapshot()!.baseline, 'learning', 'another baselineReadings');
    c.stop();
    const path = `${tmp.dir}/baseline-pump_1_fp32.json`;
    writeFileSync(path, readFileSync(path, 'utf8').slice(0, 100));
    const d = reporter(tmp.dir, clock);
    d.activate(model);
    assert.equal(d.snapshot()!.baseline, 'learning', 'a truncated file');
    d.offer('env', names, readings(rows(400, 2, 5)));
    assert.equal(d.snapshot()!.baseline, 'device');
    assert.doesNotThrow(() => JSON.parse(readFileSync(path, 'utf8')), 'and saved whole again');
    d.stop();
  } finally {
    tmp.remove();
  }
});
