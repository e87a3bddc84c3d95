/**
 * The automatic path from drift to shadow on a real hub (embedded broker, SQLite, the real
 * training pipeline with TensorFlow.js in its worker, ONNX Runtime, signed bundles): three devices
 * of a group run the champion, one of them sends two drifting DriftReport protobufs, the drift
 * policy starts a training job on the group's stored readings, the job registers a version, and
 * the shadow manager puts that challenger beside the champion on two devices once it has beaten
 * the champion on the recent held-out readings, audited as shadow.start with the version and job.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadProfiles } from '../../device-profiles/index.ts';
import { startHub } from '../../cloud-hub/hub.ts';
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import { createTrainingPipeline } from '../../cloud-hub/pipeline/index.ts';
import type { ShadowEvaluationRecord } from '../../cloud-hub/store/shadow-store.ts';
import { generateKeyPair, toBase64 } from '../../shared/crypto/ed25519.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { encode } from '../../shared/protocol/codec.ts';
import { ADMIN_TOKEN, publish, topic, waitFor } from './hub-helpers.ts';
import { testRecipe } from './registry-pipeline.ts';
import { FEATURES, MODEL, register, ShadowDevice } from './shadow-fleet.ts';

const FLEET = 'shadowauto';
const recipe = testRecipe(MODEL, {
  training: { epochs: 3, batchSize: 32, learningRate: 0.01, seed: 7 },
  driftPolicy: { groupShare: 0.3, consecutiveReports: 2, minDevices: 3, drifting: { minSamples: 100 }, shadow: { devices: 2 } },
});

function drift(seq: number, drifting: boolean): Uint8Array {
  const f = (feature: string, psi: number) => ({ feature, psi, ks: psi / 2, missingRate: 0, outOfRangeRate: 0, stuck: false, samples: 600 });
  return encode('drift', {
    seq, tsMs: Date.now(), model: MODEL, modelVersion: '1', outputJs: 0.01, samples: 600, alarm: drifting,
    features: [f('f0', drifting ? 0.6 : 0.05), f('f1', 0.04)],
  });
}

describe('drift trigger to shadow evaluation', () => {
  let dir: string;
  let hub: HubHandle;
  let champion: number;
  const devices: ShadowDevice[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'edgehive-shadow-auto-'));
    hub = await startHub(
      { dataDir: dir, fleet: FLEET, mqtt: { port: 0 }, http: { port: 0 }, bootstrapAdminToken: ADMIN_TOKEN },
      { logger: silentLogger(), pipeline: createTrainingPipeline({ profiles: loadProfiles().filter((p) => p.id === 'rpi4') }) },
    );
    // A champion that flags nearly every recent window (it scores them by their energy against a
    // tiny threshold): a challenger trained on the same readings beats it at the held-out gate.
    champion = await register(hub, 0, 0.01, recipe);
    const now = Date.now();
    for (const [n, id] of ['p1', 'p2', 'p3'].entries()) {
      const keys = generateKeyPair();
      await hub.provision({ id, group: 'line', profile: 'rpi4', publicKey: toBase64(keys.publicKey) });
      await hub.store.writeTelemetry([{
        device: id, stream: 'vib', firstSeq: 1, features: FEATURES, droppedTotal: 0, backlog: 0, receivedAtMs: now,
        readings: Array.from({ length: 400 }, (_, i) => ({ tsMs: now - (400 - i) * 1000, values: [Math.sin(i / 3 + n), Math.cos(i / 5) + 0.1 * n] })),
      }]);
      const d = new ShadowDevice(() => hub, FLEET, { id, keys, lastTs: 0 });
      await d.connect();
      devices.push(d);
    }
    await waitFor('devices online', async () => (await hub.store.listDevices({ group: 'line', online: true })).length === 3);
    const dep = await hub.rollouts.create({ model: MODEL, version: champion, target: { group: 'line' }, waves: [{ percent: 100, gates: { minSoakMs: 0 } }] }, 'test');
    await hub.rollouts.waitFor(dep.id, ['completed'], 15_000);
  });

  after(async () => {
    for (const d of devices) await d.close();
    await hub?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a drift trigger trains a challenger that the shadow manager runs beside the champion', async () => {
    const [p1, p2, p3] = devices as [ShadowDevice, ShadowDevice, ShadowDevice];
    await publish(p2.client, topic(FLEET, 'p2', 'drift'), drift(1, false));
    await publish(p3.client, topic(FLEET, 'p3', 'drift'), drift(1, false));
    await publish(p1.client, topic(FLEET, 'p1', 'drift'), drift(1, true));
    await publish(p1.client, topic(FLEET, 'p1', 'drift'), drift(2, true));

    const triggered = async () => (await hub.store.listAudit(500)).filter((a) => a.action === 'drift.trigger');
    await waitFor('drift.trigger audited', async () => (await triggered()).length === 1);
    const jobId = ((await triggered())[0]!.details as { jobId: string | null }).jobId;
    assert.ok(jobId, 'the trigger started a job');
    const job = await hub.jobs.wait(jobId);
    assert.equal(job.state, 'succeeded', JSON.stringify(job.error));
    assert.equal(job.actor, 'drift-policy');
    assert.ok(job.version !== null && job.version > champion);

    const starts = async () => (await hub.store.listAudit(500)).filter((a) => a.action === 'shadow.start' || a.action === 'shadow.refused');
    await waitFor('the challenger taken up by the shadow manager', async () => (await starts()).length === 1, 15_000);
    const entry = (await starts())[0]!;
    const details = entry.details as { evaluation: string; version: number; championVersion: number; jobId: string; heldOut: Array<{ passed: boolean; reason: string }> };
    assert.equal(entry.action, 'shadow.start', details.heldOut.map((h) => h.reason).join('; '));
    assert.equal(entry.actor, 'shadow');
    assert.equal(entry.target, `${MODEL}@${job.version}`);
    assert.equal(details.version, job.version);
    assert.equal(details.championVersion, champion);
    assert.equal(details.jobId, jobId);
    assert.equal(details.heldOut[0]?.passed, true);

    const rec = (await hub.store.shadows.get(details.evaluation)) as ShadowEvaluationRecord;
    assert.equal(rec.state, 'running');
    assert.equal(rec.jobId, jobId);
    assert.deepEqual(rec.groups, ['line']);
    assert.deepEqual(rec.devices.map((d) => d.device), ['p1', 'p2']);
    const challengerBundle = rec.devices[0]!.challengerBundle;
    assert.equal((await hub.bundles.get(challengerBundle))?.version, job.version);
    await waitFor('the challenger in the desired states of p1 and p2', () => p1.shadow === challengerBundle && p2.shadow === challengerBundle);
    assert.equal(p3.shadow, null);
    assert.equal(p1.active, rec.devices[0]!.championBundle, 'the champion stays active');
  });
});
