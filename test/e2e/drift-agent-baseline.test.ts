/**
 * The product's drift defaults on a simulated pump fleet over 30 days, without MQTT: the
 * reference is what the hub ships (shared/drift referenceStats pooled over the whole fleet's
 * first day), each device runs a real agent DriftMonitor with the default settings (device
 * baseline learned from its first 1440 readings, windows of 1440), reports go through the wire
 * encoding and the hub's row conversion into the hub's evaluator with the shipped pump-anomaly
 * recipe's driftPolicy. Only the report schedule is driven by simulated time (every 15 minutes,
 * as the default cron), doing what DriftReporter's scheduled report does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mergePolicy, parsePolicyPatch, type DriftPolicy } from '../../cloud-hub/drift/policy.ts';
import { DriftMonitor } from '../../edge-agent/drift/monitor.ts';
import { parseWithSchema } from '../../shared/config/validate.ts';
import { DriftSettingsSchema, referenceStats, type ReferenceStats } from '../../shared/drift/index.ts';
import type { SensorFault } from '../../simulators/sensors/faults.ts';
import { PUMP_FEATURES, pumpParams, samplePump } from '../../simulators/sensors/pump.ts';
import { runFleetDrift, type FleetDriftOutcome } from './drift-fleet-run.ts';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const PER_DAY = 1440;
const DAYS = 30;
const REPORT_EVERY = 15;
const SEED = 7;
const ORIGIN = Date.UTC(2026, 0, 5);

const DEVICES: string[] = [];
for (let i = 0; DEVICES.length < 10; i++) {
  const id = `pump-${String(i).padStart(4, '0')}`;
  if (pumpParams(SEED, id, ORIGIN).failure === null) DEVICES.push(id);
}

const settings = parseWithSchema(DriftSettingsSchema, {}, 'drift settings');
const recipe = JSON.parse(readFileSync(new URL('../../cloud-hub/recipes/shipped/pump-anomaly.json', import.meta.url), 'utf8')) as { driftPolicy?: unknown };
const policy = mergePolicy(parsePolicyPatch(recipe.driftPolicy, 'pump-anomaly driftPolicy'));

const reading = (id: string, i: number, faults: readonly SensorFault[]) => samplePump(SEED, id, i, ORIGIN + i * MIN, faults, ORIGIN);

/** What the hub ships: the whole fleet's first day, pooled. */
const pooled: ReferenceStats = referenceStats(DEVICES.flatMap((id) => Array.from({ length: PER_DAY }, (_, i) => reading(id, i, []))), [...PUMP_FEATURES], null, { nowMs: ORIGIN });

interface Outcome extends FleetDriftOutcome {
  /** Reports sent while the baseline was learning, and how many of them alarmed. */
  learningReports: number;
  learningAlarms: number;
}

function simulate(faultsOf: (id: string) => SensorFault[], p: DriftPolicy): Outcome {
  const monitors = DEVICES.map(() => new DriftMonitor(pooled, settings));
  const faults = DEVICES.map(faultsOf);
  const out: Outcome = { triggers: [], quality: new Map(), everDrifting: new Set(), learningReports: 0, learningAlarms: 0 };
  const run = runFleetDrift({
    devices: DEVICES, monitors, reading: (d, i) => reading(DEVICES[d]!, i, faults[d]!),
    fromIndex: 0, toIndex: DAYS * PER_DAY, reportEvery: REPORT_EVERY, minSamples: settings.minSamples, policy: p,
    tsOf: (i) => ORIGIN + i * MIN,
    onReport: (snap) => {
      if (snap.baseline !== 'learning') return;
      out.learningReports++;
      if (snap.alarm) out.learningAlarms++;
    },
  });
  return { ...out, ...run };
}

test('the problem the device baseline solves: against the pooled reference a healthy pump drifts from its first judged day', () => {
  const bundleSettings = { ...settings, baseline: 'bundle' as const };
  const alarmed = DEVICES.filter((id) => {
    const m = new DriftMonitor(pooled, bundleSettings);
    for (let i = PER_DAY; i < 2 * PER_DAY; i++) m.update(reading(id, i, []));
    return m.report(ORIGIN + 2 * DAY).drift.some((r) => r.endsWith(':discharge_pressure') || r.endsWith(':motor_current'));
  });
  assert.ok(alarmed.length >= 8, `only ${alarmed.length} of 10 healthy pumps alarm against the pooled reference`);
});

test('defaults and the shipped pump policy: a healthy fleet over 30 simulated days triggers nothing', () => {
  const r = simulate(() => [], policy);
  assert.deepEqual(r.triggers.map((t) => new Date(t.tsMs).toISOString()), []);
  assert.deepEqual([...r.everDrifting], []);
  assert.ok(r.learningReports >= 10 * 90, 'every device reports while it learns its first day');
  assert.equal(r.learningAlarms, 0, 'no drift alarm while learning');
  // Bearing wear carries vibration and bearing temperature a little past the fleet's first-day
  // range now and then: a quality note, never acted on. Nothing is stuck or missing.
  for (const q of new Set([...r.quality.values()].flatMap((s) => [...s]))) assert.match(q, /^out-of-range:(vibration_rms|bearing_temp)$/);
});

test('an offset on discharge pressure of 3 of 10 pumps from day 10 triggers within the policy\'s reports; a stuck sensor and a NaN burst are quality only', () => {
  const offsetFrom = ORIGIN + 10 * DAY;
  const offsetDevices = DEVICES.slice(0, 3);
  const [stuckDevice, burstDevice] = [DEVICES[5]!, DEVICES[7]!];
  const stuckFrom = ORIGIN + 12 * DAY + 3 * HOUR;
  const stuckValue = reading(stuckDevice, (stuckFrom - ORIGIN) / MIN, [])[2]!;
  const r = simulate((id) => {
    if (offsetDevices.includes(id)) return [{ kind: 'offset', fromMs: offsetFrom, features: ['discharge_pressure'], amount: 0.6, rampMs: 0 }];
    if (id === stuckDevice) return [{ kind: 'stuck', fromMs: stuckFrom, values: { discharge_pressure: stuckValue } }];
    if (id === burstDevice) return [{ kind: 'dropout', fromMs: ORIGIN + 15 * DAY + HOUR, toMs: ORIGIN + 15 * DAY + 9 * HOUR, rate: 1 }];
    return [];
  }, policy);
  assert.ok(r.triggers.length > 0, 'the offset triggers');
  const first = r.triggers[0]!;
  // Judged windows are whole days (the baseline took day 1), so the offset fills the window ending day 11.
  assert.ok(first.tsMs > offsetFrom && first.tsMs <= offsetFrom + policy.consecutiveReports * DAY, `first trigger at ${new Date(first.tsMs).toISOString()}`);
  assert.deepEqual(first.verdict.drifting, offsetDevices);
  for (const dev of r.everDrifting) assert.ok(offsetDevices.includes(dev), `${dev} drifted`);
  assert.ok(r.quality.get(stuckDevice)?.has('stuck:discharge_pressure'), 'the stuck sensor is reported');
  assert.ok([...(r.quality.get(burstDevice) ?? [])].some((q) => q.startsWith('missing:')), 'the NaN burst is reported');
});
