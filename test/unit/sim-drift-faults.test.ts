/**
 * The drift faults of the simulator: a stuck sensor repeats the value it read when it stuck,
 * from `at` until it is released; a new regime multiplies the chosen features, ramped in; the
 * planner fills the frozen values so readings stay pure functions of the config; and the
 * example drift scenario plans onto the fleet it describes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { layoutFleet } from '../../simulators/fleet/layout.ts';
import { planScenario } from '../../simulators/scenario/plan.ts';
import { loadScenarioFile, parseScenario } from '../../simulators/scenario/schema.ts';
import { applyMeasurementFaults, parseSensorFaults, type SensorFault } from '../../simulators/sensors/faults.ts';
import { PUMP_FEATURES, samplePump } from '../../simulators/sensors/pump.ts';
import { isEdgehiveError } from '../../shared/errors/index.ts';

const ORIGIN = Date.UTC(2026, 0, 5);
const SEED = 4;
const PERIOD = 1000;
const at = (i: number): number => ORIGIN + i * PERIOD;
const read = (i: number, faults: SensorFault[], id = 'pump-0001'): number[] => samplePump(SEED, id, i, at(i), faults, ORIGIN);

test('a stuck sensor repeats its value from `at` until it is released; the others keep moving', () => {
  const devices = layoutFleet(4);
  const s = parseScenario({
    name: 'stuck', seed: SEED, periodMs: PERIOD,
    faults: [{ at: 100, kind: 'sensor', devices: ['pump-0001'], effect: 'stuck', features: ['discharge_pressure'], forS: 50 }],
  });
  const faults = planScenario(s, devices, ORIGIN).sensorFaults['pump-0001']!;
  assert.equal(faults.length, 1);
  const p = PUMP_FEATURES.indexOf('discharge_pressure');
  const v = PUMP_FEATURES.indexOf('vibration_rms');
  // The frozen value is what the sensor read at `at` without the fault.
  const frozen = read(100, [])[p]!;
  assert.deepEqual(faults[0], { kind: 'stuck', fromMs: at(100), toMs: at(150), values: { discharge_pressure: frozen } });
  const stuck = Array.from({ length: 50 }, (_, k) => read(100 + k, faults));
  for (const r of stuck) assert.equal(r[p], frozen);
  assert.ok(new Set(stuck.map((r) => r[v])).size > 40, 'vibration keeps moving');
  assert.notEqual(read(99, faults)[p], frozen);
  assert.notEqual(read(150, faults)[p], frozen, 'released after forS');
  // It survives the agent config's JSON round trip (how it reaches the sim sensor).
  assert.deepEqual(parseSensorFaults(JSON.parse(JSON.stringify(faults)) as unknown[]), faults);
});

test('a stuck sensor freezes the value its other faults gave it, whatever their order in the scenario', () => {
  const s = parseScenario({
    name: 'stuck-after-offset', seed: SEED, periodMs: PERIOD,
    faults: [
      { at: 200, kind: 'sensor', devices: ['pump-0001'], effect: 'stuck', features: ['bearing_temp'] },
      { at: 50, kind: 'sensor', devices: ['pump-0001'], effect: 'offset', features: ['bearing_temp'], amount: 10 },
    ],
  });
  const faults = planScenario(s, layoutFleet(2), ORIGIN).sensorFaults['pump-0001']!;
  const t = PUMP_FEATURES.indexOf('bearing_temp');
  const frozen = read(200, [])[t]! + 10;
  assert.ok(Math.abs(read(250, faults)[t]! - frozen) < 1e-9);
  assert.ok(Math.abs(read(5000, faults)[t]! - frozen) < 1e-9);
});

test('a new regime multiplies the chosen features, ramped in, and nothing else', () => {
  const regime: SensorFault = { kind: 'regime', fromMs: at(100), rampMs: 100 * PERIOD, factor: 1.5, features: ['motor_current'] };
  const c = PUMP_FEATURES.indexOf('motor_current');
  for (const [i, k] of [[50, 1], [100, 1], [150, 1.25], [200, 1.5], [900, 1.5]] as const) {
    const base = read(i, []);
    const r = read(i, [regime]);
    assert.ok(Math.abs(r[c]! - base[c]! * k) < 1e-9, `reading ${i}: ${r[c]} vs ${base[c]} x ${k}`);
    PUMP_FEATURES.forEach((_, j) => { if (j !== c) assert.equal(r[j], base[j]); });
  }
  // Without features it scales every one; a step without rampMs.
  const all = applyMeasurementFaults(['a', 'b'], [2, 4], [{ kind: 'regime', fromMs: 0, rampMs: 0, factor: 2 }], 10, () => 0);
  assert.deepEqual(all, [4, 8]);
});

test('the passes do not depend on the list order: regime, then offset, then stuck', () => {
  const faults: SensorFault[] = [
    { kind: 'stuck', fromMs: 0, values: { b: 7 } },
    { kind: 'offset', fromMs: 0, rampMs: 0, amount: 1 },
    { kind: 'regime', fromMs: 0, rampMs: 0, factor: 3 },
  ];
  assert.deepEqual(applyMeasurementFaults(['a', 'b'], [2, 2], faults, 5, () => 0), [7, 7]);
});

test('a regime step needs a factor; stuck and regime parse in scenarios', () => {
  assert.throws(() => parseScenario({ name: 'x', seed: 1, faults: [{ at: 1, kind: 'sensor', share: 0.5, effect: 'regime' }] }),
    (e: unknown) => isEdgehiveError(e, 'EH_SCENARIO_INVALID') && e.message.includes('/faults/0/factor'));
  assert.throws(() => parseSensorFaults([{ kind: 'regime', fromMs: 0, factor: 0 }]), (e: unknown) => isEdgehiveError(e));
});

test('the example drift scenario plans onto 30 % of the pumps, a quarter in a new regime, one stuck sensor', () => {
  const s = loadScenarioFile(fileURLToPath(new URL('../../simulators/scenarios/drift.json', import.meta.url)));
  const devices = layoutFleet(s.devices!, s.mix);
  const plan = planScenario(s, devices, ORIGIN);
  const pumps = devices.filter((d) => d.type === 'pump').length;
  const withKind = (pred: (f: SensorFault) => boolean): string[] => Object.entries(plan.sensorFaults).filter(([, fs]) => fs.some(pred)).map(([id]) => id);
  const calibrated = withKind((f) => f.kind === 'offset' && f.features?.[0] === 'bearing_temp');
  assert.equal(calibrated.length, Math.round(0.3 * pumps));
  assert.ok(calibrated.every((id) => id.startsWith('pump-')));
  assert.equal(withKind((f) => f.kind === 'regime').length, Math.round(0.25 * pumps));
  const stuck = plan.sensorFaults['pump-0002']!.find((f) => f.kind === 'stuck');
  assert.ok(stuck && Number.isFinite(stuck.values.discharge_pressure));
  assert.equal(withKind((f) => f.kind === 'dropout').length, Math.round(0.2 * devices.length));
});
