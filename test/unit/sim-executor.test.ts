import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { silentLogger } from '../../shared/log/logger.ts';
import { isEdgehiveError } from '../../shared/errors/index.ts';
import { layoutFleet } from '../../simulators/fleet/layout.ts';
import { LinkProxy } from '../../simulators/network/link-proxy.ts';
import { ScenarioExecutor, type FleetControl, type HubControl } from '../../simulators/scenario/execute.ts';
import { planScenario } from '../../simulators/scenario/plan.ts';
import { parseScenario } from '../../simulators/scenario/schema.ts';

function recorder(log: string[]): FleetControl & HubControl {
  return {
    linkDown: (d) => { log.push(`link-down ${d}`); },
    linkUp: (d) => { log.push(`link-up ${d}`); },
    crashAgent: async (d) => { log.push(`crash ${d}`); },
    restartAgent: async (d) => { log.push(`restart ${d}`); },
    restartBroker: async (ms) => { log.push(`broker ${ms}`); await new Promise((r) => setTimeout(r, ms)); log.push('broker up'); },
    stopHub: async () => { log.push('hub down'); },
    startHub: async () => { log.push('hub up'); },
  };
}

test('the executor runs every step at its time, and a slow broker restart does not hold up the devices', async () => {
  const scenario = parseScenario({
    name: 'x', seed: 1, durationS: 100,
    faults: [
      { at: 10, kind: 'broker-restart', downS: 30 },
      { at: 20, kind: 'agent-crash', devices: ['pump-0001'], restartAfterS: 10 },
      { at: 50, kind: 'hub-restart', downS: 10 },
    ],
  });
  const plan = planScenario(scenario, layoutFleet(2), 0);
  const log: string[] = [];
  const target = recorder(log);
  const start = Date.now();
  // speed 100: 10 fleet s = 100 wall ms
  const ex = new ScenarioExecutor(plan, { fleet: target, hub: target, startWallMs: start, speed: 100, logger: silentLogger() });
  ex.start();
  await ex.done;
  assert.deepEqual(log, ['broker 300', 'crash pump-0001', 'restart pump-0001', 'broker up', 'hub down', 'hub up']);
  assert.ok(Date.now() - start >= 950, 'the end step waits for durationS');
  assert.deepEqual(ex.errors, []);
});

test('a failing step is recorded and the others still run', async () => {
  const plan = planScenario(parseScenario({ name: 'x', seed: 1, faults: [{ at: 0, kind: 'agent-crash', devices: ['pump-0001'], restartAfterS: 1 }] }), layoutFleet(2), 0);
  const log: string[] = [];
  const target = { ...recorder(log), crashAgent: async () => { throw new Error('no such process'); } };
  const ex = new ScenarioExecutor(plan, { fleet: target, hub: null, startWallMs: Date.now(), speed: 1000, logger: silentLogger() });
  ex.start();
  await ex.done;
  assert.deepEqual(ex.errors.map((e) => e.step.kind), ['agent-crash']);
  assert.deepEqual(log, ['restart pump-0001']);
});

test('an executor without the hub refuses a plan that restarts it', () => {
  const plan = planScenario(parseScenario({ name: 'x', seed: 1, faults: [{ at: 0, kind: 'hub-restart', downS: 1 }] }), layoutFleet(2), 0);
  const log: string[] = [];
  assert.throws(() => new ScenarioExecutor(plan, { fleet: recorder(log), hub: null, startWallMs: 0, speed: 1, logger: silentLogger() }),
    (e: unknown) => isEdgehiveError(e, 'EH_STATE'));
});

async function echoServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const s = createServer((c) => { sockets.add(c); c.pipe(c); });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return {
    port: (s.address() as { port: number }).port,
    close: () => new Promise<void>((r) => { for (const c of sockets) c.destroy(); s.close(() => r()); }),
  };
}

function roundTrip(url: string, text: string): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const c = connect(Number(u.port), u.hostname, () => c.write(text));
    c.once('data', (b) => { resolve(b.toString()); c.destroy(); });
    c.once('error', reject);
    c.once('close', () => reject(new Error('closed')));
  });
}

test('a link proxy passes bytes through, cuts live connections when down and refuses new ones until up', async () => {
  const echo = await echoServer();
  const proxy = new LinkProxy(`mqtt://127.0.0.1:${echo.port}`);
  const url = await proxy.listen();
  assert.match(url, /^mqtt:\/\/127\.0\.0\.1:\d+$/);
  try {
    assert.equal(await roundTrip(url, 'hello'), 'hello');
    const u = new URL(url);
    const live = connect(Number(u.port), u.hostname);
    await new Promise((r) => live.once('connect', r));
    const closed = new Promise((r) => live.once('close', r));
    await new Promise((r) => setTimeout(r, 20));
    proxy.down();
    await closed;
    await assert.rejects(roundTrip(url, 'anyone?'));
    proxy.up();
    assert.equal(await roundTrip(url, 'back'), 'back');
    assert.ok(proxy.stats.refused >= 1);
  } finally {
    await proxy.close();
    await echo.close();
  }
});
