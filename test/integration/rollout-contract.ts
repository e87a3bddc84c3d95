/**
 * One suite for the rollout side of the Store on every implementation (rollout-store-sqlite.test.ts,
 * rollout-store-postgres.test.ts): bundles, desired and reported state, deployments and their
 * devices, the device conflict between active deployments, and data kept across a reopen.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type {
  BundleRecord, DeploymentDeviceRecord, DeploymentRecord, ReportedRecord, WaveRecord,
} from '../../cloud-hub/store/rollout-store.ts';
import type { Store } from '../../cloud-hub/store/types.ts';
import type { Manifest } from '../../shared/bundle/schema.ts';
import { isEdgehiveError } from '../../shared/errors/index.ts';
import type { StoreUnderTest } from './store-contract.ts';

const T0 = Date.UTC(2026, 0, 1);

function manifest(model: string, version: number, variant: string): Manifest {
  return {
    format: 1, fleet: 'plant', model, version, createdMs: T0, expiresMs: T0 + 86_400_000,
    targets: [{ profile: 'rpi4', latencyBudgetMs: 25 }], minAgentVersion: '0.1.0', variant, task: 'anomaly', stream: 'main',
    inputs: [{ name: 'x', dims: ['batch', 16, 4], type: 'float32' }], outputs: [{ name: 'score', dims: ['batch', 1], type: 'float32' }],
    artefacts: [{ name: 'model.onnx', kind: 'model.onnx', bytes: 1234, sha256: 'a'.repeat(64) }],
    metrics: { int8: { auc: 0.93, note: 'held-out' } },
    check: { inputDims: [1, 16, 4], input: [0.5, -1.25], output: [0.125], tolerance: 0.01, runs: 5 },
    source: { modelVersion: version, jobId: null },
  };
}

function bundle(id: string, model: string, version: number, variant: string, createdMs: number, more: Partial<BundleRecord> = {}): BundleRecord {
  return {
    id: id.padEnd(64, '0'), model, version, variant, profiles: ['rpi4', 'jetson'], bytes: 4096, sha256: 'b'.repeat(64), chunks: 1,
    createdMs, expiresMs: createdMs + 86_400_000, manifest: manifest(model, version, variant), origin: 'registry', ...more,
  };
}

function reported(device: string, receivedMs: number, more: Partial<ReportedRecord> = {}): ReportedRecord {
  return {
    device, tsMs: receivedMs - 5, receivedMs, phase: 'idle', activeBundle: null, activeModel: null, activeVersion: null, healthy: false,
    inactiveBundle: null, desiredBundle: null, installingBundle: null, chunksHave: 0, chunksTotal: 0, failedBundle: null,
    errorCode: null, errorMessage: null, profile: 'rpi4', agentVersion: '0.3.0', inferences: 0, inferenceErrors: 0, latencyP99Ms: 0,
    activatedMs: null, ...more,
  };
}

const GATES = { maxFailedInstalls: 0, maxErrorRate: 0.05, maxP99LatencyMs: 1000, minSoakMs: 30_000 };
const wave = (index: number, percent: number, more: Partial<WaveRecord> = {}): WaveRecord => ({
  index, percent, gates: GATES, state: 'pending', startedMs: null, settledMs: null, endedMs: null, reason: null, ...more,
});

function deployment(id: string, createdMs: number, more: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    id, state: 'running', source: { model: 'pump', version: 3 }, target: { group: 'plant', devices: ['d1', 'd2'] },
    bundles: { rpi4: 'c'.repeat(64) }, waves: [wave(0, 50), wave(1, 100)], currentWave: 0, autoAdvance: true,
    createdMs, updatedMs: createdMs, actor: 'token:ops', reason: null, ...more,
  };
}

function member(deploymentId: string, device: string, w: number, more: Partial<DeploymentDeviceRecord> = {}): DeploymentDeviceRecord {
  return {
    deploymentId, device, profile: 'rpi4', wave: w, bundleId: 'c'.repeat(64), previousBundle: null, state: 'pending', error: null,
    updatedMs: T0, ...more,
  };
}

async function rejectsWith(p: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isEdgehiveError(e) && e.code === code, `expected ${code}, got ${String(e)}`);
    if (message) assert.match(e.message, message);
    return true;
  });
}

export function rolloutContract(name: string, make: () => Promise<StoreUnderTest>): void {
  describe(`Rollout store contract: ${name}`, () => {
    let h: StoreUnderTest;
    let store: Store;

    beforeEach(async () => {
      h = await make();
      store = h.store;
      await store.init();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('keeps bundles once per id, newest first, and finds the newest build of a model version variant', async () => {
      const r = store.rollouts;
      const a = bundle('a1', 'pump', 1, 'int8', T0);
      await r.putBundle(a);
      await r.putBundle({ ...a, bytes: 1 });
      await r.putBundle(bundle('a2', 'pump', 2, 'int8', T0 + 10));
      await r.putBundle(bundle('a3', 'pump', 2, 'int8', T0 + 20, { origin: 'upload' }));
      await r.putBundle(bundle('b1', 'fan', 1, 'fp32', T0 + 30));
      const got = await r.getBundle(a.id);
      assert.deepEqual(got, a, 'a second put with the same id changes nothing; the manifest round-trips whole');
      assert.equal(await r.getBundle('f'.repeat(64)), null);
      assert.deepEqual((await r.listBundles()).map((b) => b.id[1]), ['1', '3', '2', '1']);
      assert.deepEqual((await r.listBundles({ model: 'pump' })).map((b) => b.id.slice(0, 2)), ['a3', 'a2', 'a1']);
      assert.deepEqual((await r.listBundles({ model: 'pump', limit: 1 })).map((b) => b.id.slice(0, 2)), ['a3']);
      const found = await r.findBundle('pump', 2, 'int8');
      assert.equal(found?.id.slice(0, 2), 'a3');
      assert.equal(found?.origin, 'upload');
      assert.equal(await r.findBundle('pump', 2, 'fp32'), null);
    });

    it('keeps one desired state per device, replaced by the next', async () => {
      const r = store.rollouts;
      assert.equal(await r.getDesired('d1'), null);
      await r.setDesired({ device: 'd1', bundleId: 'x'.repeat(64), deploymentId: 'dep-1', setMs: T0 });
      await r.setDesired({ device: 'd2', bundleId: null, deploymentId: null, setMs: T0 + 1 });
      await r.setDesired({ device: 'd1', bundleId: 'y'.repeat(64), deploymentId: 'dep-2', setMs: T0 + 2 });
      assert.deepEqual(await r.getDesired('d1'), { device: 'd1', bundleId: 'y'.repeat(64), deploymentId: 'dep-2', setMs: T0 + 2 });
      assert.deepEqual(await r.listDesired(), [
        { device: 'd1', bundleId: 'y'.repeat(64), deploymentId: 'dep-2', setMs: T0 + 2 },
        { device: 'd2', bundleId: null, deploymentId: null, setMs: T0 + 1 },
      ]);
    });

    it('keeps the latest reported state per device by arrival, and ignores an older one arriving late', async () => {
      const r = store.rollouts;
      const full = reported('d1', T0 + 100, {
        phase: 'active', activeBundle: 'a'.repeat(64), activeModel: 'pump', activeVersion: 3, healthy: true, inactiveBundle: 'b'.repeat(64),
        desiredBundle: 'a'.repeat(64), chunksHave: 4, chunksTotal: 4, inferences: 12_000, inferenceErrors: 3, latencyP99Ms: 7.25,
        activatedMs: T0 + 50, errorCode: 'EH_BUNDLE_HEALTH', errorMessage: 'output off by 0.3', failedBundle: 'c'.repeat(64),
      });
      await r.putReported(full);
      assert.deepEqual(await r.getReported('d1'), full, 'every field round-trips');
      await r.putReported(reported('d1', T0 + 50, { phase: 'downloading' }));
      assert.equal((await r.getReported('d1'))?.phase, 'active', 'a report that arrived earlier does not replace a later one');
      await r.putReported(reported('d1', T0 + 200, { phase: 'installing', installingBundle: 'd'.repeat(64) }));
      const latest = await r.getReported('d1');
      assert.equal(latest?.phase, 'installing');
      assert.equal(latest?.healthy, false);
      assert.equal(latest?.activeBundle, null);
      await r.putReported(reported('d2', T0));
      await r.putReported(reported('d3', T0));
      assert.deepEqual((await r.listReported()).map((x) => x.device), ['d1', 'd2', 'd3']);
      assert.deepEqual((await r.listReported(['d3', 'd1', 'nope'])).map((x) => x.device), ['d1', 'd3']);
      assert.deepEqual(await r.listReported([]), []);
      assert.equal(await r.getReported('nope'), null);
    });

    it('keeps a desired state\'s shadow bundle and a report\'s shadow figures, and drops them when the next one has none', async () => {
      const r = store.rollouts;
      await r.setDesired({ device: 'd1', bundleId: 'x'.repeat(64), deploymentId: 'dep-1', setMs: T0, shadowBundleId: 's'.repeat(64) });
      assert.equal((await r.getDesired('d1'))?.shadowBundleId, 's'.repeat(64));
      assert.equal((await r.listDesired())[0]?.shadowBundleId, 's'.repeat(64));
      await r.setDesired({ device: 'd1', bundleId: 'x'.repeat(64), deploymentId: 'dep-1', setMs: T0 + 1 });
      assert.equal((await r.getDesired('d1'))?.shadowBundleId ?? null, null, 'a state without shadow clears it');
      const shadow = {
        bundleId: 's'.repeat(64), phase: 'running', inferences: 2400, agreement: 0.955, championMeanScore: 0.12, challengerMeanScore: 0.1,
        scoreJs: 0.04, championLatencyP99Ms: 4.5, challengerLatencyP99Ms: 5.25, challengerErrors: 2, errorCode: null, errorMessage: null,
        championDetections: 31, challengerDetections: 12,
      };
      const full = reported('d1', T0 + 10, { phase: 'active', activeBundle: 'x'.repeat(64), healthy: true, shadow });
      await r.putReported(full);
      assert.deepEqual(await r.getReported('d1'), full, 'the shadow figures round-trip');
      assert.deepEqual((await r.listReported(['d1']))[0]?.shadow, shadow);
      await r.putReported(reported('d1', T0 + 20, { phase: 'active' }));
      assert.equal((await r.getReported('d1'))?.shadow ?? null, null);
    });

    it('stores a deployment with its devices, replaces its record, and lists newest first by state', async () => {
      const r = store.rollouts;
      const d = deployment('dep-1', T0);
      await r.createDeployment(d, [member('dep-1', 'd2', 1), member('dep-1', 'd1', 0, { previousBundle: 'p'.repeat(64) })]);
      assert.deepEqual(await r.getDeployment('dep-1'), d);
      const devices = await r.listDeploymentDevices('dep-1');
      assert.deepEqual(devices.map((x) => [x.device, x.wave, x.previousBundle?.[0] ?? null]), [['d1', 0, 'p'], ['d2', 1, null]]);
      assert.deepEqual(devices[0], member('dep-1', 'd1', 0, { previousBundle: 'p'.repeat(64) }));

      const next: DeploymentRecord = {
        ...d, state: 'halted', currentWave: 1, reason: 'wave 1 failed: error rate 0.2 > 0.05', updatedMs: T0 + 5,
        waves: [wave(0, 50, { state: 'passed', startedMs: T0, settledMs: T0 + 1, endedMs: T0 + 2 }), wave(1, 100, { state: 'failed', reason: 'gate' })],
      };
      await r.updateDeployment(next);
      assert.deepEqual(await r.getDeployment('dep-1'), next);
      await rejectsWith(r.updateDeployment({ ...next, id: 'dep-none' }), 'EH_NOT_FOUND', /dep-none/);

      await r.createDeployment(deployment('dep-2', T0 + 10, { state: 'completed' }), [member('dep-2', 'd9', 0)]);
      await r.createDeployment(deployment('dep-3', T0 + 20), [member('dep-3', 'd8', 0)]);
      assert.deepEqual((await r.listDeployments()).map((x) => x.id), ['dep-3', 'dep-2', 'dep-1']);
      assert.deepEqual((await r.listDeployments({ states: ['running', 'halted'] })).map((x) => x.id), ['dep-3', 'dep-1']);
      assert.deepEqual((await r.listDeployments({ states: ['completed'] })).map((x) => x.id), ['dep-2']);
      assert.deepEqual((await r.listDeployments({ limit: 1 })).map((x) => x.id), ['dep-3']);
      assert.equal(await r.getDeployment('dep-none'), null);
      assert.deepEqual(await r.listDeploymentDevices('dep-none'), []);
    });

    it('updates deployment devices one at a time or many at once, all or nothing', async () => {
      const r = store.rollouts;
      await r.createDeployment(deployment('dep-1', T0), ['d1', 'd2', 'd3'].map((x, i) => member('dep-1', x, i < 2 ? 0 : 1)));
      await r.updateDeploymentDevice(member('dep-1', 'd1', 0, { state: 'failed', error: 'EH_BUNDLE_HEALTH: latency 90 ms > 25 ms', updatedMs: T0 + 1 }));
      await r.updateDeploymentDevices([
        member('dep-1', 'd2', 0, { state: 'installed', previousBundle: 'p'.repeat(64), updatedMs: T0 + 2 }),
        member('dep-1', 'd3', 1, { state: 'installing', updatedMs: T0 + 2 }),
      ]);
      const after = await r.listDeploymentDevices('dep-1');
      assert.deepEqual(after.map((x) => [x.device, x.state, x.error]), [
        ['d1', 'failed', 'EH_BUNDLE_HEALTH: latency 90 ms > 25 ms'], ['d2', 'installed', null], ['d3', 'installing', null],
      ]);
      assert.equal(after[1]!.previousBundle, 'p'.repeat(64));
      await rejectsWith(r.updateDeploymentDevices([
        member('dep-1', 'd1', 0, { state: 'restored' }), member('dep-1', 'ghost', 0, { state: 'restored' }),
      ]), 'EH_NOT_FOUND', /ghost/);
      assert.equal((await r.listDeploymentDevices('dep-1'))[0]!.state, 'failed', 'a batch naming an unknown device changes nothing');
      await rejectsWith(r.updateDeploymentDevice(member('dep-2', 'd1', 0)), 'EH_NOT_FOUND');
    });

    it('refuses a deployment that would take a device a running or halted deployment owns, naming it', async () => {
      const r = store.rollouts;
      await r.createDeployment(deployment('dep-1', T0), [member('dep-1', 'd1', 0), member('dep-1', 'd2', 0)]);
      await rejectsWith(r.createDeployment(deployment('dep-2', T0 + 1), [member('dep-2', 'd3', 0), member('dep-2', 'd2', 0)]),
        'EH_CONFLICT', /d2.*dep-1/);
      assert.equal(await r.getDeployment('dep-2'), null, 'nothing of the refused deployment is kept');
      assert.deepEqual(await r.listDeploymentDevices('dep-2'), []);
      await rejectsWith(r.createDeployment(deployment('dep-1', T0 + 1), [member('dep-1', 'd7', 0)]), 'EH_CONFLICT', /dep-1/);

      const d1 = (await r.getDeployment('dep-1'))!;
      await r.updateDeployment({ ...d1, state: 'halted' });
      await rejectsWith(r.createDeployment(deployment('dep-2', T0 + 1), [member('dep-2', 'd1', 0)]), 'EH_CONFLICT', /halted/);
      await r.updateDeployment({ ...d1, state: 'aborted' });
      await r.createDeployment(deployment('dep-2', T0 + 2), [member('dep-2', 'd1', 0), member('dep-2', 'd2', 0)]);
      assert.equal((await r.listDeploymentDevices('dep-2')).length, 2, 'devices of an aborted deployment are free again');
    });

    it('lets only one of two deployments created at once take a shared device, also from two store instances', async () => {
      const other = await h.reopen();
      await other.init();
      const devs = (id: string, n: number) => Array.from({ length: n }, (_, i) => member(id, `dev-${String(i).padStart(3, '0')}`, 0));
      const outcomes = await Promise.allSettled([
        store.rollouts.createDeployment(deployment('dep-a', T0), devs('dep-a', 200)),
        other.rollouts.createDeployment(deployment('dep-b', T0), devs('dep-b', 200)),
      ]);
      assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1, JSON.stringify(outcomes.map((o) => o.status)));
      const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      assert.ok(isEdgehiveError(refused.reason) && refused.reason.code === 'EH_CONFLICT', String(refused.reason));
      const kept = await store.rollouts.listDeployments();
      assert.equal(kept.length, 1);
      assert.equal((await store.rollouts.listDeploymentDevices(kept[0]!.id)).length, 200);
    });

    it('keeps everything across a reopen, on a schema that init() may run again', async () => {
      const r = store.rollouts;
      await r.putBundle(bundle('a1', 'pump', 1, 'int8', T0));
      await r.setDesired({ device: 'd1', bundleId: 'a1'.padEnd(64, '0'), deploymentId: 'dep-1', setMs: T0 });
      await r.putReported(reported('d1', T0, { phase: 'active', healthy: true }));
      await r.createDeployment(deployment('dep-1', T0), [member('dep-1', 'd1', 0)]);
      await store.close();
      const again = await h.reopen();
      await again.init();
      await again.init();
      assert.equal((await again.rollouts.getBundle('a1'.padEnd(64, '0')))?.model, 'pump');
      assert.equal((await again.rollouts.getDesired('d1'))?.deploymentId, 'dep-1');
      assert.equal((await again.rollouts.getReported('d1'))?.healthy, true);
      assert.deepEqual((await again.rollouts.listDeployments({ states: ['running'] })).map((d) => d.id), ['dep-1']);
      assert.equal((await again.rollouts.listDeploymentDevices('dep-1')).length, 1);
    });
  });
}
