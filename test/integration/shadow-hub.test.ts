/**
 * Shadow evaluation on a real hub (embedded broker, SQLite, bundles built and signed from
 * registered versions, ONNX Runtime for the held-out gate, real HTTP) with devices that are real
 * MQTT clients: they install what their desired state names and publish ReportedState protobufs
 * with the shadow figures the test scripts. A challenger worse than the champion on the recent
 * readings is refused before any device sees it; a shadow start puts the challenger's bundle in
 * the retained desired states and publishes its chunks; bad figures retire it (shadows cleared,
 * lineage says why); good figures promote it through a staged rollout of the group.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ShadowEvaluationRecord, ShadowState } from '../../cloud-hub/store/shadow-store.ts';
import { generateKeyPair, toBase64 } from '../../shared/crypto/ed25519.ts';
import { ADMIN_TOKEN, startTestHub, waitFor, type TestHub } from './hub-helpers.ts';
import { FEATURES, GOOD, MODEL, register, rows, ShadowDevice } from './shadow-fleet.ts';

describe('shadow evaluation at the hub', () => {
  let t: TestHub;
  let champion: number;
  let good: number;
  let worse: number;
  const devices: ShadowDevice[] = [];

  const call = async <T = ShadowEvaluationRecord>(method: string, path: string, body?: unknown) => {
    const res = await fetch(`${t.hub.httpUrl}${path}`, {
      method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const ends = async (id: string, state: ShadowState) => {
    let last: ShadowEvaluationRecord | null = null;
    await waitFor(`shadow evaluation ${id} ${state}`, async () => (last = await t.hub.store.shadows.get(id))?.state === state, 10_000);
    return last!;
  };
  const audit = async (action: string) => (await t.hub.store.listAudit(200)).filter((a) => a.action === action);
  const lineage = async (v: number) => (await t.hub.registry.getVersion(MODEL, v)).lineage as unknown as { shadow?: { state: string; reason: string | null; deployments: string[]; devices: string[] } };

  before(async () => {
    t = await startTestHub({ fleet: 'shadow' });
    champion = await register(t.hub, 0.5, 0.5);
    good = await register(t.hub, 1, 0.5);
    worse = await register(t.hub, 0, 0.01);
    await t.hub.driftPolicy.setOverride(MODEL, { shadow: { devices: 2, minInferences: 200, minAgreement: 0.9 } }, 'test');
    const now = Date.now();
    for (const id of ['p1', 'p2', 'p3']) {
      const keys = generateKeyPair();
      await t.hub.provision({ id, group: 'line', profile: 'rpi4', publicKey: toBase64(keys.publicKey) });
      await t.hub.store.writeTelemetry([{
        device: id, stream: 'vib', firstSeq: 1, features: FEATURES, droppedTotal: 0, backlog: 0, receivedAtMs: now,
        readings: rows.map((values, i) => ({ tsMs: now - (rows.length - i) * 1000, values })),
      }]);
      const d = new ShadowDevice(() => t.hub, t.fleet, { id, keys, lastTs: 0 });
      await d.connect();
      devices.push(d);
    }
    await waitFor('devices online', async () => (await t.hub.store.listDevices({ group: 'line', online: true })).length === 3);
    const dep = await t.hub.rollouts.create({ model: MODEL, version: champion, target: { group: 'line' }, waves: [{ percent: 100, gates: { minSoakMs: 0 } }] }, 'test');
    await t.hub.rollouts.waitFor(dep.id, ['completed'], 15_000);
  });

  after(async () => {
    for (const d of devices) await d.close();
    await t?.close();
  });

  it('refuses a challenger worse than the champion on recent held-out readings before any device sees it', async () => {
    const res = await call('POST', `/api/v1/models/${MODEL}/versions/${worse}/shadow`, {});
    assert.equal(res.status, 200);
    assert.equal(res.body.state, 'refused');
    assert.match(res.body.reason ?? '', /held-out false-alarm rate .* challenger 1 > /);
    assert.equal(res.body.heldOut[0]!.challenger, 1);
    for (const d of await t.hub.store.rollouts.listDesired()) assert.equal(d.shadowBundleId ?? null, null, `${d.device} got no shadow`);
    assert.equal(devices.some((d) => d.shadow !== null), false);
    assert.equal((await audit('shadow.refused')).length, 1);
    assert.equal((await lineage(worse)).shadow?.state, 'refused');
  });

  it('puts the challenger in shadow on two devices, retires it on disagreement and clears the shadows', async () => {
    const res = await call('POST', `/api/v1/models/${MODEL}/versions/${good}/shadow`, {});
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const rec = res.body;
    assert.deepEqual(rec.devices.map((d) => d.device), ['p1', 'p2']);
    assert.equal(rec.championVersion, champion);
    assert.equal(rec.heldOut[0]!.passed, true);
    const challenger = rec.devices[0]!.challengerBundle;
    const bundle = (await t.hub.bundles.get(challenger))!;
    const [p1, p2, p3] = devices as [ShadowDevice, ShadowDevice, ShadowDevice];
    await waitFor('retained desired states with the shadow and its chunks', () => p1.shadow === challenger && p2.shadow === challenger
      && p1.chunks.size === bundle.chunks && p2.chunks.size === bundle.chunks);
    assert.equal(p1.active, rec.devices[0]!.championBundle, 'the champion stays active beside the shadow');
    assert.equal(p3.shadow, null);
    assert.equal((await call<{ evaluation: ShadowEvaluationRecord }>('GET', `/api/v1/models/${MODEL}/shadow`)).body.evaluation.state, 'running');

    p1.shadowStats = GOOD;
    p2.shadowStats = { ...GOOD, agreement: 0.55 };
    await p1.report();
    await p2.report();
    const done = await ends(rec.id, 'retired');
    assert.match(done.reason ?? '', /p2: agreement 0\.55 < minAgreement 0\.9/);
    await waitFor('shadows cleared', () => p1.shadow === null && p2.shadow === null);
    assert.equal((await t.hub.store.rollouts.getDesired('p1'))?.shadowBundleId ?? null, null, 'no shadow left in the desired state');
    assert.equal((await t.hub.store.rollouts.getDesired('p1'))?.bundleId, rec.devices[0]!.championBundle);
    assert.match((await lineage(good)).shadow?.reason ?? '', /agreement 0\.55/);
    assert.equal((await audit('shadow.retired')).length, 1);
  });

  it('promotes a challenger with good figures through a staged rollout of the group', async () => {
    for (const d of devices) d.shadowStats = null;
    const res = await call('POST', `/api/v1/models/${MODEL}/versions/${good}/shadow`, {});
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const [p1, p2] = devices as [ShadowDevice, ShadowDevice];
    await waitFor('shadows set', () => p1.shadow !== null && p2.shadow !== null);
    p1.shadowStats = { ...GOOD, inferences: 150 };
    p2.shadowStats = GOOD;
    await p1.report();
    await p2.report();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await t.hub.store.shadows.get(res.body.id))?.state, 'running', 'undecided while p1 has fewer than minInferences');
    p1.shadowStats = GOOD;
    await p1.report();
    const done = await ends(res.body.id, 'promoted');
    assert.equal(done.deployments.length, 1);
    const dep = await t.hub.rollouts.status(done.deployments[0]!);
    assert.equal(dep.actor, 'shadow');
    assert.deepEqual(dep.source, { model: MODEL, version: good });
    assert.deepEqual(dep.target, { group: 'line' });
    const promoted = await audit('shadow.promoted');
    assert.equal(promoted.length, 1);
    assert.deepEqual((promoted[0]!.details as { deployments: string[] }).deployments, done.deployments);
    const l = await lineage(good);
    assert.equal(l.shadow?.state, 'promoted');
    assert.deepEqual(l.shadow?.deployments, done.deployments);
    assert.deepEqual(l.shadow?.devices, ['p1', 'p2']);
  });
});
