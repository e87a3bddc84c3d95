/**
 * Bad input at a real hub (embedded broker, SQLite, random ports): each kind is refused and
 * counted in /metrics, the hub stays up, and a good device's data sent before, between and after
 * is stored completely and acked only once it can be read back through the API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MqttClient } from 'mqtt';
import { generateKeyPair } from '../../shared/crypto/ed25519.ts';
import { makeMqttPassword } from '../../shared/crypto/mqtt-auth.ts';
import { decode, encode } from '../../shared/protocol/codec.ts';
import { Limits } from '../../shared/protocol/limits.ts';
import { Messages } from '../../shared/protocol/messages.ts';
import {
  api, connectDevice, connectRaw, expectedValues, FEATURES, password, provisionDevice, publish, scrape, startTestHub, T0,
  telemetry, topic, waitFor, type TestDevice, type TestHub,
} from './hub-helpers.ts';

interface Page { count: number; readings: Array<{ seq: number; tsMs: number; values: Array<number | null> }> }

describe('bad input at the hub', () => {
  let h: TestHub;
  let good: TestDevice;
  let other: TestDevice;
  let goodClient: MqttClient;
  const acked: Array<{ from: number; to: number }> = [];
  const ackChecks: Array<Promise<void>> = [];
  const clients: MqttClient[] = [];

  const rejects = async (reason: string) => (await scrape(h.hub.httpUrl)).get(`edgehive_rejects_total{reason="${reason}"}`) ?? 0;
  const expectReject = async (reason: string, before: number) => {
    await waitFor(`a ${reason} reject in /metrics`, async () => (await rejects(reason)) > before);
  };
  const sendGood = async (firstSeq: number, n: number) => {
    await publish(goodClient, topic(h.fleet, good.id, 'telemetry'), telemetry(firstSeq, n));
  };
  const refusedConnect = async (clientId: string, username: string, pass: string) => {
    await assert.rejects(connectRaw(h.hub.mqttUrl, clientId, username, pass), /Not authorized|Bad username or password/);
  };

  before(async () => {
    h = await startTestHub({ fleet: 'bad-input' });
    good = await provisionDevice(h.hub, 'good-1');
    other = await provisionDevice(h.hub, 'other-1');
    goodClient = await connectDevice(h.hub.mqttUrl, h.fleet, good);
    clients.push(goodClient);
    await goodClient.subscribeAsync(topic(h.fleet, good.id, 'ack'), { qos: 1 });
    goodClient.on('message', (_t, payload) => {
      const ack = decode('ack', payload);
      acked.push({ from: ack.seqFrom, to: ack.seqTo });
      // Acked means committed: the range must already be readable through the API.
      ackChecks.push((async () => {
        const q = `/api/v1/devices/${good.id}/telemetry?from=${T0 + ack.seqFrom * 1000}&to=${T0 + ack.seqTo * 1000}&limit=10000`;
        const { status, body } = await api<Page>(h.hub.httpUrl, q);
        assert.equal(status, 200);
        assert.equal(body.count, ack.seqTo - ack.seqFrom + 1, `acked ${ack.seqFrom}..${ack.seqTo} but the API returns ${body.count} readings`);
      })());
    });
    await sendGood(1, 100); // before
  });

  after(async () => {
    for (const c of clients) await c.endAsync(true).catch(() => undefined);
    await h?.close();
  });

  it('refuses an unknown device at connect and counts it', async () => {
    const ghost: TestDevice = { id: 'ghost-1', keys: generateKeyPair(), lastTs: 0 };
    const n = await rejects('unknown_device');
    await refusedConnect(ghost.id, ghost.id, password(h.fleet, ghost));
    await expectReject('unknown_device', n);
  });

  it('refuses a password signed by another key and counts it', async () => {
    const n = await rejects('bad_signature');
    await refusedConnect(other.id, other.id, password(h.fleet, other, generateKeyPair().seed));
    await expectReject('bad_signature', n);
  });

  it('refuses a replayed or stale password and garbage credentials', async () => {
    const stale = await rejects('stale_auth');
    await refusedConnect(other.id, other.id, makeMqttPassword(h.fleet, other.id, other.keys.seed, Date.now() - 3_600_000));
    await expectReject('stale_auth', stale);
    const once = password(h.fleet, other);
    const first = await connectRaw(h.hub.mqttUrl, other.id, other.id, once);
    await first.endAsync();
    const replays = await rejects('stale_auth');
    await refusedConnect(other.id, other.id, once); // the same signed timestamp again: a replay
    await expectReject('stale_auth', replays);
    const malformed = await rejects('malformed_auth');
    await refusedConnect(other.id, other.id, 'not-a-signature');
    await expectReject('malformed_auth', malformed);
  });

  it('keeps storing the good device between bad connections', async () => {
    await sendGood(101, 100);
  });

  it('drops a device that publishes under another device\'s id, and stores nothing of it', async () => {
    const n = await rejects('acl_denied');
    const c = await connectDevice(h.hub.mqttUrl, h.fleet, other);
    clients.push(c);
    const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
    c.publish(topic(h.fleet, good.id, 'telemetry'), Buffer.from(telemetry(5001, 10)), { qos: 1 });
    await closed; // the broker closes a connection that breaks the ACL [MQTT-3.3.5-2]
    await expectReject('acl_denied', n);
    c.end(true);
  });

  it('counts a payload that is not protobuf, an oversized one, NaN values and a seq far out of range', async () => {
    const c = await connectDevice(h.hub.mqttUrl, h.fleet, other);
    clients.push(c);
    const own = topic(h.fleet, other.id, 'telemetry');
    const cases: Array<[string, Uint8Array]> = [
      ['not_protobuf', Buffer.from('{"stream":"main","values":[1,2,3]} is JSON, not protobuf')],
      ['oversize', Buffer.alloc(Limits.maxPayloadBytes + 1, 7)],
      ['non_finite', Messages.telemetry.encode({
        stream: 'main', firstSeq: 1, features: FEATURES,
        readings: [{ tsMs: T0, values: [1, Number.NaN, 3, 4] }],
      }).finish()],
      ['seq_out_of_range', encode('telemetry', { stream: 'main', firstSeq: 1_000_000_000_000, features: FEATURES, readings: [{ tsMs: T0, values: [1, 2, 3, 4] }] })],
    ];
    for (const [reason, payload] of cases) {
      const n = await rejects(reason);
      await publish(c, own, payload);
      await expectReject(reason, n);
    }
    assert.equal(c.connected, true, 'bad payloads are refused one by one; the connection stays');
    const { body } = await api<Page>(h.hub.httpUrl, `/api/v1/devices/${other.id}/telemetry`);
    assert.equal(body.count, 0, 'nothing of the bad payloads was stored');
  });

  it('stays up and stores every reading of the good device exactly once', async () => {
    await sendGood(201, 100); // after
    await waitFor('acks up to seq 300', () => acked.some((a) => a.to === 300));
    await Promise.all(ackChecks);
    const health = await fetch(`${h.hub.httpUrl}/healthz`);
    assert.equal(health.status, 200);
    const { body } = await api<Page>(h.hub.httpUrl, `/api/v1/devices/${good.id}/telemetry?limit=10000`);
    assert.deepEqual(body.readings.map((r) => r.seq), Array.from({ length: 300 }, (_, i) => i + 1));
    for (const r of body.readings) {
      assert.equal(r.tsMs, T0 + r.seq * 1000);
      assert.deepEqual(r.values, expectedValues(r.seq));
    }
    assert.equal(await h.hub.store.countReadings(good.id), 300);
    const m = h.hub.metrics();
    for (const reason of ['unknown_device', 'bad_signature', 'stale_auth', 'malformed_auth', 'acl_denied', 'not_protobuf', 'oversize', 'non_finite', 'seq_out_of_range']) {
      assert.ok((m.rejects[reason] ?? 0) >= 1, `reject reason ${reason} counted`);
    }
    assert.equal(m.readingsStored, 300);
  });
});
