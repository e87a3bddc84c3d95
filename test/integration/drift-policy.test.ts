/**
 * The drift policy through a real hub: three provisioned devices of one group (real MQTT, their
 * signed passwords) publish DriftReport protobufs; a model registered from a recipe whose
 * driftPolicy makes one drifting device of three enough. A device whose reports carry only
 * quality problems never triggers; two drifting reports in a row from one device start a
 * training job (actor drift-policy) on the group's data and audit drift.trigger with the verdict;
 * a second round inside the cool-down starts nothing, nor does one after a hub restart; the
 * policy and its status over HTTP, with roles.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { MqttClient } from 'mqtt';
import { createToken } from '../../cloud-hub/api/auth.ts';
import type { DriftStatus, PolicySources } from '../../cloud-hub/drift/policy-manager.ts';
import { startHub } from '../../cloud-hub/hub.ts';
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import type { Job } from '../../cloud-hub/jobs/schema.ts';
import type { AuditEntry } from '../../cloud-hub/store/types.ts';
import { generateKeyPair, toBase64 } from '../../shared/crypto/ed25519.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { decode, encode } from '../../shared/protocol/codec.ts';
import { systemClock } from '../../shared/time/clock.ts';
import { ADMIN_TOKEN, connectDevice, publish, topic, waitFor, type TestDevice } from './hub-helpers.ts';
import { testRecipe, tinyPipeline } from './registry-pipeline.ts';

const FLEET = 'driftpol';
const MODEL = 'pump-drift';
const GROUP = 'plant';
const recipe = testRecipe(MODEL, { driftPolicy: { groupShare: 0.3, consecutiveReports: 2, minDevices: 3, drifting: { minSamples: 100 } } });

type Kind = 'clean' | 'drift' | 'quality';

/** A report as the agent sends it: drift on f0, or alarms whose features are stuck or mostly missing. */
function report(seq: number, kind: Kind): Uint8Array {
  const f = (feature: string, psi: number, more: { stuck?: boolean; missingRate?: number } = {}) => ({
    feature, psi, ks: psi / 2, missingRate: more.missingRate ?? 0, outOfRangeRate: 0, stuck: more.stuck ?? false, samples: 600,
  });
  const features = kind === 'clean' ? [f('f0', 0.05), f('f1', 0.04)]
    : kind === 'drift' ? [f('f0', 0.6), f('f1', 0.04)]
      : [f('f0', 0.9, { stuck: true }), f('f1', 0.7, { missingRate: 0.5 })];
  return encode('drift', { seq, tsMs: Date.now(), model: MODEL, modelVersion: '1', outputJs: kind === 'quality' ? 0.5 : 0.01, samples: 600, alarm: kind !== 'clean', features });
}

