/**
 * The hub's HTTP API on a real SQLite store: through fastify's inject, plus real HTTP requests.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { createToken, ensureAdminToken, hashToken } from '../../cloud-hub/api/auth.ts';
import { buildApi, listenApi } from '../../cloud-hub/api/server.ts';
import { DeviceCache } from '../../cloud-hub/devices/device-cache.ts';
import { provisionDevice } from '../../cloud-hub/devices/provision.ts';
import { HubMetrics } from '../../cloud-hub/metrics/hub-metrics.ts';
import { SqliteStore } from '../../cloud-hub/store/sqlite-store.ts';
import { generateKeyPair, toBase64 } from '../../shared/crypto/ed25519.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { ManualClock } from '../../shared/time/clock.ts';

const T0 = Date.UTC(2026, 0, 1);
const key = () => toBase64(generateKeyPair().publicKey);

describe('hub API', () => {
  let dir: string;
  let store: SqliteStore;
  let app: FastifyInstance;
  let admin: string;
  let operator: string;
  let viewer: string;
  const clock = new ManualClock(T0);

  const call = async (opts: InjectOptions & { token?: string | null }) => {
    const { token, ...rest } = opts;
    const headers = { ...(rest.headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const res = await app.inject({ ...rest, headers });
    return { status: res.statusCode, body: String(res.headers['content-type'] ?? '').includes('json') ? res.json() : res.body, headers: res.headers };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'edgehive-api-test-'));
    store = new SqliteStore({ path: join(dir, 'hub.db') });
    await store.init();
    const devices = new DeviceCache(store, clock);
    admin = (await ensureAdminToken(store, clock))!;
    operator = (await createToken(store, clock, 'ops', 'operator')).token;
    viewer = (await createToken(store, clock, 'screen', 'viewer')).token;
    const ctx = { store, devices, clock, fleet: 'api', mqttUrl: 'mqtt://hub.example:1883' };
    app = buildApi({
      store, metrics: new HubMetrics(), clock, logger: silentLogger(),
      provision: (p, actor) => provisionDevice(ctx, p, actor),
      brokerHealthy: () => true,
    });
    await app.ready();
  });

  after(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes one admin token on first start and stores only its hash', async () => {
    assert.match(admin, /^eh_[A-Za-z0-9_-]{43}$/);
    assert.equal((await store.findTokenByHash(hashToken(admin)))?.role, 'admin');
    assert.equal(await ensureAdminToken(store, clock), null, 'a second start makes no new token');
  });

  it('answers 401 without a token or with an unknown one, 403 for a role too low', async () => {
    const none = await call({ method: 'GET', url: '/api/v1/devices' });
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'EH_API_UNAUTHORIZED');
    assert.match(String(none.headers['www-authenticate']), /^Bearer/);
    assert.equal((await call({ method: 'GET', url: '/api/v1/devices', token: 'eh_nope' })).status, 401);
    const asViewer = await call({ method: 'POST', url: '/api/v1/devices', token: viewer, payload: { id: 'x', profile: 'p', publicKey: key() } });
    assert.equal(asViewer.status, 403);
    assert.equal(asViewer.body.error.code, 'EH_API_FORBIDDEN');
    assert.equal((await call({ method: 'POST', url: '/api/v1/tokens', token: operator, payload: { name: 'n', role: 'viewer' } })).status, 403);
  });

  it('provisions a device, returns its agent config, and audits it', async () => {
    const publicKey = key();
    const res = await call({ method: 'POST', url: '/api/v1/devices', token: operator, payload: { id: 'pump-1', group: 'plant-a', profile: 'rpi4', publicKey } });
    assert.equal(res.status, 201);
    assert.equal(res.body.device.id, 'pump-1');
    assert.equal(res.body.device.publicKey, publicKey);
    assert.equal(res.body.device.online, false);
    assert.deepEqual(res.body.agentConfig, { fleet: 'api', deviceId: 'pump-1', group: 'plant-a', profile: 'rpi4', hub: { mqttUrl: 'mqtt://hub.example:1883', rejectUnauthorized: true } });
    const audit = await store.listAudit(10);
    assert.ok(audit.some((e) => e.action === 'device.provision' && e.target === 'pump-1' && e.actor === 'token:ops'));
    const again = await call({ method: 'POST', url: '/api/v1/devices', token: operator, payload: { id: 'pump-1', group: 'plant-a', profile: 'rpi4', publicKey } });
    assert.equal(again.status, 200, 'the same key again is idempotent');
    const conflict = await call({ method: 'POST', url: '/api/v1/devices', token: operator, payload: { id: 'pump-1', profile: 'rpi4', publicKey: key() } });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.error.code, 'EH_CONFLICT');
  });

  it('refuses a bad provisioning body with 400 naming the field', async () => {
    for (const payload of [
      { id: 'bad id!', profile: 'p', publicKey: key() },
      { id: 'ok', profile: 'p', publicKey: 'AAAA' },
      { id: 'ok', profile: 'p' },
      { id: 'ok', profile: 'p', publicKey: key(), extra: 1 },
    ]) {
      const res = await call({ method: 'POST', url: '/api/v1/devices', token: admin, payload });
      assert.equal(res.status, 400, JSON.stringify(payload));
      assert.equal(res.body.error.code, 'EH_BAD_REQUEST');
    }
    const notJson = await call({ method: 'POST', url: '/api/v1/devices', token: admin, payload: '{nope', headers: { 'content-type': 'application/json' } });
    assert.equal(notJson.status, 400);
  });

  it('lists devices with filters and paging, and gets one; 404 names the unknown id', async () => {
    await call({ method: 'POST', url: '/api/v1/devices', token: admin, payload: { id: 'hvac-1', group: 'plant-b', profile: 'jetson', publicKey: key() } });
    await call({ method: 'POST', url: '/api/v1/devices', token: admin, payload: { id: 'hvac-2', group: 'plant-b', profile: 'jetson', publicKey: key() } });
    await store.setDeviceStatus('hvac-2', { online: true, atMs: T0 });
    const all = await call({ method: 'GET', url: '/api/v1/devices', token: viewer });
    assert.deepEqual(all.body.devices.map((d: { id: string }) => d.id), ['hvac-1', 'hvac-2', 'pump-1']);
    const b = await call({ method: 'GET', url: '/api/v1/devices?group=plant-b&online=true', token: viewer });
    assert.deepEqual(b.body.devices.map((d: { id: string }) => d.id), ['hvac-2']);
    const page = await call({ method: 'GET', url: '/api/v1/devices?profile=jetson&limit=1&offset=1', token: viewer });
    assert.deepEqual(page.body.devices.map((d: { id: string }) => d.id), ['hvac-2']);
    const one = await call({ method: 'GET', url: '/api/v1/devices/hvac-1', token: viewer });
    assert.equal(one.status, 200);
    assert.equal(one.body.group, 'plant-b');
    const missing = await call({ method: 'GET', url: '/api/v1/devices/nobody', token: viewer });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'EH_NOT_FOUND');
    assert.match(missing.body.error.message, /nobody/);
    assert.equal((await call({ method: 'GET', url: '/api/v1/devices?limit=0', token: viewer })).status, 400);
  });

  it('queries telemetry by time range (epoch ms or ISO 8601) and limit, with null for missing values', async () => {
    const readings = Array.from({ length: 20 }, (_, i) => ({ tsMs: T0 + i * 1000, values: Float64Array.from([i, i % 5 === 0 ? Number.NaN : i / 2]) }));
    await store.writeTelemetry([{ device: 'pump-1', stream: 'pump', firstSeq: 1, features: ['a', 'b'], readings, droppedTotal: 0, backlog: 0, receivedAtMs: T0 }]);
    const q = async (query: string) => call({ method: 'GET', url: `/api/v1/devices/pump-1/telemetry${query}`, token: viewer });
    const all = await q('');
    assert.equal(all.status, 200);
    assert.equal(all.body.count, 20);
    assert.deepEqual(all.body.features, { pump: ['a', 'b'] });
    assert.deepEqual(all.body.readings[0], { stream: 'pump', seq: 1, tsMs: T0, values: [0, null] });
    const range = await q(`?from=${T0 + 5000}&to=${T0 + 9000}`);
    assert.deepEqual(range.body.readings.map((r: { seq: number }) => r.seq), [6, 7, 8, 9, 10]);
    const iso = await q(`?from=${new Date(T0 + 5000).toISOString()}&to=${new Date(T0 + 9000).toISOString()}&limit=2`);
    assert.deepEqual(iso.body.readings.map((r: { seq: number }) => r.seq), [6, 7]);
    assert.equal(iso.body.truncated, true);
    assert.equal((await q('?stream=other')).body.count, 0);
    for (const bad of ['?from=yesterday', '?limit=10001', `?from=${T0 + 2000}&to=${T0}`]) {
      const res = await q(bad);
      assert.equal(res.status, 400, bad);
      assert.equal(res.body.error.code, 'EH_BAD_REQUEST');
    }
    assert.equal((await call({ method: 'GET', url: '/api/v1/devices/nobody/telemetry', token: viewer })).status, 404);
  });

  it('lets an admin create tokens that work with their role', async () => {
    const res = await call({ method: 'POST', url: '/api/v1/tokens', token: admin, payload: { name: 'grafana', role: 'viewer' } });
    assert.equal(res.status, 201);
    const t = res.body.token as string;
    assert.equal((await store.findTokenByHash(hashToken(t)))?.name, 'grafana');
    assert.equal((await call({ method: 'GET', url: '/api/v1/devices', token: t })).status, 200);
    assert.equal((await call({ method: 'POST', url: '/api/v1/devices', token: t, payload: { id: 'z', profile: 'p', publicKey: key() } })).status, 403);
    assert.equal((await call({ method: 'POST', url: '/api/v1/tokens', token: admin, payload: { name: 'x', role: 'root' } })).status, 400);
  });

  it('serves /healthz, /metrics and the OpenAPI document without a token; unknown routes are JSON 404s', async () => {
    const health = await call({ method: 'GET', url: '/healthz' });
    assert.deepEqual(health.body, { status: 'ok', store: 'ok', broker: 'ok' });
    const metrics = await call({ method: 'GET', url: '/metrics' });
    assert.match(String(metrics.headers['content-type']), /^text\/plain; version=0.0.4/);
    assert.match(metrics.body, /^edgehive_readings_stored_total 0$/m);
    const doc = await call({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(doc.body.openapi, '3.0.3');
    assert.ok(doc.body.paths['/api/v1/devices/{id}/telemetry'].get.parameters.some((p: { name: string }) => p.name === 'from'));
    assert.deepEqual(doc.body.paths['/api/v1/devices'].post.security, [{ bearer: [] }]);
    const nothing = await call({ method: 'GET', url: '/api/v1/nothing' });
    assert.equal(nothing.status, 404);
    assert.equal(nothing.body.error.code, 'EH_NOT_FOUND');
  });

  it('works over real HTTP', async () => {
    const http = buildApi({
      store, metrics: new HubMetrics(), clock, logger: silentLogger(),
      provision: () => Promise.reject(new Error('not used')), brokerHealthy: () => false,
    });
    try {
      const base = await listenApi(http, '127.0.0.1', 0);
      const unauth = await fetch(`${base}/api/v1/devices`);
      assert.equal(unauth.status, 401);
      assert.equal(((await unauth.json()) as { error: { code: string } }).error.code, 'EH_API_UNAUTHORIZED');
      const listed = await fetch(`${base}/api/v1/devices?group=plant-b`, { headers: { authorization: `Bearer ${viewer}` } });
      assert.equal(listed.status, 200);
      assert.equal(((await listed.json()) as { devices: unknown[] }).devices.length, 2);
      const health = await fetch(`${base}/healthz`);
      assert.equal(health.status, 503, 'a broker that is down makes the hub unhealthy');
      const crash = await fetch(`${base}/api/v1/devices`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ id: 'q', profile: 'p', publicKey: key() }) });
      assert.equal(crash.status, 500);
      assert.deepEqual(await crash.json(), { error: { code: 'EH_INTERNAL', message: 'internal error; the hub log has the details' } });
    } finally {
      await http.close();
    }
  });
});
