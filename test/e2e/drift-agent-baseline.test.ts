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
import { evaluateDrift, type GroupVerdict } from '../../cloud-hub/drift/evaluate.ts';
import { mergePolicy, parsePolicyPatch, type DriftPolicy } from '../../cloud-hub/drift/policy.ts';
import { toDriftRows } from '../../cloud-hub/ingest/drift-rows.ts';
import type { DriftRow } from '../../cloud-hub/store/drift-store.ts';
import { DriftMonitor } from '../../edge-agent/drift/monitor.ts';
import { parseWithSchema } from '../../shared/config/validate.ts';
import { DriftSettingsSchema, referenceStats, type ReferenceStats } from '../../shared/drift/index.ts';
import { decode, encode } from '../../shared/protocol/codec.ts';
import type { SensorFault } from '../../simulators/sensors/faults.ts';
import { PUMP_FEATURES, pumpParams, samplePump } from '../../simulators/sensors/pump.ts';

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

interface Outcome {
  triggers: Array<{ tsMs: number; verdict: GroupVerdict }>;
  quality: Map<string, Set<string>>;
  everDrifting: Set<string>;
  /** Reports sent while the baseline was learning, and how many of them alarmed. */
  learningReports: number;
  learningAlarms: number;
}

function simulate(faultsOf: (id: string) => SensorFault[], p: DriftPolicy): Outcome {
  const monitors = DEVICES.map(() => new DriftMonitor(pooled, settings));
  const faults = DEVICES.map(faultsOf);
  const seqs = DEVICES.map(() => 0);
  const judged: DriftRow[][][] = DEVICES.map(() => []);
  const latest: DriftRow[][] = DEVICES.map(() => []);
  const out: Outcome = { triggers: [], quality: new Map(), everDrifting: new Set(), learningReports: 0, learningAlarms: 0 };
  for (let i = 0; i < DAYS * PER_DAY; i++) {
    DEVICES.forEach((id, d) => monitors[d]!.update(reading(id, i, faults[d]!)));
    if ((i + 1) % REPORT_EVERY !== 0) continue;
    const tsMs = ORIGIN + (i + 1) * MIN;
    DEVICES.forEach((id, d) => {
      const m = monitors[d]!;
      // DriftReporter's scheduled report: an empty window sends nothing; one of minSamples starts again.
      if (m.readings === 0) return;
      const snap = m.report(tsMs);
      if (snap.baseline === 'learning') {
        out.learningReports++;
        if (snap.alarm) out.learningAlarms++;
      }
      const wire = encode('drift', {
        seq: ++seqs[d]!, tsMs, model: 'pump-anomaly', modelVersion: '1',
        features: snap.features.map((f) => ({ feature: f.feature, psi: f.psi, ks: f.ks, missingRate: f.missingRate, outOfRangeRate: f.outOfRangeRate, stuck: f.stuck, samples: f.samples })),
        outputJs: snap.outputJs, samples: snap.readings, alarm: snap.alarm,
      });
      const rows = toDriftRows(id, decode('drift', wire), tsMs);
      latest[d] = rows;
      if (snap.readings >= settings.minSamples) {
        m.reset();
        judged[d]!.push(rows);
        if (judged[d]!.length > p.consecutiveReports + 2) judged[d]!.shift();
      }
    });
    // The hub reads each device's newest reports: its last judged ones and the newest.
    const rows = DEVICES.flatMap((_, d) => [...judged[d]!.flat(), ...(judged[d]!.at(-1) === latest[d] ? [] : latest[d]!)]);
    if (rows.length === 0) continue;
    const [v] = evaluateDrift({ rows, groupOf: () => 'pumps', policy: p, nowMs: tsMs, cooldownUntilMs: null });
    assert.ok(v);
    for (const dev of v.drifting) out.everDrifting.add(dev);
    for (const q of v.quality) {
      const s = out.quality.get(q.device) ?? new Set<string>();
      q.problems.forEach((x) => s.add(x));
      out.quality.set(q.device, s);
    }
    if (v.trigger) out.triggers.push({ tsMs, verdict: v });
  }
  return out;
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
