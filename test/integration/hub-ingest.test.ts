/**
 * The ingest against a real hub: device state from birth and last will, acks for resends and
 * for event/drift/fl records, missing values, a broker restart and a hub restart.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MqttClient } from 'mqtt';
import { startHub } from '../../cloud-hub/hub.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { decode, encode } from '../../shared/protocol/codec.ts';
import {
  ADMIN_TOKEN, api, connectDevice, expectedValues, FEATURES, password, provisionDevice, publish, scrape, startTestHub, T0,
  telemetry, topic, waitFor, type TestDevice, type TestHub,
} from './hub-helpers.ts';
import mqtt from 'mqtt';

interface DeviceJson { online: boolean; agentVersion: string | null; activeBundle: string | null; readingsStored: number; backlog: number; droppedReadings: number }

function ackCollector(c: MqttClient): Array<{ stream: string; from: number; to: number }> {
  const acks: Array<{ stream: string; from: number; to: number }> = [];
  c.on('message', (_t, payload) => {
    const a = decode('ack', payload);
    acks.push({ stream: a.stream, from: a.seqFrom, to: a.seqTo });
  });
  return acks;
}

describe('hub ingest', () => {
  let h: TestHub;
  let dev: TestDevice;
  const clients: MqttClient[] = [];

  before(async () => {
    h = await startTestHub({ fleet: 'ingest' });
    dev = await provisionDevice(h.hub, 'dev-1');
  });
  after(async () => {
    for (const c of clients) await c.endAsync(true).catch(() => undefined);
    await h?.close();
  });

  it('marks a device online from its birth and offline from its last will', async () => {
    const will = encode('status', { online: false, tsMs: Date.now() });
    const c = await mqtt.connectAsync(h.hub.mqttUrl, {
      clientId: dev.id, username: dev.id, password: password(h.fleet, dev), reconnectPeriod: 0, protocolVersion: 4,
      will: { topic: topic(h.fleet, dev.id, 'status'), payload: Buffer.from(will), qos: 1, retain: true },
    });
    await c.publishAsync(topic(h.fleet, dev.id, 'status'), Buffer.from(encode('status', { online: true, agentVersion: '1.2.3', profile: 'test-profile', activeBundle: 'b-1', tsMs: Date.now() + 1 })), { qos: 1, retain: true });
    await waitFor('device online', async () => (await api<DeviceJson>(h.hub.httpUrl, `/api/v1/devices/${dev.id}`)).body.online);
    const d = (await api<DeviceJson>(h.hub.httpUrl, `/api/v1/devices/${dev.id}`)).body;
    assert.equal(d.agentVersion, '1.2.3');
    assert.equal(d.activeBundle, 'b-1');
    assert.equal((await scrape(h.hub.httpUrl)).get('edgehive_devices_online'), 1);
    c.stream.destroy(); // no DISCONNECT: the broker publishes the will
    await waitFor('device offline', async () => !(await api<DeviceJson>(h.hub.httpUrl, `/api/v1/devices/${dev.id}`)).body.online);
    assert.equal(h.hub.metrics().devicesOnline, 0);
  });

  it('acks a resent batch again and stores it once', async () => {
    const c = await connectDevice(h.hub.mqttUrl, h.fleet, dev);
    clients.push(c);
    await c.subscribeAsync(topic(h.fleet, dev.id, 'ack'), { qos: 1 });
    const acks = ackCollector(c);
    await publish(c, topic(h.fleet, dev.id, 'telemetry'), telemetry(1, 50));
    await publish(c, topic(h.fleet, dev.id, 'telemetry'), telemetry(1, 50));
    await publish(c, topic(h.fleet, dev.id, 'telemetry'), telemetry(51, 10));
    await waitFor('three acks', () => acks.length === 3);
    assert.deepEqual(acks.map((a) => [a.stream, a.from, a.to]).sort(), [['main', 1, 50], ['main', 1, 50], ['main', 51, 60]]);
    assert.equal(await h.hub.store.countReadings(dev.id), 60);
    const m = h.hub.metrics();
    assert.equal(m.readingsStored, 60);
    assert.equal(m.duplicates, 50);
    assert.ok(m.ingestLagMs.p99 >= m.ingestLagMs.p50);
  });

  it('stores missing values as missing and reports drops and backlog', async () => {
    const c = clients[0]!;
    const payload = encode('telemetry', {
      stream: 'main', firstSeq: 61, features: FEATURES, droppedTotal: 7, backlog: 3,
      readings: [{ tsMs: T0 + 61_000, values: [1, 0, 3, 0], missing: [1, 3] }],
    });
    await publish(c, topic(h.fleet, dev.id, 'telemetry'), payload);
    await waitFor('reading 61 stored', async () => (await h.hub.store.countReadings(dev.id)) === 61);
    const { body } = await api<{ readings: Array<{ seq: number; values: unknown[] }> }>(h.hub.httpUrl, `/api/v1/devices/${dev.id}/telemetry?from=${T0 + 61_000}`);
    assert.deepEqual(body.readings, [{ stream: 'main', seq: 61, tsMs: T0 + 61_000, values: [1, null, 3, null] }]);
    const d = (await api<DeviceJson>(h.hub.httpUrl, `/api/v1/devices/${dev.id}`)).body;
    assert.equal(d.droppedReadings, 7);
    assert.equal(d.backlog, 3);
    assert.equal((await scrape(h.hub.httpUrl)).get('edgehive_device_dropped_readings_total'), 7);
  });

  it('acks events, drift reports and federated updates by their seq', async () => {
    const c = clients[0]!;
    const acks = ackCollector(c);
    await publish(c, topic(h.fleet, dev.id, 'events'), encode('events', { seq: 4, events: [{ tsMs: T0, model: 'm', score: 0.5 }] }));
    await publish(c, topic(h.fleet, dev.id, 'drift'), encode('drift', { seq: 9, tsMs: T0, features: [{ feature: 'f0', psi: 0.1 }] }));
    await publish(c, topic(h.fleet, dev.id, 'fl'), encode('fl', { seq: 2, roundId: 'r-1', samples: 5 }));
    await publish(c, topic(h.fleet, dev.id, 'reported'), encode('reported', { tsMs: T0 }));
    await waitFor('three record acks', () => acks.length === 3);
    assert.deepEqual(acks.map((a) => `${a.stream}:${a.from}-${a.to}`).sort(), ['drift:9-9', 'events:4-4', 'fl:2-2']);
    const m = await scrape(h.hub.httpUrl);
    assert.equal(m.get('edgehive_records_acked_total{kind="events"}'), 1);
    assert.equal(m.get('edgehive_messages_in_total{kind="reported"}'), 1);
  });

  it('survives a broker restart: clients are dropped, the port comes back, ingest goes on', async () => {
    const c = clients[0]!;
    const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
    await h.hub.restartBroker(50);
    await closed;
    const again = await connectDevice(h.hub.mqttUrl, h.fleet, dev);
    clients.push(again);
    await again.subscribeAsync(topic(h.fleet, dev.id, 'ack'), { qos: 1 });
    const acks = ackCollector(again);
    await publish(again, topic(h.fleet, dev.id, 'telemetry'), telemetry(62, 10));
    await waitFor('ack after the restart', () => acks.some((a) => a.to === 71));
    assert.equal(await h.hub.store.countReadings(dev.id), 71);
  });
});

describe('hub restart', () => {
  it('keeps data, the admin token and the seq bound across a restart on the same data dir', async () => {
    const h = await startTestHub({ fleet: 'restart' });
    let hub2: Awaited<ReturnType<typeof startHub>> | null = null;
    try {
      const d = await provisionDevice(h.hub, 'dev-r');
      const c = await connectDevice(h.hub.mqttUrl, h.fleet, d);
      await publish(c, topic(h.fleet, d.id, 'telemetry'), telemetry(1, 20));
      await waitFor('20 stored', async () => (await h.hub.store.countReadings(d.id)) === 20);
      await c.endAsync(true);
      await h.hub.close();

      hub2 = await startHub({ dataDir: h.dir, fleet: h.fleet, mqtt: { port: 0 }, http: { port: 0 }, bootstrapAdminToken: ADMIN_TOKEN, ingest: { maxSeqJump: 100 } }, { logger: silentLogger() });
      assert.equal(hub2.adminToken, null, 'the admin token exists already');
      const c2 = await connectDevice(hub2.mqttUrl, h.fleet, d);
      await c2.subscribeAsync(topic(h.fleet, d.id, 'ack'), { qos: 1 });
      const acks = ackCollector(c2);
      await publish(c2, topic(h.fleet, d.id, 'telemetry'), telemetry(11, 20)); // 11..20 resent, 21..30 new
      await publish(c2, topic(h.fleet, d.id, 'telemetry'), telemetry(500, 1)); // 500 > 30 + 100
      await waitFor('ack of the resend', () => acks.some((a) => a.to === 30));
      await waitFor('seq reject', () => (hub2!.metrics().rejects.seq_out_of_range ?? 0) === 1);
      assert.equal(await hub2.store.countReadings(d.id), 30);
      const { body } = await api<{ readings: Array<{ seq: number; values: number[] }> }>(hub2.httpUrl, `/api/v1/devices/${d.id}/telemetry`);
      assert.deepEqual(body.readings.map((r) => r.seq), Array.from({ length: 30 }, (_, i) => i + 1));
      assert.deepEqual(body.readings[29]!.values, expectedValues(30));
      // An agent that dropped 469 readings while offline jumps from 30 to 500: the jump is
      // explained by its drop count, so it is accepted, not wedged forever.
      await publish(c2, topic(h.fleet, d.id, 'telemetry'), telemetry(500, 1, 'main', 469));
      await waitFor('ack of the jump explained by drops', () => acks.some((a) => a.to === 500));
      assert.equal(await hub2.store.countReadings(d.id), 31);
      assert.equal(hub2.metrics().rejects.seq_out_of_range, 1);
      await c2.endAsync(true);
    } finally {
      await hub2?.close();
      await h.close().catch(() => undefined);
    }
  });
});