describe('drift policy at the hub', () => {
  let dir: string;
  let hub: HubHandle;
  let viewer: string;
  let operator: string;
  const devices = new Map<string, TestDevice>();
  const clients = new Map<string, MqttClient>();
  const acks = new Map<string, number[]>();

  const start = () => startHub(
    { dataDir: dir, fleet: FLEET, mqtt: { port: 0 }, http: { port: 0 }, bootstrapAdminToken: ADMIN_TOKEN },
    // The job waits at its gate until cancelled: the test needs it to exist, not to train.
    { logger: silentLogger(), pipeline: tinyPipeline({ gate: () => new Promise<void>(() => {}) }) },
  );
  const call = async <T>(method: string, path: string, token = ADMIN_TOKEN, body?: unknown) => {
    const res = await fetch(`${hub.httpUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const jobs = async () => (await call<{ jobs: Job[] }>('GET', `/api/v1/jobs?model=${MODEL}`, viewer)).body.jobs;
  const status = async () => {
    const r = await call<DriftStatus>('GET', `/api/v1/models/${MODEL}/drift-status`, viewer);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  const triggers = async () => (await hub.store.listAudit(1000)).filter((a: AuditEntry) => a.action === 'drift.trigger');

  async function connect(id: string): Promise<void> {
    const c = await connectDevice(hub.mqttUrl, FLEET, devices.get(id)!);
    clients.set(id, c);
    c.on('message', (_t, payload) => {
      const a = decode('ack', payload);
      if (a.stream === 'drift') acks.get(id)!.push(a.seqFrom);
    });
    await c.subscribeAsync(topic(FLEET, id, 'ack'), { qos: 1 });
  }

  /** Each device sends its reports; returns once all are acked (stored) and the policy has evaluated them. */
  async function round(reports: Record<string, Array<[number, Kind]>>): Promise<void> {
    for (const [id, list] of Object.entries(reports)) {
      for (const [seq, kind] of list) await publish(clients.get(id)!, topic(FLEET, id, 'drift'), report(seq, kind));
    }
    for (const [id, list] of Object.entries(reports)) {
      await waitFor(`acks of ${id}`, () => list.every(([seq]) => acks.get(id)!.includes(seq)));
    }
    await hub.driftPolicy.settled();
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'edgehive-drift-policy-'));
    hub = await start();
    viewer = (await createToken(hub.store, systemClock, 'screen', 'viewer')).token;
    operator = (await createToken(hub.store, systemClock, 'ops', 'operator')).token;
    await hub.registry.ensureModel(recipe);
    const now = Date.now();
    for (const id of ['p1', 'p2', 'p3']) {
      const keys = generateKeyPair();
      await hub.provision({ id, group: GROUP, profile: 'rpi4', publicKey: toBase64(keys.publicKey) });
      devices.set(id, { id, keys, lastTs: 0 });
      acks.set(id, []);
      // Readings the triggered job's data stage finds, so it gets to its gate.
      await hub.store.writeTelemetry([{
        device: id, stream: 'main', firstSeq: 1, features: ['f0', 'f1'], droppedTotal: 0, backlog: 0, receivedAtMs: now,
        readings: Array.from({ length: 20 }, (_, i) => ({ tsMs: now - 60_000 + i * 1000, values: [Math.sin(i), Math.cos(i)] })),
      }]);
      await connect(id);
    }
  });

  after(async () => {
    for (const c of clients.values()) await c.endAsync(true).catch(() => undefined);
    await hub?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('never triggers on a device whose alarms are only data-quality problems', async () => {
    await round({ p1: [[1, 'clean'], [2, 'clean'], [3, 'clean']], p2: [[1, 'clean'], [2, 'clean'], [3, 'clean']], p3: [[1, 'quality'], [2, 'quality'], [3, 'quality']] });
    assert.deepEqual(await jobs(), []);
    assert.deepEqual(await triggers(), []);
    const s = await status();
    assert.equal(s.verdicts.length, 1);
    const v = s.verdicts[0]!;
    assert.equal(v.group, GROUP);
    assert.equal(v.devices, 3);
    assert.deepEqual(v.drifting, []);
    assert.equal(v.trigger, false);
    assert.deepEqual(v.quality, [{ device: 'p3', problems: ['stuck:f0', 'missing:f1'] }]);
    assert.equal(s.lastTrigger, null);
  });

  it('one device of three drifting for two reports starts a job on the group, audited with the verdict', async () => {
    await round({ p1: [[4, 'drift']] });
    assert.deepEqual(await jobs(), [], 'one drifting report is not yet a run of two');
    const before = Date.now();
    await round({ p1: [[5, 'drift']], p2: [[4, 'clean']] });
    const list = await jobs();
    assert.equal(list.length, 1);
    const job = list[0]!;
    assert.equal(job.actor, 'drift-policy');
    assert.equal(job.data.group, GROUP);
    assert.ok(job.data.fromMs! <= before - 7 * 86_400_000 + 1000, 'trains on the policy\'s training window');

    const audit = await triggers();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actor, 'drift-policy');
    assert.equal(audit[0]!.target, MODEL);
    const details = audit[0]!.details as { jobId: string; verdict: { drifting: string[]; share: number; trigger: boolean } };
    assert.equal(details.jobId, job.id);
    assert.deepEqual(details.verdict.drifting, ['p1']);
    assert.ok(Math.abs(details.verdict.share - 1 / 3) < 1e-9);

    const s = await status();
    assert.equal(s.lastTrigger?.jobId, job.id);
    assert.deepEqual(s.lastTrigger?.verdict.drifting, ['p1']);
    assert.ok(s.cooldownUntilMs! >= before + 86_400_000 - 1000, 'the default cool-down of a day');

    await waitFor('the job at its gate', async () => (await jobs())[0]!.state === 'running');
    const cancel = await call<Job>('POST', `/api/v1/jobs/${job.id}/cancel`, operator);
    assert.equal(cancel.status, 200, JSON.stringify(cancel.body));
    await waitFor('the job cancelled', async () => (await jobs())[0]!.state === 'cancelled');
  });

  it('a second drifting round inside the cool-down starts nothing', async () => {
    // Only reports received after the trigger count, so the whole group reports again.
    await round({ p1: [[6, 'drift'], [7, 'drift']], p2: [[5, 'clean']], p3: [[4, 'clean']] });
    assert.equal((await jobs()).length, 1);
    assert.equal((await triggers()).length, 1);
    const v = (await status()).verdicts[0]!;
    assert.deepEqual(v.drifting, ['p1'], 'the group still drifts');
    assert.equal(v.trigger, false);
    assert.ok(v.reasons.some((r) => r.startsWith('cool-down until')), v.reasons.join('; '));
  });

  it('a restarted hub keeps the cool-down and the last trigger', async () => {
    const jobId = (await jobs())[0]!.id;
    for (const c of clients.values()) await c.endAsync(true).catch(() => undefined);
    await hub.close();
    hub = await start();
    for (const id of devices.keys()) await connect(id);
    assert.equal((await status()).lastTrigger?.jobId, jobId, 'the last trigger is read back from the store');
    await round({ p1: [[8, 'drift'], [9, 'drift']], p2: [[6, 'clean']], p3: [[5, 'clean']] });
    assert.equal((await jobs()).length, 1);
    assert.equal((await triggers()).length, 1);
    const v = (await status()).verdicts[0]!;
    assert.equal(v.trigger, false);
    assert.ok(v.reasons.some((r) => r.startsWith('cool-down until')), v.reasons.join('; '));
  });

  it('GET and PUT drift-policy: sources, validation, roles, audit', async () => {
    const path = `/api/v1/models/${MODEL}/drift-policy`;
    const got = await call<PolicySources>('GET', path, viewer);
    assert.equal(got.status, 200);
    assert.equal(got.body.policy.consecutiveReports, 2, 'from the recipe');
    assert.equal(got.body.policy.cooldownMs, got.body.defaults.cooldownMs, 'from the defaults');
    assert.deepEqual(got.body.recipe, recipe.driftPolicy);
    assert.equal(got.body.override, null);

    const denied = await call<{ error: { code: string } }>('PUT', path, viewer, { groupShare: 0.9 });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, 'EH_API_FORBIDDEN');

    const set = await call<PolicySources>('PUT', path, operator, { groupShare: 0.9, drifting: { features: ['f1'] } });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.policy.groupShare, 0.9);
    assert.deepEqual(set.body.policy.drifting.features, ['f1']);
    assert.equal(set.body.policy.drifting.minSamples, 100, 'the recipe\'s fields stay under the override');
    assert.deepEqual((await call<PolicySources>('GET', path, viewer)).body.override, { groupShare: 0.9, drifting: { features: ['f1'] } });
    assert.equal((await status()).policy.groupShare, 0.9);
    const audit = (await hub.store.listAudit(1000)).find((a) => a.action === 'drift-policy.set');
    assert.equal(audit?.actor, 'token:ops');
    assert.equal(audit?.target, MODEL);

    for (const bad of [{ groupShare: 2 }, { consecutiveReports: 0 }, { unknown: true }, { schedule: '61 * * * * *' }]) {
      const r = await call<{ error: { code: string } }>('PUT', path, operator, bad);
      assert.equal(r.status, 400, JSON.stringify(bad));
      assert.equal(r.body.error.code, 'EH_BAD_REQUEST');
    }
    assert.equal((await call<PolicySources>('GET', path, viewer)).body.policy.groupShare, 0.9, 'a refused PUT changes nothing');

    const cleared = await call<PolicySources>('PUT', path, operator, {});
    assert.equal(cleared.body.override, null);
    assert.equal(cleared.body.policy.groupShare, 0.3);

    assert.equal((await call('GET', '/api/v1/models/ghost/drift-policy', viewer)).status, 404);
    assert.equal((await call('GET', '/api/v1/models/ghost/drift-status', viewer)).status, 404);
    assert.equal((await call('PUT', '/api/v1/models/ghost/drift-policy', operator, {})).status, 404);
  });
});
