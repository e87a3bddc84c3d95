import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SimSensorConfig } from '../../shared/config/agent-config.ts';
import { ManualClock } from '../../shared/time/clock.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import type { SensorReading, SensorSink } from '../../edge-agent/sensors/types.ts';
import { createSimSensor, expectedReading, simSensorFactory } from '../../simulators/sensors/sim-adapter.ts';

const ORIGIN = Date.UTC(2026, 2, 1);

function config(over: Partial<SimSensorConfig> = {}): SimSensorConfig {
  return {
    kind: 'sim', stream: 'sensors', model: 'pump', seed: 3, periodMs: 1000, originMs: ORIGIN,
    clock: { fleetEpochMs: ORIGIN, wallEpochMs: 0, speed: 100 }, ...over,
  };
}

function collector(): SensorSink & { readings: SensorReading[]; errors: Error[] } {
  const readings: SensorReading[] = [];
  const errors: Error[] = [];
  return { readings, errors, push: (r) => { readings.push(...r); }, error: (e) => { errors.push(e); } };
}

test('the sim sensor emits every due index once, in order, on a regular grid', () => {
  const wall = new ManualClock(0);
  const s = createSimSensor(config(), 'pump-0001', { wall, timer: false });
  const sink = collector();
  s.start(sink, { lastTsMs: null });
  assert.equal(s.tick(), 1); // index 0 is due at once
  wall.advance(55); // 5.5 fleet seconds
  s.tick();
  s.tick();
  wall.advance(1000); // 100 more fleet seconds: one batch, not one push per reading
  s.tick();
  assert.deepEqual(sink.readings.map((r) => r.tsMs), Array.from({ length: 106 }, (_, i) => ORIGIN + i * 1000));
  assert.deepEqual(sink.errors, []);
});

test('a restarted sim sensor never emits an index twice and regenerates identical readings', () => {
  const wall = new ManualClock(0);
  const first = createSimSensor(config(), 'pump-0002', { wall, timer: false });
  const a = collector();
  first.start(a, { lastTsMs: null });
  wall.advance(300);
  first.tick();
  void first.stop();
  const lastTsMs = a.readings.at(-1)!.tsMs;

  // Restart at the same fleet time (the agent came back at once): resume after lastTsMs.
  const second = createSimSensor(config(), 'pump-0002', { wall, timer: false });
  const b = collector();
  second.start(b, { lastTsMs });
  assert.equal(second.tick(), 0);
  wall.advance(100);
  second.tick();
  assert.equal(b.readings[0]!.tsMs, lastTsMs + 1000);

  // Restart after a pause: readings of the time it was down are not made up afterwards.
  const third = createSimSensor(config(), 'pump-0002', { wall, timer: false });
  const c = collector();
  wall.advance(500);
  third.start(c, { lastTsMs: b.readings.at(-1)!.tsMs });
  third.tick();
  assert.equal(c.readings[0]!.tsMs, ORIGIN + 90_000);

  const all = [...a.readings, ...b.readings, ...c.readings];
  const ts = all.map((r) => r.tsMs);
  assert.equal(new Set(ts).size, ts.length, 'no timestamp twice');
  for (let i = 1; i < ts.length; i++) assert.ok(ts[i]! > ts[i - 1]!);
  for (const r of all) assert.deepEqual(expectedReading(config(), 'pump-0002', r.tsMs), r);
});

test('a resume point ahead of the fleet clock waits for it rather than repeating', () => {
  const wall = new ManualClock(0);
  const s = createSimSensor(config(), 'pump-0003', { wall, timer: false });
  const sink = collector();
  s.start(sink, { lastTsMs: ORIGIN + 50_000 });
  s.tick();
  assert.equal(sink.readings.length, 0);
  wall.advance(600);
  s.tick();
  assert.equal(sink.readings[0]!.tsMs, ORIGIN + 51_000);
});

