/**
 * The fleet drift policy over 30 simulated days, without MQTT: the simulator's pump model feeds a
 * real agent DriftMonitor per device; each report goes through the wire encoding and the hub's
 * row conversion (drift-rows.ts) into the pure evaluator, in time order.
 *
 * Statistics choices, measured on this fleet (see docs/decisions/0011-drift-policy.md):
 * - Reference per device, from its own first day (1440 readings, one a minute). A reference pooled
 *   over the fleet puts every pump's own level in a slice of it: PSI 4–7 from the first report.
 * - minSamples = 1440, one daily cycle: load follows the day, so a shorter window is a slice of
 *   the cycle and alarms on every pump. The agent's reporter keeps a window open until it has
 *   minSamples readings, so every judged window is one whole day; the reports between are
 *   unjudged and the policy (drifting.minSamples = 1440) skips them.
 * - Watched features: discharge_pressure and motor_current. The pump's bearings wear (vibration
 *   and bearing temperature creep for weeks, a real change the model is there to detect); the
 *   last test shows that watching them retrains on wear.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergePolicy, type DriftPolicy } from '../../cloud-hub/drift/policy.ts';
import { DriftMonitor } from '../../edge-agent/drift/monitor.ts';
import { parseWithSchema } from '../../shared/config/validate.ts';
import { DriftSettingsSchema, referenceStats } from '../../shared/drift/index.ts';
import type { SensorFault } from '../../simulators/sensors/faults.ts';
import { PUMP_FEATURES, pumpParams, samplePump } from '../../simulators/sensors/pump.ts';
import { runFleetDrift, type FleetDriftOutcome } from './drift-fleet-run.ts';

const MIN = 60_000;
const DAY = 86_400_000;
const PER_DAY = 1440;
const DAYS = 30;
const REPORT_EVERY = 15;
const SEED = 7;
const ORIGIN = Date.UTC(2026, 0, 5);
const FEATURES = [...PUMP_FEATURES];

/** Ten pumps with no seeded failure of their own (the simulator gives 40 % of pumps one). */
const DEVICES: string[] = [];
for (let i = 0; DEVICES.length < 10; i++) {
  const id = `pump-${String(i).padStart(4, '0')}`;
  if (pumpParams(SEED, id, ORIGIN).failure === null) DEVICES.push(id);
}

const settings = parseWithSchema(DriftSettingsSchema, { minSamples: PER_DAY }, 'drift settings');
const PROCESS_FEATURES = ['discharge_pressure', 'motor_current'];
const policy = mergePolicy({ drifting: { minSamples: PER_DAY, features: PROCESS_FEATURES } });

type Outcome = FleetDriftOutcome;

const reading = (id: string, i: number, faults: readonly SensorFault[]) => samplePump(SEED, id, i, ORIGIN + i * MIN, faults, ORIGIN);

function simulate(faultsOf: (id: string) => SensorFault[], p: DriftPolicy): Outcome {
  const monitors = DEVICES.map((id) => {
    const day1: number[][] = [];
    for (let i = 0; i < PER_DAY; i++) day1.push(reading(id, i, []));
    return new DriftMonitor(referenceStats(day1, FEATURES, null, { nowMs: ORIGIN }), settings);
  });
  const faults = DEVICES.map(faultsOf);
  return runFleetDrift({
    devices: DEVICES, monitors, reading: (d, i) => reading(DEVICES[d]!, i, faults[d]!),
    fromIndex: PER_DAY, toIndex: DAYS * PER_DAY, reportEvery: REPORT_EVERY, minSamples: settings.minSamples, policy: p,
    tsOf: (i) => ORIGIN + i * MIN,
  });
}

test('a healthy pump fleet over 30 simulated days triggers nothing', () => {
  const r = simulate(() => [], policy);
  assert.deepEqual(r.triggers.map((t) => new Date(t.tsMs).toISOString()), []);
  assert.deepEqual([...r.everDrifting], []);
  // Wear carries readings a little past the first day's range (widened by 5 %): reported as a
  // quality problem, never acted on. Nothing is stuck or missing.
  const problems = new Set([...r.quality.values()].flatMap((s) => [...s]));
  for (const q of problems) assert.match(q, /^out-of-range:/);
});

test('a calibration offset on 30 % of the fleet triggers within 3 judged reports; a stuck sensor and a NaN burst are quality problems only', () => {
  const offsetFrom = ORIGIN + 10 * DAY;
  const offsetDevices = DEVICES.slice(0, 3);
  const [stuckDevice, burstDevice] = [DEVICES[5]!, DEVICES[7]!];
  const stuckFrom = ORIGIN + 12 * DAY + 3 * 3_600_000;
  const stuckIndex = (stuckFrom - ORIGIN) / MIN;
  const r = simulate((id) => {
    if (offsetDevices.includes(id)) return [{ kind: 'offset', fromMs: offsetFrom, features: ['discharge_pressure'], amount: 0.6, rampMs: 0 }];
    if (id === stuckDevice) return [{ kind: 'stuck', fromMs: stuckFrom, values: { discharge_pressure: reading(id, stuckIndex, [])[2]! } }];
    if (id === burstDevice) return [{ kind: 'dropout', fromMs: ORIGIN + 15 * DAY + 3_600_000, toMs: ORIGIN + 15 * DAY + 9 * 3_600_000, rate: 1 }];
    return [];
  }, policy);
  assert.ok(r.triggers.length > 0, 'the offset triggers');
  const first = r.triggers[0]!;
  // Judged windows are whole days from the origin, so the offset is in full from the window ending day 11.
  assert.ok(first.tsMs > offsetFrom && first.tsMs <= offsetFrom + policy.consecutiveReports * DAY, `first trigger at ${new Date(first.tsMs).toISOString()}`);
  assert.deepEqual(first.verdict.drifting, offsetDevices);
  assert.ok(first.verdict.share >= policy.groupShare);
  for (const dev of r.everDrifting) assert.ok(offsetDevices.includes(dev), `${dev} drifted`);
  assert.ok(r.quality.get(stuckDevice)?.has('stuck:discharge_pressure'), 'the stuck sensor is reported');
  assert.ok([...(r.quality.get(burstDevice) ?? [])].some((q) => q.startsWith('missing:')), 'the NaN burst is reported');
});

test('watching the wear indicators too: bearing wear on a healthy fleet is real drift', () => {
  const r = simulate(() => [], mergePolicy({ drifting: { minSamples: PER_DAY } }));
  assert.ok(r.triggers.length > 0, 'vibration and bearing temperature creep with wear: retraining on them would teach the model that wear is normal');
});
