/**
 * Full disk at the agent: with a small buffer.maxBytes and no hub, a flood of readings plus a few
 * records. The file stays inside the bound, the oldest telemetry goes first, the records stay,
 * the counters add up; then the hub comes up and gets the records, the newest telemetry, and the
 * drop count (over its HTTP API).
 */
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import { BUFFER_FILE } from '../../edge-agent/agent-api.ts';
import { parseAgentConfig } from '../../shared/config/agent-config.ts';
import { toBase64 } from '../../shared/crypto/ed25519.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { encode } from '../../shared/protocol/codec.ts';
import { Agent, drained, freePort, getJson, ScriptedSensor, startTestHub, T0, tempDir, waitFor } from './agent-harness.ts';

const FLEET = 'agent-disk';
const MAX_BYTES = 256 * 1024;
const tmp = tempDir('eh-agent-disk-');
let hub: HubHandle | null = null;
let agent: Agent | null = null;
after(async () => {
  await agent?.stop();
  await hub?.close();
  tmp.remove();
});

function onDisk(dir: string): number {
  const db = join(dir, BUFFER_FILE);
  const wal = `${db}-wal`;
  return statSync(db).size + (existsSync(wal) ? statSync(wal).size : 0);
}

test('a full buffer drops the oldest telemetry, keeps records, and the drop count reaches the hub', async () => {
  const [mqttPort, httpPort] = [await freePort(), await freePort()];
  const dataDir = join(tmp.dir, 'dev-full');
  const config = parseAgentConfig({
    fleet: FLEET, deviceId: 'dev-full', profile: 'test-profile', dataDir,
    hub: { mqttUrl: `mqtt://127.0.0.1:${mqttPort}` },
    buffer: { maxBytes: MAX_BYTES, chunkMaxReadings: 256, chunkMaxDelayMs: 50 },
    uplink: { reconnectMinMs: 50, reconnectMaxMs: 200, ackTimeoutMs: 2000 },
  });
  const s = new ScriptedSensor('s');
  agent = new Agent(config, { sensors: [s], logger: silentLogger() });
  await agent.start();

  // The network is down: nothing listens on the hub's port.
  const recordSeqs: number[] = [];
  let maxSeen = 0;
  for (let round = 0; round < 100; round++) {
    s.emit(1000);
    agent.flush();
    if (round % 20 === 10) {
      recordSeqs.push(agent.appendRecord('events', (seq, tsMs) => encode('events', { seq, events: [{ tsMs: Math.max(tsMs, T0), model: 'm', score: round }] })));
    }
    maxSeen = Math.max(maxSeen, onDisk(dataDir));
  }
  assert.ok(maxSeen <= MAX_BYTES, `the buffer reached ${maxSeen} bytes on disk, bound ${MAX_BYTES}`);
  assert.deepEqual(recordSeqs, [1, 2, 3, 4, 5]);

  const st = agent.stats();
  const d = agent.details().outbox!;
  assert.equal(st.connected, false);
  assert.equal(st.lastSeq.s, 100_000);
  const dropped = st.dropped.s!;
  assert.ok(dropped > 80_000, `dropped ${dropped}`);
  assert.equal(dropped + st.outboxReadings, 100_000, 'every reading is either kept or counted as dropped');
  assert.equal(d.droppedReadings, dropped);
  assert.equal(st.outboxRecords - 5, Math.ceil(st.outboxReadings / 256), 'telemetry chunks plus the five records wait');

  // The hub comes up on the agent's port; the device is provisioned with its key.
  hub = await startTestHub({ dataDir: join(tmp.dir, 'hub'), fleet: FLEET, mqttPort, httpPort });
  await hub.provision({ id: 'dev-full', profile: 'test-profile', publicKey: toBase64(agent.publicKey) });
  await waitFor('the agent to connect', () => agent!.stats().connected);
  await drained(agent);

  assert.equal(agent.details().outbox!.recordsAcked, 5, 'all five records were delivered');
  // Messages, not records: a record resent after a late ack (a loaded machine) arrives twice.
  assert.ok((hub.metrics().messagesIn.events ?? 0) >= 5, 'the five records reached the hub');
  // Oldest first: the hub holds exactly the newest readings, dropped+1 .. 100000.
  const page = await hub.store.queryTelemetry('dev-full', { stream: 's', limit: 200_000 });
  const seqs = page.readings.map((r) => r.seq).sort((a, b) => a - b);
  assert.equal(seqs.length, 100_000 - dropped);
  assert.equal(seqs[0], dropped + 1);
  assert.equal(seqs.at(-1), 100_000);
  for (const r of page.readings) assert.equal(r.values[0], r.seq - 1);

  const device = await getJson(`${hub.httpUrl}/api/v1/devices/dev-full`);
  assert.equal(device.droppedReadings, dropped, 'the hub reports the drop count');
});
