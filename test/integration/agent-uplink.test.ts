/**
 * The uplink against a bare aedes broker run by the test, standing in for the hub where the test
 * needs to misbehave on purpose: a broker that refuses publishes (and so drops the connection),
 * acks for ranges the agent never sent, and a check that every connect signs a fresh password.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Aedes } from 'aedes';
import { parseAgentConfig } from '../../shared/config/agent-config.ts';
import { verifyMqttPassword } from '../../shared/crypto/mqtt-auth.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { decode, encode } from '../../shared/protocol/codec.ts';
import { topicsFor } from '../../shared/protocol/topics.ts';
import { Agent, drained, ScriptedSensor, tempDir, waitFor } from './agent-harness.ts';

const FLEET = 'agent-up';
const DEVICE = 'dev-u';
const topics = topicsFor(FLEET);
const tmp = tempDir('eh-agent-uplink-');
let server: Server | null = null;
let broker: Aedes | null = null;
let agent: Agent | null = null;
after(async () => {
  await agent?.stop();
  await new Promise<void>((r) => (broker ? broker.close(() => r()) : r()));
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  tmp.remove();
});

test('refused publishes drop the connection; the agent reconnects with a fresh password, resends, and ignores unknown acks', async () => {
  const stored = new Set<number>();
  let refuse = 2;
  let lastAuthTs = 0;
  const passwords: string[] = [];
  const dataDir = join(tmp.dir, DEVICE);
  let publicKey: Uint8Array | null = null;

  broker = await Aedes.createBroker({
    authenticate: (_client, username, password, done) => {
      const pw = password?.toString() ?? '';
      passwords.push(pw);
      try {
        lastAuthTs = verifyMqttPassword(FLEET, username ?? '', publicKey!, pw, Date.now(), lastAuthTs);
        done(null, true);
      } catch (e) {
        done(Object.assign(e as Error, { returnCode: 4 }), false);
      }
    },
    authorizePublish: (_client, packet, done) => {
      if (packet.topic === topics.device(DEVICE, 'telemetry') && refuse > 0) {
        refuse -= 1;
        return done(new Error('refused by the test'));
      }
      done(null);
    },
  });
  const b = broker;
  // The test's "hub": stores each seq once and acks every batch it sees.
  b.subscribe(topics.device(DEVICE, 'telemetry'), (packet, cb) => {
    const batch = decode('telemetry', packet.payload as Buffer);
    for (let i = 0; i < batch.readings.length; i++) stored.add(batch.firstSeq + i);
    const ack = encode('ack', { stream: batch.stream, seqFrom: batch.firstSeq, seqTo: batch.firstSeq + batch.readings.length - 1 });
    b.publish({ cmd: 'publish', topic: topics.device(DEVICE, 'ack'), payload: Buffer.from(ack), qos: 1, retain: false, dup: false }, () => cb());
  }, () => undefined);
  server = createServer(b.handle);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;

  const config = parseAgentConfig({
    fleet: FLEET, deviceId: DEVICE, profile: 'p', dataDir,
    hub: { mqttUrl: `mqtt://127.0.0.1:${port}` },
    uplink: { reconnectMinMs: 20, reconnectMaxMs: 100, ackTimeoutMs: 1000, batchMaxReadings: 500 },
  });
  const s = new ScriptedSensor('s');
  agent = new Agent(config, { sensors: [s], logger: silentLogger() });
  publicKey = agent.publicKey;
  await agent.start();
  s.emit(5000);
  await drained(agent);

  const st = agent.stats();
  assert.ok(st.reconnects >= 2, `reconnects ${st.reconnects}`);
  assert.ok(st.resends >= 1, `resends ${st.resends}`);
  assert.equal(stored.size, 5000);
  assert.equal(Math.min(...stored), 1);
  assert.equal(Math.max(...stored), 5000);
  assert.equal(new Set(passwords).size, passwords.length, 'every connect signs a new password');
  assert.ok(passwords.length >= 3);

  const before = agent.details().sender!.unknownAcks;
  b.publish({ cmd: 'publish', topic: topics.device(DEVICE, 'ack'), payload: Buffer.from(encode('ack', { stream: 's', seqFrom: 90_000, seqTo: 90_010 })), qos: 1, retain: false, dup: false }, () => undefined);
  b.publish({ cmd: 'publish', topic: topics.device(DEVICE, 'ack'), payload: Buffer.from('not an ack'), qos: 1, retain: false, dup: false }, () => undefined);
  await waitFor('the unknown ack to be counted', () => agent!.details().sender!.unknownAcks === before + 1);
  await waitFor('the bad ack to be counted', () => agent!.details().sender!.badAcks === 1);
  assert.equal(agent.stats().readingsAcked, 5000);
  assert.ok(agent.stats().connected, 'odd acks do not disturb the connection');
});
