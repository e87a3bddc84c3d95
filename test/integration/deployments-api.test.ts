/**
 * Deployments through real HTTP on a real hub (embedded broker, SQLite, bundles built and signed
 * from registered versions) with scripted devices speaking MQTT: refusals up front, waves to
 * completion, the device conflict, halt / resume / abort back to the previous bundles, a failing
 * gate that halts and puts its wave back, the audit trail, and a manager restart mid-rollout.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { createToken } from '../../cloud-hub/api/auth.ts';
import { installErrorHandlers } from '../../cloud-hub/api/errors.ts';
import { deploymentRoutes } from '../../cloud-hub/api/routes/deployments.ts';
import { listenApi } from '../../cloud-hub/api/server.ts';
import { RolloutManager } from '../../cloud-hub/rollouts/rollout-manager.ts';
import type { DeploymentStatus } from '../../cloud-hub/rollouts/schema.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { systemClock } from '../../shared/time/clock.ts';
import { ADMIN_TOKEN, startTestHub, waitFor, type TestHub } from './hub-helpers.ts';
import { provisionScripted, registerVersion, type ScriptedDevice } from './rollout-devices.ts';

const MODEL = 'pump-ae';
const FAST = { minSoakMs: 250 };
const TWO_WAVES = [{ percent: 25, gates: FAST }, { percent: 100, gates: FAST }];

interface ErrorBody { error: { code: string; message: string } }

describe('deployments API', () => {
  let t: TestHub;
  let app: FastifyInstance;
  let url: string;
  let manager: RolloutManager;
  let viewer: string;
  let v1: number;
  let v2: number;
  const devices: ScriptedDevice[] = [];
  const online = () => devices.filter((d) => d.d.id !== 'p4');

  // A manager of the test's own on the hub's store, bundles, publisher and report feed: it ticks
  // every 25 ms (soaks end on time in a short test) and can be restarted without the hub. The
  // hub's built-in manager owns no deployment here, so it stays out of the way.
  const startManager = async () => {
    manager = new RolloutManager({
      store: t.hub.store, bundles: t.hub.bundles, publisher: t.hub.publisher, reported: t.hub.reported,
      clock: systemClock, logger: silentLogger(), tickMs: 25,
    });
    await manager.start();
  };
  /** The deployment routes on their own fastify app, as the hub's API mounts them. */
  const serve = async () => {
    app = Fastify({ loggerInstance: silentLogger() as FastifyBaseLogger });
    app.decorateRequest('token', null);
    installErrorHandlers(app);
    deploymentRoutes(app, { store: t.hub.store }, manager);
    url = await listenApi(app, '127.0.0.1', 0);
  };
  const call = async <T = DeploymentStatus>(method: string, path: string, body?: unknown, token = ADMIN_TOKEN) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const refused = async (p: Promise<{ status: number; body: unknown }>, status: number, code: string, message?: RegExp) => {
    const res = await p;
    const e = (res.body as ErrorBody).error;
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal(e.code, code);
    if (message) assert.match(e.message, message);
  };
  const reaches = async (id: string, state: DeploymentStatus['state']) => {
    await waitFor(`deployment ${id} ${state}`, async () => (await call('GET', `/api/v1/deployments/${id}`)).body.state === state, 15_000);
    return (await call('GET', `/api/v1/deployments/${id}`)).body;
  };
  const bundleOf = async (version: number, profile: string) => (await t.hub.bundles.bundlesForVersion(MODEL, version, [profile])).get(profile)!.id;

  before(async () => {
    t = await startTestHub({ fleet: 'roll' });
    v1 = await registerVersion(t, MODEL, 3);
    v2 = await registerVersion(t, MODEL, 4);
    viewer = (await createToken(t.hub.store, systemClock, 'screen', 'viewer')).token;
    for (const [id, profile] of [['p1', 'rpi4'], ['p2', 'rpi4'], ['p3', 'rpi4'], ['p4', 'rpi4'], ['p5', 'rpi5']]) {
      devices.push(await provisionScripted(t, id!, 'plant', profile!));
    }
    await provisionScripted(t, 'z1', 'yard', 'rpi-zero-2w');
    for (const d of online()) await d.connect();
    await waitFor('devices online', async () => (await t.hub.store.listDevices({ group: 'plant', online: true })).length === 4);
    await startManager();
    await serve();
  });

  after(async () => {
    await app?.close();
    await manager?.close();
    for (const d of devices) await d.close();
    await t?.close();
  });

  it('refuses up front what cannot be carried out, naming why', async () => {
    const base = { model: MODEL, version: v1, target: { group: 'plant' } };
    await refused(call('POST', '/api/v1/deployments', { ...base, target: { group: 'nowhere' } }), 422, 'EH_DEPLOYMENT_INVALID', /no device matches/);
    await refused(call('POST', '/api/v1/deployments', { ...base, target: {} }), 422, 'EH_DEPLOYMENT_INVALID', /target is empty/);
    await refused(call('POST', '/api/v1/deployments', { ...base, target: { devices: ['p1', 'ghost'] } }), 404, 'EH_NOT_FOUND', /ghost/);
    await refused(call('POST', '/api/v1/deployments', { ...base, version: 99 }), 404, 'EH_NOT_FOUND');
    await refused(call('POST', '/api/v1/deployments', { bundleId: 'f'.repeat(64), target: { group: 'plant' } }), 404, 'EH_NOT_FOUND', /no bundle/);
    await refused(call('POST', '/api/v1/deployments', { ...base, bundleId: 'f'.repeat(64) }), 422, 'EH_DEPLOYMENT_INVALID', /not both/);
    await refused(call('POST', '/api/v1/deployments', { ...base, waves: [{ percent: 50 }, { percent: 40 }, { percent: 100 }] }), 422, 'EH_DEPLOYMENT_INVALID', /wave 1 has percent 40/);
    await refused(call('POST', '/api/v1/deployments', { ...base, waves: [{ percent: 50 }] }), 422, 'EH_DEPLOYMENT_INVALID', /must be 100/);
    await refused(call('POST', '/api/v1/deployments', { ...base, target: { devices: ['p1', 'z1'] } }), 422, 'EH_PROFILE_UNFIT',
      /1 target device\(s\) have profile rpi-zero-2w.*412 ms, over inferenceLatencyBudgetMs 250 ms/);
    const rpi4Bundle = await bundleOf(v1, 'rpi4');
    await refused(call('POST', '/api/v1/deployments', { bundleId: rpi4Bundle, target: { group: 'plant' } }), 422, 'EH_PROFILE_UNFIT',
      /1 target device\(s\) have profile rpi5.*not profile rpi5/);
    await refused(call('POST', '/api/v1/deployments', base, viewer), 403, 'EH_API_FORBIDDEN');
    assert.deepEqual((await call<{ deployments: unknown[] }>('GET', '/api/v1/deployments')).body.deployments, [], 'nothing was created');
  });

  it('rolls a version out wave by wave to completion, one bundle per profile, offline devices not blocking', async () => {
    const created = await call('POST', '/api/v1/deployments', { model: MODEL, version: v1, target: { group: 'plant' }, waves: TWO_WAVES });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const s = created.body;
    assert.equal(s.state, 'running');
    assert.equal(s.actor, 'token:bootstrap-admin');
    assert.deepEqual(Object.keys(s.bundles).sort(), ['rpi4', 'rpi5']);
    assert.notEqual(s.bundles.rpi4, s.bundles.rpi5);
    assert.deepEqual(s.devices.map((d) => d.id), ['p1', 'p2', 'p3', 'p4', 'p5'], 'resolved at creation, sorted');
    assert.deepEqual(s.waves.map((w) => w.devices), [2, 3], 'ceil(25 % of 5) = 2 in the canary');
    assert.equal(s.waves[0]!.state, 'running');
    for (const d of s.devices) assert.equal(d.bundleId, s.bundles[d.profile]);

    await refused(call('POST', '/api/v1/deployments', { model: MODEL, version: v2, target: { devices: ['p3'] } }), 409, 'EH_CONFLICT',
      new RegExp(`p3 already belongs to deployment ${s.id}`));

    const done = await reaches(s.id, 'completed');
    assert.deepEqual(done.waves.map((w) => w.state), ['passed', 'passed']);
    for (const d of done.devices) {
      assert.equal(d.state, d.id === 'p4' ? 'offline' : 'installed', d.id);
      if (d.id !== 'p4') assert.equal(d.activeBundle, s.bundles[d.profile]);
      assert.equal((await t.hub.store.rollouts.getDesired(d.id))?.bundleId, s.bundles[d.profile], 'desired state stored, also for the offline device');
    }
    for (const d of online()) assert.equal(d.active, s.bundles[d.profile], `${d.d.id} got its desired state over MQTT`);
    const w0 = done.waves[0]!;
    assert.deepEqual(w0.verdicts.failedInstalls, { value: 0, limit: 0, ok: true });
    assert.equal(w0.verdicts.soakMs.ok, true);
    assert.ok(w0.settledMs! >= w0.startedMs! && w0.endedMs! - w0.settledMs! >= FAST.minSoakMs);

    const audit = (await t.hub.store.listAudit(100)).filter((e) => e.target === s.id).reverse();
    assert.deepEqual(audit.map((e) => `${e.actor} ${e.action}`), [
      'token:bootstrap-admin deployment.create', 'system wave.start', 'system wave.passed', 'system wave.start', 'system wave.passed', 'system deployment.completed',
    ]);
  });

  it('halts, refuses what does not fit the state, resumes, and aborts every changed device back to its previous bundle', async () => {
    const created = await call('POST', '/api/v1/deployments', { model: MODEL, version: v2, target: { group: 'plant' }, waves: TWO_WAVES, autoAdvance: false });
    const id = created.body.id;
    const waiting = await reaches(id, 'halted');
    assert.match(waiting.reason!, /wave 0 passed; autoAdvance is off/);
    assert.deepEqual(waiting.waves.map((w) => w.state), ['passed', 'pending']);
    await refused(call('POST', `/api/v1/deployments/${id}/halt`, {}), 409, 'EH_STATE', /only a running deployment can be halted/);

    for (const d of online()) d.behaviour = 'quiet';
    const resumed = await call('POST', `/api/v1/deployments/${id}/resume`);
    assert.equal(resumed.status, 200);
    assert.equal(resumed.body.state, 'running');
    assert.equal(resumed.body.currentWave, 1);
    const halted = await call('POST', `/api/v1/deployments/${id}/halt`, { reason: 'customer call' });
    assert.equal(halted.body.state, 'halted');
    assert.equal(halted.body.reason, 'customer call');

    for (const d of online()) d.behaviour = 'install';
    const aborted = await call('POST', `/api/v1/deployments/${id}/abort`, { reason: 'wrong model' });
    assert.equal(aborted.body.state, 'aborted');
    for (const d of devices) {
      const previous = await bundleOf(v1, d.profile);
      assert.equal((await t.hub.store.rollouts.getDesired(d.d.id))?.bundleId, previous, `${d.d.id} desired back on v1`);
    }
    await waitFor('devices back on v1', async () => {
      for (const d of online()) if (d.active !== await bundleOf(v1, d.profile)) return false;
      return true;
    });
    await refused(call('POST', `/api/v1/deployments/${id}/resume`), 409, 'EH_STATE', /aborted/);
    const audit = (await t.hub.store.listAudit(200)).filter((e) => e.target === id && e.actor.startsWith('token:')).reverse();
    assert.deepEqual(audit.map((e) => e.action), ['deployment.create', 'deployment.resume', 'deployment.halt', 'deployment.abort']);
    assert.equal(audit[3]!.details?.reason, 'wrong model');
    const restored = (await t.hub.store.listAudit(200)).filter((e) => e.action === 'device.restored' && e.details?.deployment === id);
    assert.equal(restored.length, 5, 'every device of a started wave was put back');
  });

  it('halts on a failed install, names the gate, puts the wave back, and re-runs the wave on resume', async () => {
    for (const d of online()) d.behaviour = 'fail';
    const created = await call('POST', '/api/v1/deployments', { model: MODEL, version: v2, target: { group: 'plant' }, waves: TWO_WAVES });
    const id = created.body.id;
    const halted = await reaches(id, 'halted');
    assert.match(halted.reason!, /wave 0 failed its gate maxFailedInstalls: [12] failed install\(s\) > 0/);
    const w0 = halted.waves[0]!;
    assert.equal(w0.state, 'failed');
    assert.equal(w0.verdicts.failedInstalls.ok, false);
    const failed = halted.devices.filter((d) => d.state === 'failed');
    assert.ok(failed.length >= 1);
    assert.match(failed[0]!.error!, /EH_BUNDLE_HEALTH: health check output off by 0.4/);
    for (const d of halted.devices.filter((x) => x.wave === 0)) {
      assert.equal((await t.hub.store.rollouts.getDesired(d.id))?.bundleId, d.previousBundle, `${d.id}'s desired state is back on its previous bundle`);
    }
    assert.deepEqual(halted.waves[1]!.counts, { pending: 3, installing: 0, installed: 0, failed: 0, offline: 0, restored: 0 }, 'wave 1 never started');
    const wf = (await t.hub.store.listAudit(200)).find((e) => e.action === 'wave.failed' && e.target === id);
    assert.equal((wf?.details?.verdicts as { failedInstalls: { ok: boolean } }).failedInstalls.ok, false);

    for (const d of online()) d.behaviour = 'install';
    const resumed = await call('POST', `/api/v1/deployments/${id}/resume`);
    assert.equal(resumed.body.waves[0]!.state, 'running', 'the failed wave runs again');
    const done = await reaches(id, 'completed');
    for (const d of done.devices.filter((x) => x.id !== 'p4')) assert.equal(d.state, 'installed', d.id);
  });

  it('lists newest first by state, lets a viewer read but not act, and says when a deployment is unknown', async () => {
    const all = (await call<{ deployments: DeploymentStatus[] }>('GET', '/api/v1/deployments', undefined, viewer)).body.deployments;
    assert.deepEqual(all.map((d) => d.state), ['completed', 'aborted', 'completed']);
    const aborted = (await call<{ deployments: DeploymentStatus[] }>('GET', '/api/v1/deployments?state=aborted', undefined, viewer)).body.deployments;
    assert.deepEqual(aborted.map((d) => d.id), [all[1]!.id]);
    await refused(call('POST', `/api/v1/deployments/${all[0]!.id}/halt`, {}, viewer), 403, 'EH_API_FORBIDDEN');
    await refused(call('GET', '/api/v1/deployments/dep-none'), 404, 'EH_NOT_FOUND', /no deployment dep-none/);
    const viaHub = await fetch(`${t.hub.httpUrl}/api/v1/deployments?state=aborted`, { headers: { authorization: `Bearer ${viewer}` } });
    assert.deepEqual(((await viaHub.json()) as { deployments: DeploymentStatus[] }).deployments.map((d) => d.id), [all[1]!.id], "the hub's own API serves the same routes");
    await refused(call('POST', '/api/v1/deployments/dep-none/abort'), 404, 'EH_NOT_FOUND');
  });

  it('carries on with a running deployment after the manager restarts, setting desired states a crash left unset', async () => {
    const v3 = await registerVersion(t, MODEL, 5);
    for (const d of online()) d.behaviour = 'quiet';
    const created = await call('POST', '/api/v1/deployments', { model: MODEL, version: v3, target: { group: 'plant', profile: 'rpi4' }, waves: [{ percent: 100, gates: FAST }] });
    assert.deepEqual(created.body.devices.map((d) => d.id), ['p1', 'p2', 'p3', 'p4']);
    await manager.close();
    await app.close();
    // As if the hub had died between writing the deployment and publishing p1's desired state.
    const v3Bundle = created.body.bundles.rpi4!;
    await t.hub.store.rollouts.setDesired({ device: 'p1', bundleId: await bundleOf(v2, 'rpi4'), deploymentId: null, setMs: Date.now() });
    await startManager();
    assert.equal((await t.hub.store.rollouts.getDesired('p1'))?.bundleId, v3Bundle, 'the restarted manager sets what the records call for');
    await serve();
    const waiting = manager.waitFor(created.body.id, ['completed'], 15_000);
    for (const d of online()) {
      d.behaviour = 'install';
      await d.answerNow();
    }
    const done = await waiting;
    assert.equal(done.state, 'completed');
    assert.equal(done.devices.filter((d) => d.state === 'installed').length, 3);
  });
});
