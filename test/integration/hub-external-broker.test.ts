/**
 * The hub as a client of an external broker (Mosquitto in CI): telemetry published by a raw
 * client is stored and acked; status comes from the retained birth. Authentication and the ACL
 * are the broker's job in this mode, so the client connects as the broker allows (anonymous in CI).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import mqtt from 'mqtt';
import { decode, encode } from '../../shared/protocol/codec.ts';
import { api, provisionDevice, publish, startTestHub, telemetry, topic, waitFor } from './hub-helpers.ts';

const url = process.env.EDGEHIVE_TEST_MQTT_URL;

test('stores and acks telemetry through an external broker', { skip: !url && 'EDGEHIVE_TEST_MQTT_URL not set' }, async () => {
  // A fleet of its own, so retained or stale messages of other runs on the shared broker stay out.
  const fleet = `t${randomBytes(6).toString('hex')}`;
  const h = await startTestHub({ fleet, mqtt: { url: url! } });
  const c = await mqtt.connectAsync(url!, { clientId: `dev-ext-${fleet}`, reconnectPeriod: 0, protocolVersion: 4 });
  try {
    assert.equal(h.hub.mqttUrl, url);
    const d = await provisionDevice(h.hub, 'dev-ext');
    await c.subscribeAsync(topic(fleet, d.id, 'ack'), { qos: 1 });
    const acks: Array<[string, number, number]> = [];
    c.on('message', (_t, p) => {
      const a = decode('ack', p);
      acks.push([a.stream, a.seqFrom, a.seqTo]);
    });
    await publish(c, topic(fleet, d.id, 'status'), encode('status', { online: true, agentVersion: '9.9.9', tsMs: Date.now() }));
    await publish(c, topic(fleet, d.id, 'telemetry'), telemetry(1, 200));
    await publish(c, topic(fleet, d.id, 'telemetry'), telemetry(201, 100));
    await publish(c, topic(fleet, 'not-provisioned', 'telemetry'), telemetry(1, 5));
    await waitFor('acks for 1..300', () => acks.some((a) => a[2] === 300) && acks.some((a) => a[2] === 200));
    assert.equal(await h.hub.store.countReadings(d.id), 300);
    await waitFor('unknown device counted', () => (h.hub.metrics().rejects.unknown_device ?? 0) === 1);
    const dev = await api<{ online: boolean; agentVersion: string }>(h.hub.httpUrl, `/api/v1/devices/${d.id}`);
    assert.equal(dev.body.agentVersion, '9.9.9');
    assert.equal(dev.body.online, true);
    const health = await fetch(`${h.hub.httpUrl}/healthz`);
    assert.equal(health.status, 200);
    const restart = h.hub.restartBroker(0);
    await assert.rejects(restart, /external broker/);
  } finally {
    // Clear the retained status so the shared broker keeps nothing of this run.
    await c.publishAsync(topic(fleet, 'dev-ext', 'status'), Buffer.alloc(0), { qos: 1, retain: true }).catch(() => undefined);
    await c.endAsync();
    await h.close();
  }
});
