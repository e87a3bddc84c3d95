/**
 * Rollouts end to end with a real hub and six real agents (three rpi4, three rpi-zero-2w whose
 * "hardware" is slow: bundles.latencyScale 1e6): a bundle too big for a profile is refused up
 * front and no device is told anything; a version whose health check fails on the slow class
 * halts its wave on the failed-installs gate, the devices that tried it go back by themselves,
 * the hub puts the rest of the wave back, and an abort leaves everyone on the old version,
 * scoring readings with it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DeploymentStatus } from '../../cloud-hub/rollouts/schema.ts';
import { FieldAgent, RolloutHub, shutDown, signedBundle, waitFor, type ErrorBody } from './rollout-fleet.ts';

const GROUP = 'plant';
const MODEL = 'pump-ae';
const ZERO = 'rpi-zero-2w';
/**
 * The zeros get what their profile asks (device-profiles/rpi-zero-2w.json); the rpi4s, whose
 * "hardware" is this machine, a budget a busy CI machine cannot miss: they must pass.
 */
const RPI4_BUDGET_MS = 60_000;
const ZERO_BUDGET_MS = 250;
/** A zero runs the tiny model at ~0.05 ms × 1e6 = ~50 s: far over 250 ms, far under this budget v1 was built with. */
const SLOW = 1e6;
const V1_ZERO_BUDGET_MS = 1e9;
const FAST_GATES = { maxFailedInstalls: 0, minSoakMs: 0 };

