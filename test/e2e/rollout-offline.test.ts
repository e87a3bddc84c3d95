/**
 * Rollouts end to end, reaching every device: an agent switched off while a deployment runs does
 * not hold it up and converges to the bundle once it is back; and the simulator's fleet (real
 * agents in this process, provisioned through the hub, trusting only the root provisioning gave
 * them) receives a rollout and runs it on every device.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AgentHandle } from '../../edge-agent/agent-api.ts';
import { Agent } from '../../edge-agent/agent.ts';
import { parseAgentConfig } from '../../shared/config/agent-config.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { Fleet, SIM_STREAM } from '../../simulators/fleet/fleet.ts';
import { layoutFleet } from '../../simulators/fleet/layout.ts';
import { inProcessProvisioner } from '../../simulators/fleet/provision.ts';
import { PUMP_FEATURES } from '../../simulators/sensors/pump.ts';
import { FieldAgent, RolloutHub, shutDown, signedBundle, waitFor } from './rollout-fleet.ts';

const FAST = { maxFailedInstalls: 0, minSoakMs: 0 };
const TWO_WAVES = [{ percent: 50, gates: FAST }, { percent: 100, gates: FAST }];
const UPLINK_DEFAULTS = parseAgentConfig({ fleet: 'f', deviceId: 'd', profile: 'p', dataDir: '.', hub: { mqttUrl: 'mqtt://127.0.0.1:1' }, sensors: [] }).uplink;

describe('rollouts with real agents: devices that are away, and the simulator fleet', () => {
  let h: RolloutHub;
  const agents: FieldAgent[] = [];

  before(async () => {
    h = await RolloutHub.start('reach');
  });

  after(() => shutDown(agents, h));

  test('an offline device does not block the deployment, shows as offline, and converges once it is back', async () => {
    for (let i = 1; i <= 3; i++) agents.push(await FieldAgent.provision(h, { id: `field-${i}`, group: 'field', profile: 'rpi4' }));
    await Promise.all(agents.map((a) => a.start()));
    await waitFor('three agents online', async () => (await h.hub.store.listDevices({ group: 'field', online: true })).length === 3);
    const away = agents[2]!;
    await away.stop();
    await waitFor(`${away.id} offline at the hub`, async () => (await h.hub.store.getDevice(away.id))?.online === false);

    const v1 = await signedBundle(h.trust, { model: 'field-ae', version: 1, targets: [{ profile: 'rpi4', latencyBudgetMs: 100 }] });
    await h.upload(v1);
    const created = await h.deploy({ bundleId: v1.id, target: { group: 'field' }, waves: TWO_WAVES });
    assert.deepEqual(created.devices.map((d) => d.id), agents.map((a) => a.id));

    const done = await h.statusWhen(created.id, 'the deployment to complete without the offline device', (s) => s.state === 'completed');
    assert.deepEqual(done.waves.map((w) => w.state), ['passed', 'passed']);
    for (const d of done.devices) {
      if (d.id === away.id) {
        assert.equal(d.state, 'offline');
        assert.equal(d.activeBundle, null, 'it has reported nothing');
      } else {
        assert.equal(d.state, 'installed', d.id);
        assert.equal(d.activeBundle, v1.id);
      }
    }
    assert.equal(done.waves.reduce((n, w) => n + w.counts.offline, 0), 1);
    assert.equal((await h.hub.store.rollouts.getDesired(away.id))?.bundleId, v1.id, 'its desired state is set and waits, retained, for it');
    for (const a of agents.slice(0, 2)) assert.equal(a.state().active?.bundleId, v1.id);
    assert.deepEqual(away.state(), { active: null, phase: 'idle', lastError: null }, 'the stopped agent got nothing');

    // Powered on again: a new Agent on the same data dir.
    await away.restart();
    await waitFor(`${away.id} to run v1`, () => away.state().active?.bundleId === v1.id && away.state().phase === 'active', 15_000);
    const scores = await away.scoreReadings(8);
    assert.ok(scores.every((s) => s.modelId === 'field-ae@1/fp32'));
    const shown = await h.statusWhen(created.id, `the status to show ${away.id} installed`, (s) => s.devices.find((d) => d.id === away.id)?.activeBundle === v1.id);
    const back = shown.devices.find((d) => d.id === away.id)!;
    assert.equal(back.reportedPhase, 'active');
    assert.equal(back.state, 'installed', `${away.id} runs the deployment's bundle, yet the status says ${back.state}`);
  });

  test('the simulator fleet trusts the hub\'s root from provisioning and runs a rolled-out bundle on every device', async () => {
    const specs = layoutFleet(4, { pump: 1, hvac: 0 }, ['rpi4', 'rpi5']);
    const live = new Map<string, AgentHandle>();
    const scored = new Map<string, number>();
    const now = Date.now();
    let fleet: Fleet | null = null;
    try {
      fleet = await Fleet.create({
        dataDir: join(h.dataDir, 'sim'), devices: specs, provisioner: inProcessProvisioner(h.hub), logger: silentLogger(),
        createAgent: (config, deps) => {
          const a = new Agent(config, { ...deps, onScore: (s) => scored.set(`${config.deviceId} ${s.modelId}`, (scored.get(`${config.deviceId} ${s.modelId}`) ?? 0) + 1) });
          live.set(config.deviceId, a);
          return a;
        },
        // 20 readings a second per device, from now.
        sim: { seed: 11, periodMs: 1000, originMs: now, clock: { fleetEpochMs: now, wallEpochMs: now, speed: 20 } },
        agent: {
          uplink: { ...UPLINK_DEFAULTS, reconnectMinMs: 50, reconnectMaxMs: 250, ackTimeoutMs: 2000 },
          // Only the report period, so the gates see inference counters soon: the fleet merges this
          // section over the root from provisioning and the profile's latency scale, which must stay.
          bundles: { reportEveryMs: 200 },
          log: { level: 'silent' },
        },
      });
      for (const s of specs) {
        const c = fleet.configOf(s.id);
        assert.deepEqual(c.bundles.root, h.hub.bundles.trust().roots.at(-1)!.body, `${s.id} trusts the hub's newest root`);
        assert.equal(c.bundles.reportEveryMs, 200);
      }
      await fleet.start();
      await waitFor('the fleet online', async () => (await h.hub.store.listDevices({ group: 'pumps', online: true })).length === specs.length);

      const bundle = await signedBundle(h.trust, {
        model: 'pump-sim', version: 1, stream: SIM_STREAM, features: PUMP_FEATURES,
        targets: [{ profile: 'rpi4', latencyBudgetMs: 100 }, { profile: 'rpi5', latencyBudgetMs: 50 }],
      });
      await h.upload(bundle);
      const created = await h.deploy({ bundleId: bundle.id, target: { group: 'pumps' }, waves: TWO_WAVES });
      assert.deepEqual(created.devices.map((d) => d.id).sort(), specs.map((s) => s.id).sort());
      const done = await h.statusWhen(created.id, 'the fleet rollout to complete', (s) => s.state === 'completed', 20_000);
      for (const d of done.devices) {
        assert.equal(d.state, 'installed', d.id);
        assert.equal(d.activeBundle, bundle.id);
        assert.equal(d.reportedPhase, 'active');
      }
      for (const s of specs) {
        assert.deepEqual(live.get(s.id)!.bundleState().active, { bundleId: bundle.id, model: 'pump-sim', version: 1 }, `${s.id} runs the bundle`);
      }
      await waitFor('every simulated device scoring its readings with the bundle', () => specs.every((s) => (scored.get(`${s.id} pump-sim@1/fp32`) ?? 0) >= 10), 15_000);
      const counted = await h.statusWhen(created.id, 'inference counters at the hub', (s) => s.waves.every((w) => w.devices === 0 || w.metrics.inferences > 0));
      assert.equal(counted.waves.reduce((n, w) => n + w.metrics.failedInstalls, 0), 0);
    } finally {
      await fleet?.stop();
    }
  });
});
