/**
 * Agent ↔ embedded broker ↔ hub, all real: readings arrive exactly once and the outbox empties,
 * through a broker restart, a hub restart and an agent crash.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { ManualClock } from '../../shared/time/clock.ts';
import {
  Agent, assertStoredExactly, drained, portOf, provisionedConfig, ScriptedSensor, startTestHub, T0, tempDir, waitFor,
} from './agent-harness.ts';

const FLEET = 'agent-it';
const tmp = tempDir('eh-agent-hub-');
let hub: HubHandle;
const hubDir = join(tmp.dir, 'hub');
const agents: Agent[] = [];

before(async () => { hub = await startTestHub({ dataDir: hubDir, fleet: FLEET }); });
after(async () => {
  for (const a of agents) await a.stop();
  await hub.close();
  tmp.remove();
});

function agent(config: ConstructorParameters<typeof Agent>[0], sensors: ScriptedSensor[]): Agent {
  const a = new Agent(config, { sensors, logger: silentLogger() });
  agents.push(a);
  return a;
}

/** Emits `per` readings every few ms until the returned stop function is called. */
function produce(sensor: ScriptedSensor, per = 50): () => number {
  const t = setInterval(() => sensor.emit(per), 5);
  return () => {
    clearInterval(t);
    return sensor.next;
  };
}

