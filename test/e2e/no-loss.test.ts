/**
 * No loss, no duplicates (issue 2): 20 agents in child processes produce thousands of readings
 * each while the scenario cuts the network of a share of them, SIGKILLs agents and restarts them,
 * restarts the broker and restarts the hub. Afterwards the hub's store must hold, for every
 * device, seqs 1..lastSeq exactly once with strictly increasing timestamps, and every reading
 * must equal what the device's sensor model produces for its timestamp.
 */
import { freePort } from '../support/net.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../shared/log/logger.ts';
import { ScaledClock } from '../../shared/time/clock.ts';
import { startHub } from '../../cloud-hub/hub.ts';
import { BUFFER_FILE } from '../../edge-agent/agent-api.ts';
import { readAgentDb } from '../../simulators/fleet/agent-db.ts';
import { Fleet, SIM_STREAM } from '../../simulators/fleet/fleet.ts';
import { layoutFleet } from '../../simulators/fleet/layout.ts';
import { OwnedHub } from '../../simulators/fleet/owned-hub.ts';
import { inProcessProvisioner } from '../../simulators/fleet/provision.ts';
import { ScenarioExecutor } from '../../simulators/scenario/execute.ts';
import { planScenario } from '../../simulators/scenario/plan.ts';
import { parseScenario } from '../../simulators/scenario/schema.ts';
import { expectedReading, simFeatures } from '../../simulators/sensors/sim-adapter.ts';

const DEVICES = 20;
const SPEED = 100; // fleet seconds per wall second: 100 readings/s per device
const PERIOD_MS = 1000;
/** Wall time the agents get to start (20 node processes on a small machine) before readings begin. */
const START_BUDGET_MS = 25_000;
const DURATION_S = 3000; // 30 s of wall time producing

const SCENARIO = parseScenario({
  name: 'no-loss', seed: 2026, durationS: DURATION_S,
  faults: [
    { at: 300, kind: 'network-loss', share: 0.25, forS: 700 },
    { at: 500, kind: 'agent-crash', devices: ['pump-0002', 'hvac-0003'], restartAfterS: 300 },
    { at: 800, kind: 'agent-crash', share: 0.1, restartAfterS: 200 },
    { at: 1200, kind: 'broker-restart', downS: 200 },
    { at: 1800, kind: 'hub-restart', downS: 300 },
    { at: 1900, kind: 'agent-crash', devices: ['hvac-0005'], restartAfterS: 300 },
    { at: 2100, kind: 'agent-crash', devices: ['pump-0005'], restartAfterS: 100 },
    { at: 2400, kind: 'network-loss', devices: ['pump-0007', 'hvac-0008'], forS: 300 },
    { at: 0, kind: 'sensor', devices: ['hvac-0001'], effect: 'dropout', features: ['outdoor_temp'], rate: 0.3 },
  ],
});