test('the sim sensor stops before untilMs', () => {
  const wall = new ManualClock(0);
  const s = createSimSensor(config({ untilMs: ORIGIN + 10_000 }), 'pump-0004', { wall, timer: false });
  const sink = collector();
  s.start(sink, { lastTsMs: null });
  wall.advance(10_000);
  s.tick();
  s.tick();
  assert.deepEqual(sink.readings.map((r) => (r.tsMs - ORIGIN) / 1000), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('expectedReading refuses a time off the grid, and separate sensors agree on the values', () => {
  assert.throws(() => expectedReading(config(), 'pump-0001', ORIGIN + 1500));
  const cfg = config({ model: 'hvac', faults: [{ kind: 'dropout', fromMs: ORIGIN, features: ['room_temp'], rate: 0.5 }] });
  const wall = new ManualClock(0);
  const s = simSensorFactory(cfg, { clock: wall, logger: silentLogger(), deviceId: 'hvac-0001' });
  assert.deepEqual(s.features, ['room_temp', 'supply_temp', 'outdoor_temp', 'compressor_on']);
  const r = expectedReading(cfg, 'hvac-0001', ORIGIN + 42_000);
  assert.deepEqual(expectedReading(cfg, 'hvac-0001', ORIGIN + 42_000), r);
  const missing = Array.from({ length: 200 }, (_, i) => expectedReading(cfg, 'hvac-0001', ORIGIN + i * 1000).values[0]).filter(Number.isNaN).length;
  assert.ok(missing > 60 && missing < 140, `${missing} of 200 missing at rate 0.5`);
});

test('a sink that throws stops the sensor and reports the error', () => {
  const wall = new ManualClock(0);
  const s = createSimSensor(config(), 'pump-0005', { wall, timer: false });
  const errors: Error[] = [];
  s.start({ push: () => { throw new Error('buffer closed'); }, error: (e) => { errors.push(e); } }, { lastTsMs: null });
  s.tick();
  wall.advance(100);
  assert.equal(s.tick(), 0);
  assert.equal(errors.length, 1);
});

test('the sim sensor timer emits on its own', async () => {
  const cfg = config({ clock: { fleetEpochMs: ORIGIN, wallEpochMs: Date.now(), speed: 1000 } });
  const s = createSimSensor(cfg, 'pump-0006', { tickMs: 20 });
  const sink = collector();
  s.start(sink, { lastTsMs: null });
  await new Promise((r) => setTimeout(r, 200));
  await s.stop();
  const n = sink.readings.length;
  assert.ok(n >= 50, `${n} readings in 200 ms at 1000 readings/s`);
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(sink.readings.length, n, 'nothing after stop');
});

test('a lagged sim sensor emits each reading lagMs after it is due, with the same timestamps; a fleet spreads lags over one wall second', async () => {
  const { emitLagMs } = await import('../../simulators/fleet/fleet.ts');
  const wall = new ManualClock(0);
  const s = createSimSensor(config({ clock: { fleetEpochMs: ORIGIN, wallEpochMs: 0, speed: 1 } }), 'pump-0007', { wall, timer: false, lagMs: 400 });
  const sink = collector();
  wall.advance(1000); // index 1 due at fleet +1000
  s.start(sink, { lastTsMs: null });
  s.tick(); // index 0 (due 0, emitted from 400)
  wall.advance(300); // +1300: index 1 not yet (its lag ends at +1400)
  s.tick();
  assert.deepEqual(sink.readings.map((r) => r.tsMs), [ORIGIN]);
  wall.advance(100); // +1400
  s.tick();
  assert.deepEqual(sink.readings.map((r) => r.tsMs), [ORIGIN, ORIGIN + 1000]);
  assert.deepEqual(sink.readings[1], expectedReading(config({ clock: { fleetEpochMs: ORIGIN, wallEpochMs: 0, speed: 1 } }), 'pump-0007', ORIGIN + 1000));

  const lags = Array.from({ length: 1000 }, (_, i) => emitLagMs(`pump-${String(i).padStart(4, '0')}`, 1000, 1));
  assert.ok(lags.every((l) => l >= 0 && l < 1000));
  const perTenth = new Array<number>(10).fill(0);
  for (const l of lags) perTenth[Math.floor(l / 100)]! += 1;
  assert.ok(perTenth.every((n) => n > 60 && n < 140), `lags spread over the second: ${perTenth.join(',')}`);
  assert.equal(emitLagMs('pump-0001', 1000, 100), emitLagMs('pump-0001', 1000, 100), 'deterministic');
  assert.ok(emitLagMs('pump-0001', 60_000, 1) < 1000, 'at most one wall second, whatever the period');
});
