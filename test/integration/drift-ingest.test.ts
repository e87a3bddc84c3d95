/**
 * Drift reports through a real hub: a provisioned device (real MQTT, its signed password)
 * publishes DriftReports, gets an Ack per report only after it is stored, a resent report is
 * stored once (and acked again), and GET /api/v1/drift filters by group, device, feature and
 * time over real HTTP with a viewer token.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MqttClient } from 'mqtt';
import { createToken } from '../../cloud-hub/api/auth.ts';
import type { DriftRow } from '../../cloud-hub/store/drift-store.ts';
import { generateKeyPair, toBase64 } from '../../shared/crypto/ed25519.ts';
import { decode, encode } from '../../shared/protocol/codec.ts';
import { systemClock } from '../../shared/time/clock.ts';
import { api, connectDevice, publish, startTestHub, T0, topic, waitFor, type TestDevice, type TestHub } from './hub-helpers.ts';

interface DriftPage { count: number; truncated: boolean; rows: DriftRow[] }

function report(seq: number, features: string[], alarm = false): Uint8Array {
  return encode('drift', {
    seq, tsMs: T0 + seq * 60_000, model: 'pump-ae', modelVersion: '4', outputJs: 0.125, samples: 900, alarm,
    features: features.map((feature, i) => ({ feature, psi: 0.1 * (i + 1), ks: 0.25, missingRate: 0.5, outOfRangeRate: 0, stuck: feature === 'vib', samples: 900 })),
  });
}

describe('drift reports at the hub', () => {
  let h: TestHub;
  let viewer: string;
  const clients: MqttClient[] = [];
  const devices: TestDevice[] = [];
  const acks = new Map<string, number[]>();

  async function device(id: string, group: string): Promise<MqttClient> {
    const keys = generateKeyPair();
    await h.hub.provision({ id, group, profile: 'test-profile', publicKey: toBase64(keys.publicKey) });
    const d: TestDevice = { id, keys, lastTs: 0 };
    devices.push(d);
    const c = await connectDevice(h.hub.mqttUrl, h.fleet, d);
    clients.push(c);
    acks.set(id, []);
    c.on('message', (_t, payload) => {
      const a = decode('ack', payload);
      if (a.stream === 'drift') acks.get(id)!.push(a.seqFrom);
    });
    await c.subscribeAsync(topic(h.fleet, id, 'ack'), { qos: 1 });
    return c;
  }

  const drift = (query: string): Promise<DriftPage> => api<DriftPage>(h.hub.httpUrl, `/api/v1/drift${query}`, viewer).then((r) => {
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  });

  before(async () => {
    h = await startTestHub({ fleet: 'drift' });
    viewer = (await createToken(h.hub.store, systemClock, 'screen', 'viewer')).token;
  });
  after(async () => {
    for (const c of clients) await c.endAsync(true).catch(() => undefined);
    await h?.close();
  });

  it('stores each report after which it is acked, and a resend once', async () => {
    const a = await device('pump-a', 'north');
    await publish(a, topic(h.fleet, 'pump-a', 'drift'), report(1, ['temp', 'vib']));
    await waitFor('ack of report 1', () => acks.get('pump-a')!.includes(1));
    // Acked means committed: the rows are there at the moment the ack arrives.
    assert.equal((await h.hub.store.drift.queryDrift({ device: 'pump-a', limit: 10 })).length, 2);

    await publish(a, topic(h.fleet, 'pump-a', 'drift'), report(1, ['temp', 'vib'])); // the agent's resend
    await publish(a, topic(h.fleet, 'pump-a', 'drift'), report(2, ['temp', 'vib'], true));
    await waitFor('three acks', () => acks.get('pump-a')!.length === 3);
    assert.deepEqual([...acks.get('pump-a')!].sort(), [1, 1, 2]);
    const rows = await h.hub.store.drift.queryDrift({ device: 'pump-a', limit: 10 });
    assert.deepEqual(rows.map((r) => `${r.seq}/${r.feature}`), ['2/temp', '2/vib', '1/temp', '1/vib']);
    const vib = rows.find((r) => r.seq === 2 && r.feature === 'vib')!;
    assert.equal(vib.stuck, true);
    assert.equal(vib.alarm, true);
    assert.equal(vib.model, 'pump-ae');
    assert.equal(vib.modelVersion, '4');
    assert.equal(vib.tsMs, T0 + 120_000);
    assert.ok(Math.abs(vib.psi - 0.2) < 1e-12);
    assert.equal(vib.samples, 900);
  });

  it('stores a report with only output drift as one row', async () => {
    await publish(clients[0]!, topic(h.fleet, 'pump-a', 'drift'), report(3, []));
    await waitFor('ack of report 3', () => acks.get('pump-a')!.includes(3));
    const rows = await h.hub.store.drift.queryDrift({ device: 'pump-a', feature: '', limit: 10 });
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.outputJs, 0.125);
    assert.equal(rows[0]!.samples, 900);
  });

  it('GET /api/v1/drift filters by group, device, feature and time, newest first', async () => {
    const b = await device('pump-b', 'south');
    await publish(b, topic(h.fleet, 'pump-b', 'drift'), report(1, ['temp', 'amps']));
    await publish(b, topic(h.fleet, 'pump-b', 'drift'), report(5, ['temp']));
    await waitFor('pump-b acks', () => acks.get('pump-b')!.length === 2);

    const all = await drift('');
    assert.equal(all.count, 8);
    assert.deepEqual(all.rows.map((r) => r.tsMs), [...all.rows.map((r) => r.tsMs)].sort((x, y) => y - x));
    assert.deepEqual((await drift('?device=pump-b')).rows.map((r) => `${r.seq}/${r.feature}`), ['5/temp', '1/amps', '1/temp']);
    assert.deepEqual((await drift('?feature=temp&group=north')).rows.map((r) => `${r.device}/${r.seq}`), ['pump-a/2', 'pump-a/1']);
    assert.deepEqual((await drift('?group=south&feature=amps')).rows.map((r) => r.device), ['pump-b']);
    const from = new Date(T0 + 2 * 60_000).toISOString();
    assert.deepEqual((await drift(`?from=${from}&to=${T0 + 3 * 60_000}`)).rows.map((r) => `${r.device}/${r.seq}/${r.feature}`), ['pump-a/3/', 'pump-a/2/temp', 'pump-a/2/vib']);
    const cut = await drift('?limit=2');
    assert.equal(cut.count, 2);
    assert.equal(cut.truncated, true);
  });

  it('refuses bad queries and callers without a token', async () => {
    const bad = await api<{ error: { code: string } }>(h.hub.httpUrl, '/api/v1/drift?from=yesterday', viewer);
    assert.equal(bad.status, 400);
    const backwards = await api<{ error: { code: string } }>(h.hub.httpUrl, `/api/v1/drift?from=${T0 + 10}&to=${T0}`, viewer);
    assert.equal(backwards.status, 400);
    assert.equal(backwards.body.error.code, 'EH_BAD_REQUEST');
    const res = await fetch(`${h.hub.httpUrl}/api/v1/drift`);
    assert.equal(res.status, 401);
  });
});