async function until(what: string, timeoutMs: number, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function tail(path: string, lines = 15): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

test('a fleet of 20 agent processes loses and duplicates nothing through network loss, SIGKILLs, a broker restart and a hub restart', { timeout: 240_000 }, async (t) => {
  const t0 = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'edgehive-no-loss-'));
  const logger = createLogger({ name: 'no-loss', level: process.env.EDGEHIVE_TEST_LOG ?? 'error' });
  const hub = new OwnedHub({
    dataDir: join(dir, 'hub'),
    mqtt: { mode: 'embedded', host: '127.0.0.1', port: await freePort() },
    http: { host: '127.0.0.1', port: await freePort() },
    bootstrapAdminToken: 'no-loss-test-admin-token-0123456789',
    log: { level: 'error' },
  }, startHub, { logger: logger.child({ part: 'hub' }) });
  let fleet: Fleet | null = null;
  let executor: ScenarioExecutor | null = null;
  try {
    await hub.start();
    const devices = layoutFleet(DEVICES);
    // Readings begin for everyone at the same wall instant, once the agents had time to start.
    const originMs = Math.ceil(Date.now() / PERIOD_MS) * PERIOD_MS;
    const clock = { fleetEpochMs: originMs, wallEpochMs: Date.now() + START_BUDGET_MS, speed: SPEED };
    const untilMs = originMs + DURATION_S * 1000;
    const plan = planScenario(SCENARIO, devices, originMs);
    fleet = await Fleet.create({
      dataDir: dir, devices, mode: 'process', logger, provisioner: inProcessProvisioner(hub.handle),
      linkDevices: plan.linkDevices,
      sim: { seed: SCENARIO.seed, periodMs: PERIOD_MS, originMs, clock, untilMs, faults: plan.sensorFaults },
      agent: {
        uplink: { batchMaxReadings: 2000, batchMaxBytes: 256 * 1024, maxInFlight: 8, ackTimeoutMs: 3000, reconnectMinMs: 200, reconnectMaxMs: 2000, keepaliveS: 10 },
        log: { level: 'warn' },
      },
    });
    const f = fleet;
    await f.start();
    await until('every agent online', START_BUDGET_MS + 40_000, () => (hub.metrics()?.devicesOnline ?? 0) >= DEVICES);
    t.diagnostic(`all ${DEVICES} agents online after ${Date.now() - t0} ms (readings start at +${clock.wallEpochMs - t0} ms)`);

    // Faults count from the start of readings, or from when all agents are up if that is later
    // (a slow machine), so that they hit running agents.
    const startWallMs = Math.max(clock.wallEpochMs, Date.now());
    const steps: string[] = [];
    executor = new ScenarioExecutor(plan, {
      fleet: f, hub, startWallMs, speed: SPEED, logger,
      onStep: (s, err) => steps.push(`${s.kind}${'device' in s ? ` ${s.device}` : ''}${err ? ` FAILED ${err.message}` : ''}`),
    });
    executor.start();
    await executor.done;
    assert.deepEqual(executor.errors.map((e) => `${e.step.kind}: ${e.error.message}`), []);
    t.diagnostic(`scenario ran ${steps.length} steps: ${steps.join(', ')}`);
    assert.equal(hub.restarts, 1);

    // Producing ends at untilMs; then every outbox must drain to the hub.
    const fleetClock = new ScaledClock(clock.fleetEpochMs, clock.wallEpochMs, clock.speed);
    await until('the end of producing', 60_000, () => fleetClock.now() > untilMs + 2 * PERIOD_MS * SPEED);
    await new Promise((r) => setTimeout(r, 500)); // sensors' last chunks reach the outbox
    await until('every outbox empty', 90_000, () => {
      for (const d of devices) {
        if (!f.runnerOf(d.id).running) throw new Error(`agent ${d.id} is not running:\n${tail(join(dir, 'devices', d.id, 'agent.log'))}`);
        if (f.state(d.id).outboxRecords > 0) return false;
      }
      return true;
    });
    t.diagnostic(`outboxes drained ${Date.now() - t0} ms after start`);
    await f.stop();
    fleet = null;

    // Compare the hub's store with what each agent produced, reading by reading.
    const store = hub.handle.store;
    let total = 0;
    const problems: string[] = [];
    for (const d of devices) {
      const db = readAgentDb(join(dir, 'devices', d.id, BUFFER_FILE));
      assert.ok(db, `agent database of ${d.id}`);
      assert.equal(db.outboxRecords, 0, `${d.id} outbox after stop`);
      const lastSeq = db.lastSeq[SIM_STREAM] ?? 0;
      const sensor = f.configOf(d.id).sensors[0]!;
      assert.equal(sensor.kind, 'sim');
      if (sensor.kind !== 'sim') continue;
      const page = await store.queryTelemetry(d.id, { stream: SIM_STREAM, limit: 10_000_000 });
      const rows = [...page.readings].sort((a, b) => a.seq - b.seq);
      assert.deepEqual(page.features[SIM_STREAM], [...simFeatures(sensor)]);
      if (rows.length !== lastSeq) problems.push(`${d.id}: hub holds ${rows.length} readings, agent assigned seqs 1..${lastSeq}`);
      let prevTs = -Infinity;
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        if (r.seq !== i + 1) { problems.push(`${d.id}: reading #${i + 1} has seq ${r.seq} (missing or duplicate seq)`); break; }
        if (!(r.tsMs > prevTs)) { problems.push(`${d.id}: seq ${r.seq} ts ${r.tsMs} not after ${prevTs} (duplicate reading)`); break; }
        if (r.tsMs >= untilMs) { problems.push(`${d.id}: seq ${r.seq} ts ${r.tsMs} is after untilMs`); break; }
        prevTs = r.tsMs;
        const want = expectedReading(sensor, d.id, r.tsMs).values.map((v) => (Number.isNaN(v) ? null : v));
        if (want.length !== r.values.length || want.some((v, j) => v !== r.values[j])) {
          problems.push(`${d.id}: seq ${r.seq} at ${r.tsMs}: stored ${JSON.stringify(r.values)}, produced ${JSON.stringify(want)}`);
          break;
        }
      }
      if (lastSeq < 1000) problems.push(`${d.id}: only ${lastSeq} readings produced`);
      total += rows.length;
    }
    assert.deepEqual(problems, []);
    const missing = (await store.queryTelemetry('hvac-0001', { stream: SIM_STREAM, limit: 10_000_000 })).readings.filter((r) => r.values[2] === null).length;
    assert.ok(missing > 0, 'the dropout fault made some outdoor_temp values missing, and they arrived as missing');
    t.diagnostic(`${total} readings compared one by one, ${Date.now() - t0} ms in all`);
  } finally {
    await executor?.close();
    await fleet?.stop();
    await hub.close();
    if (process.env.EDGEHIVE_KEEP_TEST_DIR) t.diagnostic(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
});