describe('agent with the hub on the embedded broker', () => {
  test('readings from a sensor arrive exactly once and the outbox empties', async () => {
    const dir = join(tmp.dir, 'dev-a');
    const s1 = new ScriptedSensor('s1');
    const s2 = new ScriptedSensor('s2');
    const a = agent(await provisionedConfig(hub, 'dev-a', dir), [s1, s2]);
    await a.start();
    s1.emit(20_000);
    s2.emit(777);
    await drained(a);
    await assertStoredExactly(hub, 'dev-a', 's1', 20_000);
    await assertStoredExactly(hub, 'dev-a', 's2', 777);
    const st = a.stats();
    assert.equal(st.readingsAcked, 20_777);
    assert.deepEqual(st.lastSeq, { s1: 20_000, s2: 777 });
    assert.equal(st.outboxReadings, 0);
    await waitFor('hub to see the device online', async () => (await hub.store.getDevice('dev-a'))?.online === true);
    assert.equal((await hub.store.getDevice('dev-a'))?.agentVersion, '0.1.0');
  });

  test('a jsonl file sensor feeds the hub; bad lines are skipped', async () => {
    const dir = join(tmp.dir, 'dev-j');
    const file = join(tmp.dir, 'env.jsonl');
    const lines = [];
    for (let i = 0; i < 500; i++) lines.push(JSON.stringify({ ts: T0 + i, v: [i, i % 7 === 3 ? null : i / 2] }), i % 100 === 0 ? 'not a reading' : '');
    writeFileSync(file, lines.join('\n'));
    const config = await provisionedConfig(hub, 'dev-j', dir, {});
    config.sensors = [{ kind: 'jsonl', stream: 'env', features: ['a', 'b'], file, follow: false }];
    const a = new Agent(config, { logger: silentLogger() });
    agents.push(a);
    await a.start();
    await waitFor('jsonl readings to be appended', () => a.stats().readingsAppended === 500);
    await drained(a);
    await assertStoredExactly(hub, 'dev-j', 'env', 500);
  });

  test('survives a broker restart without loss or duplicates', async () => {
    const dir = join(tmp.dir, 'dev-b');
    const s = new ScriptedSensor('s');
    const a = agent(await provisionedConfig(hub, 'dev-b', dir), [s]);
    await a.start();
    const stop = produce(s);
    await waitFor('connection', () => a.stats().connected);
    await new Promise((r) => setTimeout(r, 200));
    await hub.restartBroker(300);
    await waitFor('reconnect', () => a.stats().reconnects >= 1 && a.stats().connected);
    await hub.restartBroker(0);
    await waitFor('second reconnect', () => a.stats().reconnects >= 2 && a.stats().connected);
    await new Promise((r) => setTimeout(r, 200));
    const n = stop();
    await drained(a);
    await assertStoredExactly(hub, 'dev-b', 's', n);
  });

  test('survives a hub restart (same ports and data dir) without loss or duplicates', async () => {
    const dir = join(tmp.dir, 'dev-h');
    const s = new ScriptedSensor('s');
    const a = agent(await provisionedConfig(hub, 'dev-h', dir), [s]);
    await a.start();
    const stop = produce(s);
    await waitFor('connection', () => a.stats().connected);
    await new Promise((r) => setTimeout(r, 200));
    const ports = { mqttPort: portOf(hub.mqttUrl), httpPort: portOf(hub.httpUrl) };
    await hub.close();
    await waitFor('the agent to notice', () => !a.stats().connected);
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(a.stats().outboxReadings > 0, 'readings wait in the outbox while the hub is down');
    hub = await startTestHub({ dataDir: hubDir, fleet: FLEET, ...ports });
    await waitFor('reconnect', () => a.stats().connected);
    await new Promise((r) => setTimeout(r, 200));
    const n = stop();
    await drained(a);
    await assertStoredExactly(hub, 'dev-h', 's', n);
  });

  test('`edgehive agent --config` runs a jsonl command sensor and stops gracefully on SIGTERM', async () => {
    const dir = join(tmp.dir, 'dev-cli');
    const config = await provisionedConfig(hub, 'dev-cli', dir);
    const script = `for (let i = 0; i < 300; i++) console.log(JSON.stringify({ ts: ${T0} + i, v: [i, i % 7 === 3 ? null : i / 2] })); setInterval(() => {}, 1000)`;
    const file = join(tmp.dir, 'dev-cli.json');
    writeFileSync(file, JSON.stringify({ ...config, dataDir: 'dev-cli', sensors: [{ kind: 'jsonl', stream: 'cmd', features: ['a', 'b'], command: [process.execPath, '-e', script] }] }));
    const cli = new URL('../../edge-agent/cli.ts', import.meta.url).href;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `import { runAgentCommand } from ${JSON.stringify(cli)}; await runAgentCommand(['--config', ${JSON.stringify(file)}, '--log-level', 'warn']);`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await waitFor('the readings to reach the hub', async () => (await hub.store.countReadings('dev-cli')) === 300, 30_000);
      await waitFor('online', async () => (await hub.store.getDevice('dev-cli'))?.online === true);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, out);
    assert.match(out, /agent dev-cli started/);
    assert.match(out, /SIGTERM, stopping/);
    await assertStoredExactly(hub, 'dev-cli', 'cmd', 300);
    await waitFor('the offline status', async () => (await hub.store.getDevice('dev-cli'))?.online === false);
  });

  test('after a crash the will marks the device offline, and a new agent on the same data continues the seqs', async () => {
    const dir = join(tmp.dir, 'dev-c');
    const config = await provisionedConfig(hub, 'dev-c', dir, { buffer: { maxBytes: 64 * 1024 * 1024, chunkMaxReadings: 256, chunkMaxDelayMs: 60_000, synchronous: 'full' } });
    const s = new ScriptedSensor('s');
    const first = new Agent(config, { sensors: [s], logger: silentLogger(), clock: new ManualClock(T0) });
    await first.start();
    await waitFor('connection', () => first.stats().connected);
    await waitFor('online', async () => (await hub.store.getDevice('dev-c'))?.online === true);
    s.emit(5000);
    first.flush();
    s.emit(100); // still in memory: lost with the crash, never numbered
    await first.crash();
    assert.equal(first.stats().connected, false);
    await waitFor('the will to mark the device offline', async () => (await hub.store.getDevice('dev-c'))?.online === false);

    const s2 = new ScriptedSensor('s');
    const second = agent(config, [s2]);
    await second.start();
    assert.equal(s2.next, 5000, 'the sensor resumes after the last buffered reading');
    assert.equal(second.stats().lastSeq.s, 5000);
    s2.emit(1000);
    await drained(second);
    await assertStoredExactly(hub, 'dev-c', 's', 6000);
  });
});
