import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hvacParams, sampleHvac, setpointAt } from '../../simulators/sensors/hvac.ts';
import { pumpParams, samplePump, PUMP_FEATURES } from '../../simulators/sensors/pump.ts';
import type { SensorFault } from '../../simulators/sensors/faults.ts';

const ORIGIN = Date.UTC(2026, 0, 5);
const DAY = 86_400_000;
const HOUR = 3_600_000;

function mean(xs: number[]): number { return xs.reduce((a, b) => a + b, 0) / xs.length; }

test('a pump reading is a pure function of seed, device, index and time', () => {
  const a = samplePump(9, 'pump-0007', 1234, ORIGIN + 1234_000, [], ORIGIN);
  samplePump(9, 'pump-0008', 1, ORIGIN + 1000, [], ORIGIN);
  assert.deepEqual(samplePump(9, 'pump-0007', 1234, ORIGIN + 1234_000, [], ORIGIN), a);
  assert.notDeepEqual(samplePump(10, 'pump-0007', 1234, ORIGIN + 1234_000, [], ORIGIN), a);
});

test('healthy pumps read in plausible ranges', () => {
  for (let d = 1; d <= 30; d++) {
    const id = `pump-${String(d).padStart(4, '0')}`;
    for (let i = 0; i < 200; i++) {
      const ts = ORIGIN + i * 7 * 60_000; // the first day, before any seeded failure (>= 3 days)
      const [vib, temp, press, current] = samplePump(1, id, i, ts, [], ORIGIN) as [number, number, number, number];
      assert.ok(vib > 0.3 && vib < 6, `vibration ${vib}`);
      assert.ok(temp > 30 && temp < 75, `bearing temp ${temp}`);
      assert.ok(press > 3 && press < 9, `pressure ${press}`);
      assert.ok(current > 6 && current < 20, `current ${current}`);
    }
  }
});

test('pump wear makes vibration and bearing temperature creep up over weeks', () => {
  const healthy = Array.from({ length: 60 }, (_, d) => `pump-${String(d + 1).padStart(4, '0')}`).filter((id) => pumpParams(5, id, ORIGIN).failure === null);
  assert.ok(healthy.length > 10);
  const avg = (week: number, f: number) => mean(healthy.flatMap((id) => Array.from({ length: 48 }, (_, h) => {
    const ts = ORIGIN + week * 7 * DAY + h * HOUR;
    return samplePump(5, id, week * 1000 + h, ts, [], ORIGIN)[f]!;
  })));
  assert.ok(avg(8, 0) > avg(0, 0) * 1.05, `vibration week 0 ${avg(0, 0)}, week 8 ${avg(8, 0)}`);
  assert.ok(avg(8, 1) > avg(0, 1) + 0.5, `temperature week 0 ${avg(0, 1)}, week 8 ${avg(8, 1)}`);
});

test('some pumps develop a seeded failure; a bearing failure raises vibration and temperature', () => {
  const failures = Array.from({ length: 100 }, (_, d) => pumpParams(11, `pump-${d}`, ORIGIN).failure).filter((f) => f !== null);
  assert.ok(failures.length > 20 && failures.length < 60, `${failures.length} of 100 fail`);
  const modes = new Set(failures.map((f) => f.mode));
  assert.deepEqual([...modes].sort(), ['bearing', 'cavitation', 'seal-leak']);

  const fault: SensorFault = { kind: 'failure', mode: 'bearing', fromMs: ORIGIN + DAY, rampMs: DAY };
  const before = samplePump(2, 'pump-0001', 10, ORIGIN + 12 * HOUR, [fault], ORIGIN);
  const after = samplePump(2, 'pump-0001', 10, ORIGIN + 3 * DAY, [fault], ORIGIN);
  assert.ok(after[0]! > before[0]! + 3, `vibration ${before[0]} -> ${after[0]}`);
  assert.ok(after[1]! > before[1]! + 15, `temperature ${before[1]} -> ${after[1]}`);
});

test('cavitation drops discharge pressure', () => {
  const fault: SensorFault = { kind: 'failure', mode: 'cavitation', fromMs: ORIGIN, rampMs: 0 };
  const p = (faults: SensorFault[]) => mean(Array.from({ length: 200 }, (_, i) => samplePump(3, 'pump-0002', i, ORIGIN + i * 60_000, faults, ORIGIN)[2]!));
  assert.ok(p([fault]) < p([]) * 0.75);
});

test('a dropout fault makes values missing (NaN) only in its window and features', () => {
  const fault: SensorFault = { kind: 'dropout', fromMs: ORIGIN + 10_000, toMs: ORIGIN + 20_000, features: ['bearing_temp'], rate: 1 };
  const inside = samplePump(1, 'pump-0001', 15, ORIGIN + 15_000, [fault], ORIGIN);
  const outside = samplePump(1, 'pump-0001', 25, ORIGIN + 25_000, [fault], ORIGIN);
  assert.ok(Number.isNaN(inside[PUMP_FEATURES.indexOf('bearing_temp')]!));
  assert.equal(inside.filter(Number.isNaN).length, 1);
  assert.equal(outside.filter(Number.isNaN).length, 0);
});

test('HVAC outdoor temperature follows a daily cycle, warmest in the afternoon', () => {
  const at = (h: number) => mean(Array.from({ length: 20 }, (_, d) => sampleHvac(4, 'hvac-0001', d * 24 + h, ORIGIN + d * DAY + h * HOUR, [], ORIGIN)[2]!));
  assert.ok(at(15) > at(5) + 6, `05:00 ${at(5)}, 15:00 ${at(15)}`);
});

test('HVAC compressor cycles more in the hot afternoon than at night, and keeps the room near its setpoint', () => {
  const p = hvacParams(4, 'hvac-0002', ORIGIN);
  const duty = (h: number) => mean(Array.from({ length: 120 }, (_, m) => sampleHvac(4, 'hvac-0002', m, ORIGIN + h * HOUR + m * 30_000, [], ORIGIN)[3]!));
  assert.ok(duty(15) > duty(3), `duty 03:00 ${duty(3)}, 15:00 ${duty(15)}`);
  for (let m = 0; m < 120; m++) {
    const ts = ORIGIN + 14 * HOUR + m * 30_000;
    const [room, supply, , on] = sampleHvac(4, 'hvac-0002', m, ts, [], ORIGIN) as [number, number, number, number];
    assert.ok(on === 0 || on === 1);
    assert.ok(Math.abs(room - setpointAt(p, ts)) < 3, `room ${room}, setpoint ${setpointAt(p, ts)}`);
    if (on === 1) assert.ok(supply < room - 5, `supply ${supply} while cooling a ${room} room`);
  }
});

test('an HVAC reading is the same however often and in whatever order it is asked for', () => {
  const ts = ORIGIN + 40 * HOUR + 17_000;
  const a = sampleHvac(8, 'hvac-0009', 99, ts, [], ORIGIN);
  for (let i = 0; i < 5; i++) sampleHvac(8, 'hvac-0009', i, ORIGIN + i * 1000, [], ORIGIN);
  assert.deepEqual(sampleHvac(8, 'hvac-0009', 99, ts, [], ORIGIN), a);
});
