/**
 * MQTT over TLS on the embedded broker: a device that trusts the hub's certificate logs in with
 * its ed25519 identity over mqtts:// and its telemetry is stored. The certificate is made by
 * openssl at test time; without openssl the test is skipped, saying so.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import mqtt from 'mqtt';
import { decode } from '../../shared/protocol/codec.ts';
import { password, provisionDevice, publish, startTestHub, telemetry, topic, waitFor } from './hub-helpers.ts';
import { freePort, hasOpenssl, makeTestCertificate } from '../support/net.ts';



test('serves MQTT over TLS with the same device authentication', { skip: !hasOpenssl() && 'openssl not installed' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'edgehive-tls-'));
  const { certFile, keyFile } = makeTestCertificate(dir);
  const tlsPort = await freePort();
  const h = await startTestHub({ fleet: 'tls', mqtt: { port: 0, host: '127.0.0.1', tls: { certFile, keyFile, port: tlsPort } } });
  try {
    const d = await provisionDevice(h.hub, 'tls-dev');
    const c = await mqtt.connectAsync(`mqtts://127.0.0.1:${tlsPort}`, {
      clientId: d.id, username: d.id, password: password(h.fleet, d), reconnectPeriod: 0, protocolVersion: 4,
      ca: readFileSync(certFile), rejectUnauthorized: true,
    });
    await c.subscribeAsync(topic(h.fleet, d.id, 'ack'), { qos: 1 });
    const acked = new Promise<number>((resolve) => c.once('message', (_t, p) => resolve(decode('ack', p).seqTo)));
    await publish(c, topic(h.fleet, d.id, 'telemetry'), telemetry(1, 25));
    assert.equal(await acked, 25);
    await waitFor('25 stored', async () => (await h.hub.store.countReadings(d.id)) === 25);
    await c.endAsync();
    await assert.rejects(mqtt.connectAsync(`mqtts://127.0.0.1:${tlsPort}`, { clientId: 'x', username: 'x', password: 'y', reconnectPeriod: 0, ca: readFileSync(certFile) }));
  } finally {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
