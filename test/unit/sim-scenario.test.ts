import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isEdgehiveError } from '../../shared/errors/index.ts';
import { layoutFleet } from '../../simulators/fleet/layout.ts';
import { assertRunnable } from '../../simulators/scenario/execute.ts';
import { planScenario, pickTargets } from '../../simulators/scenario/plan.ts';
import { loadScenarioFile, parseScenario } from '../../simulators/scenario/schema.ts';

function rejects(doc: unknown, path: string): void {
  assert.throws(() => parseScenario(doc), (e: unknown) => {
    assert.ok(isEdgehiveError(e, 'EH_SCENARIO_INVALID'), String(e));
    assert.ok(e.message.includes(path), `"${e.message}" should name ${path}`);
    return true;
  });
}

const base = { name: 't', seed: 1, faults: [] };

test('a scenario error names the bad field', () => {
  rejects({ seed: 1, faults: [] }, '/name');
  rejects({ ...base, seed: -1 }, '/seed');
  rejects({ ...base, speed: 0 }, '/speed');
  rejects({ ...base, mix: { pump: 1, hvac: 1, valve: 2 } }, '/mix');
  rejects({ ...base, faults: [{ at: 1, kind: 'network-loss', share: 0.5 }] }, '/faults/0/forS');
  rejects({ ...base, faults: [{ at: 1, kind: 'network-loss', share: 1.5, forS: 3 }] }, '/faults/0/share');
  rejects({ ...base, faults: [{ at: 1, kind: 'earthquake' }] }, '/faults/0/kind');
  rejects({ ...base, faults: [{ at: 1, kind: 'broker-restart', downS: 1 }, { at: -2, kind: 'hub-restart', downS: 1 }] }, '/faults/1/at');
  rejects({ ...base, faults: [{ at: 1, kind: 'sensor', share: 0.1, effect: 'failure' }] }, '/faults/0/mode');
});

test('a fault needs exactly one of devices or share', () => {
  rejects({ ...base, faults: [{ at: 1, kind: 'agent-crash', restartAfterS: 2 }] }, '/faults/0/devices');
  rejects({ ...base, faults: [{ at: 1, kind: 'agent-crash', restartAfterS: 2, devices: ['pump-0001'], share: 0.2 }] }, '/faults/0/devices');
});

test('a fault after the end of the run is refused', () => {
  rejects({ ...base, durationS: 10, faults: [{ at: 11, kind: 'broker-restart', downS: 1 }] }, '/faults/0/at');
});

test('the shipped example scenarios are valid', () => {
  const dir = fileURLToPath(new URL('../../simulators/scenarios/', import.meta.url));
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 2);
  for (const f of files) loadScenarioFile(dir + f);
});

test('the planner orders steps by time, restores before cuts at the same instant', () => {
  const devices = layoutFleet(10);
  const s = parseScenario({
    ...base, durationS: 100,
    faults: [
      { at: 50, kind: 'hub-restart', downS: 5 },
      { at: 10, kind: 'network-loss', devices: ['pump-0002'], forS: 20 },
      { at: 30, kind: 'agent-crash', devices: ['pump-0002'], restartAfterS: 5 },
      { at: 20, kind: 'broker-restart', downS: 2 },
    ],
  });
  const plan = planScenario(s, devices, 1_000_000);
  assert.deepEqual(plan.steps.map((x) => [x.atMs, x.kind]), [
    [10_000, 'link-down'], [20_000, 'broker-restart'], [30_000, 'link-up'], [30_000, 'agent-crash'],
    [35_000, 'agent-restart'], [50_000, 'hub-stop'], [55_000, 'hub-start'], [100_000, 'end'],
  ]);
  assert.deepEqual(plan.linkDevices, ['pump-0002']);
  assert.equal(plan.needsHub, true);
});

test('a share picks the same devices for the same seed, and a different pick for another seed', () => {
  const devices = layoutFleet(40);
  const a = pickTargets({ share: 0.25 }, devices, 1, 0);
  assert.equal(a.length, 10);
  assert.deepEqual(pickTargets({ share: 0.25 }, devices, 1, 0), a);
  assert.notDeepEqual(pickTargets({ share: 0.25 }, devices, 2, 0), a);
  assert.equal(pickTargets({ share: 0.001 }, devices, 1, 0).length, 1);
});

test('sensor faults land in the device configs in absolute fleet time, on matching device types', () => {
  const devices = layoutFleet(10);
  const s = parseScenario({ ...base, faults: [{ at: 60, kind: 'sensor', share: 0.5, effect: 'failure', mode: 'bearing', rampS: 10 }] });
  const plan = planScenario(s, devices, 5_000_000);
  const ids = Object.keys(plan.sensorFaults);
  assert.ok(ids.length > 0 && ids.every((id) => id.startsWith('pump-')));
  assert.deepEqual(plan.sensorFaults[ids[0]!], [{ kind: 'failure', fromMs: 5_060_000, mode: 'bearing', rampMs: 10_000 }]);
  assert.equal(plan.steps.length, 0);
});

test('a fault naming a device the fleet lacks is refused', () => {
  const s = parseScenario({ ...base, faults: [{ at: 1, kind: 'agent-crash', devices: ['pump-0999'], restartAfterS: 1 }] });
  assert.throws(() => planScenario(s, layoutFleet(4), 0), (e: unknown) => isEdgehiveError(e, 'EH_SCENARIO_INVALID') && e.message.includes('/faults/0/devices'));
});

test('broker and hub restarts are refused when the simulator does not own the hub', () => {
  const s = parseScenario({ ...base, faults: [{ at: 1, kind: 'broker-restart', downS: 1 }] });
  const plan = planScenario(s, layoutFleet(2), 0);
  assert.throws(() => assertRunnable(plan, false, 't'), (e: unknown) => isEdgehiveError(e, 'EH_STATE') && /broker-restart/.test(e.message));
  assert.doesNotThrow(() => assertRunnable(plan, true, 't'));
});

test('the fleet layout has ids by type, groups by type and three profiles round-robin', () => {
  const d = layoutFleet(6, { pump: 1, hvac: 1 });
  assert.deepEqual(d.map((x) => x.id), ['pump-0001', 'pump-0002', 'pump-0003', 'hvac-0001', 'hvac-0002', 'hvac-0003']);
  assert.deepEqual(d.map((x) => x.group), ['pumps', 'pumps', 'pumps', 'hvac', 'hvac', 'hvac']);
  assert.deepEqual(new Set(d.map((x) => x.profile)).size, 3);
});