describe('rollouts with real agents: gates and refusals', () => {
  let h: RolloutHub;
  const agents: FieldAgent[] = [];
  const zeros = () => agents.filter((a) => a.spec.profile === ZERO);

  before(async () => {
    h = await RolloutHub.start('gates');
    for (let i = 1; i <= 3; i++) agents.push(await FieldAgent.provision(h, { id: `rpi4-${i}`, group: GROUP, profile: 'rpi4' }));
    for (let i = 1; i <= 3; i++) agents.push(await FieldAgent.provision(h, { id: `zero-${i}`, group: GROUP, profile: ZERO, latencyScale: SLOW }));
    await Promise.all(agents.map((a) => a.start()));
    await waitFor('six agents online', async () => (await h.hub.store.listDevices({ group: GROUP, online: true })).length === 6);
  });

  after(() => shutDown(agents, h));

  test('a bundle over rpi-zero-2w\'s maxModelBytes is refused up front, naming the profile and the limit, and no device is told', async () => {
    const big = await signedBundle(h.trust, {
      model: 'pump-big', version: 1, padBytes: 9 * 1024 * 1024,
      targets: [{ profile: 'rpi4', latencyBudgetMs: RPI4_BUDGET_MS }, { profile: ZERO, latencyBudgetMs: ZERO_BUDGET_MS }],
    });
    assert.ok(big.bytes.length > 8 * 1024 * 1024);
    await h.upload(big);

    const res = await h.api<ErrorBody>('POST', '/api/v1/deployments', { bundleId: big.id, target: { group: GROUP }, waves: [{ percent: 100, gates: FAST_GATES }] });
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'EH_PROFILE_UNFIT');
    assert.match(res.body.error.message, /3 target device\(s\) have profile rpi-zero-2w/);
    assert.match(res.body.error.message, new RegExp(`${big.bytes.length} bytes is over limits\\.maxModelBytes 8388608 of profile rpi-zero-2w`));

    const list = await h.api<{ deployments: DeploymentStatus[] }>('GET', '/api/v1/deployments');
    assert.deepEqual(list.body.deployments, [], 'no deployment was created');
    for (const a of agents) {
      assert.equal(await h.hub.store.rollouts.getDesired(a.id), null, `${a.id} has no desired state`);
      assert.deepEqual(a.state(), { active: null, phase: 'idle', lastError: null }, `${a.id} was told nothing`);
    }
    assert.ok(!(await h.auditOf(big.id)).some((e) => e.action !== 'bundle.upload'), 'only the upload is in the audit log');
  });

  test('a wave failing its failed-installs gate halts, slow devices go back by themselves, the hub restores the wave, abort leaves all on v1', async (t) => {
    const v1 = await signedBundle(h.trust, {
      model: MODEL, version: 1,
      targets: [{ profile: 'rpi4', latencyBudgetMs: RPI4_BUDGET_MS }, { profile: ZERO, latencyBudgetMs: V1_ZERO_BUDGET_MS }],
    });
    const v2 = await signedBundle(h.trust, {
      model: MODEL, version: 2, weightScale: 0.5,
      targets: [{ profile: 'rpi4', latencyBudgetMs: RPI4_BUDGET_MS }, { profile: ZERO, latencyBudgetMs: ZERO_BUDGET_MS }],
    });
    await h.upload(v1);
    await h.upload(v2);

    // v1 everywhere, one wave.
    const d1 = await h.deploy({ bundleId: v1.id, target: { group: GROUP }, waves: [{ percent: 100, gates: FAST_GATES }] });
    const done1 = await h.statusWhen(d1.id, 'v1 rollout to complete', (s) => s.state === 'completed');
    assert.deepEqual(done1.devices.map((d) => `${d.id} ${d.state}`), agents.map((a) => `${a.id} installed`).sort());
    for (const a of agents) assert.deepEqual(a.state().active, { bundleId: v1.id, model: MODEL, version: 1 }, `${a.id} runs v1`);

    // v2 in waves [50, 100]: the first wave is whichever three devices hash first.
    const d2 = await h.deploy({ bundleId: v2.id, target: { group: GROUP }, waves: [{ percent: 50, gates: FAST_GATES }, { percent: 100, gates: FAST_GATES }] });
    const waveOf = new Map(d2.devices.map((d) => [d.id, d.wave]));
    assert.deepEqual(d2.waves.map((w) => w.devices), [3, 3]);
    // Usually the canary wave holds a zero and fails; in 1 of 20 deployments it holds only rpi4s,
    // passes, and the zeros' wave fails instead (its passed wave keeps v2 until the abort: 0010).
    const failing = zeros().some((z) => waveOf.get(z.id) === 0) ? 0 : 1;
    const failingMembers = agents.filter((a) => waveOf.get(a.id) === failing);

    const halted = await h.statusWhen(d2.id, 'v2 rollout to halt', (s) => s.state !== 'running');
    assert.equal(halted.state, 'halted', JSON.stringify(halted.reason));
    assert.match(halted.reason!, new RegExp(`^wave ${failing} failed its gate maxFailedInstalls: [1-3] failed install\\(s\\) > 0`));
    const fw = halted.waves[failing]!;
    assert.equal(fw.state, 'failed');
    assert.equal(fw.verdicts.failedInstalls.ok, false);
    assert.equal(fw.reason, halted.reason);
    if (failing === 0) assert.equal(halted.waves[1]!.state, 'pending', 'the second wave never started');
    else assert.equal(halted.waves[0]!.state, 'passed');

    // The zeros that ran v2's health check failed it on latency and went back to v1 on their own.
    const tried = zeros().filter((z) => (h.reports.get(z.id) ?? []).some((r) => r.failedBundle === v2.id));
    assert.ok(tried.length >= 1, 'at least the zero that failed the gate tried v2');
    for (const z of tried) {
      assert.equal(waveOf.get(z.id), failing);
      const back = (h.reports.get(z.id) ?? []).find((r) => r.phase === 'rolled-back');
      assert.ok(back, `${z.id} reported rolling back by itself: ${JSON.stringify((h.reports.get(z.id) ?? []).map((r) => r.phase))}`);
      assert.equal(back.activeBundle, v1.id);
      assert.equal(back.failedBundle, v2.id);
      assert.equal(back.errorCode, 'EH_BUNDLE_HEALTH');
      assert.match(back.errorMessage!, new RegExp(`latency [0-9.]+ ms > budget ${ZERO_BUDGET_MS} ms`));
    }
    // The failures the gate counted are shown per device with the device's own error; a zero still
    // in its health check when the wave failed was put back by the hub (restored) before it reported.
    const shownFailed = halted.devices.filter((d) => d.state === 'failed');
    assert.equal(shownFailed.length, Number(/: (\d) failed install/.exec(halted.reason!)![1]));
    for (const d of shownFailed) {
      assert.ok(tried.some((z) => z.id === d.id), `${d.id} failed but is not a zero that tried v2`);
      assert.match(d.error!, /^EH_BUNDLE_HEALTH: bundle pump-ae v2 failed its health check: latency/);
    }
    for (const m of failingMembers) {
      const shown = halted.devices.find((d) => d.id === m.id)!;
      assert.ok(shown.state === 'failed' || shown.state === 'restored', `${m.id} is ${shown.state}`);
      assert.equal(shown.previousBundle, v1.id);
      assert.equal((await h.hub.store.rollouts.getDesired(m.id))?.bundleId, v1.id, `${m.id}'s desired state is back on v1`);
    }
    const audit = await h.auditOf(d2.id);
    const waveFailed = audit.find((e) => e.action === 'wave.failed');
    assert.ok(waveFailed, `wave.failed in ${audit.map((e) => e.action).join(', ')}`);
    assert.equal(waveFailed.actor, 'system');
    assert.equal(waveFailed.details?.wave, failing);
    assert.deepEqual(audit.filter((e) => e.action === 'device.restored').map((e) => e.target).sort(), failingMembers.map((m) => m.id).sort());
    for (const e of audit.filter((x) => x.action === 'device.restored')) assert.deepEqual([e.details?.from, e.details?.to], [v2.id, v1.id]);

    // Every device that ran v2 in the failed wave is put back on v1 by the hub; the devices run v1 again.
    const ranV2 = agents.filter((a) => (h.reports.get(a.id) ?? []).some((r) => r.activeBundle === v2.id && r.healthy));
    const keepV2 = ranV2.filter((a) => waveOf.get(a.id) !== failing);
    t.diagnostic(`wave ${failing} failed (members ${failingMembers.map((m) => m.id).join(', ')}); tried v2 and failed: ${tried.map((z) => z.id).join(', ')}; ran v2: ${ranV2.map((a) => a.id).join(', ') || 'none'}`);
    assert.ok(failing === 1 || keepV2.length === 0);
    await waitFor('the failed wave back on v1', () => failingMembers.every((a) => a.state().active?.bundleId === v1.id && a.state().phase === 'active'));
    for (const a of agents) {
      const want = keepV2.includes(a) ? v2.id : v1.id;
      await waitFor(`${a.id} on ${want === v1.id ? 'v1' : 'v2'}`, () => a.state().active?.bundleId === want);
    }
    for (const z of tried) assert.deepEqual(z.state().lastError && { code: z.state().lastError!.code, bundleId: z.state().lastError!.bundleId }, { code: 'EH_BUNDLE_HEALTH', bundleId: v2.id });
    for (const a of agents.filter((x) => waveOf.get(x.id) !== failing && failing === 0)) {
      assert.ok(!(h.reports.get(a.id) ?? []).some((r) => r.desiredBundle === v2.id || r.installingBundle === v2.id), `${a.id} of the unstarted wave never heard of v2`);
    }

    const aborted = await h.api('POST', `/api/v1/deployments/${d2.id}/abort`, { reason: 'v2 is too slow for the zero class' });
    assert.equal(aborted.status, 200, JSON.stringify(aborted.body));
    assert.equal(aborted.body.state, 'aborted');
    assert.equal(aborted.body.reason, 'v2 is too slow for the zero class');
    assert.equal((await h.status(d2.id)).state, 'aborted');
    for (const a of agents) assert.equal((await h.hub.store.rollouts.getDesired(a.id))?.bundleId, v1.id, `${a.id}'s desired state names v1`);
    await waitFor('every agent on v1 after the abort', () => agents.every((a) => a.state().active?.bundleId === v1.id && a.state().phase === 'active'), 15_000);
    // A tick of the manager later nothing has moved.
    await new Promise((r) => setTimeout(r, 1200));
    for (const a of agents) {
      assert.deepEqual(a.state().active, { bundleId: v1.id, model: MODEL, version: 1 }, `${a.id} stays on v1`);
      const scores = await a.scoreReadings(8);
      assert.ok(scores.every((s) => s.modelId === `${MODEL}@1/fp32`), `${a.id} scores with v1: ${[...new Set(scores.map((s) => s.modelId))].join(', ')}`);
      assert.ok(scores.filter((s) => Number.isFinite(s.raw)).length >= 5, `${a.id}: full windows get a score`);
    }
    assert.deepEqual((await h.auditOf(d2.id)).filter((e) => e.actor.startsWith('token:')).map((e) => e.action), ['deployment.create', 'deployment.abort']);
  });
});
