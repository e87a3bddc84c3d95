/**
 * Ending and resuming shadow evaluations on a real hub (embedded broker, SQLite, signed bundles,
 * ONNX Runtime for the held-out gate, real HTTP) with devices that are real MQTT clients.
 * An operator's stop takes the challenger off its devices (retained desired states without the
 * shadow, its chunks cleared from the broker), audits shadow.stopped and writes the lineage; a
 * viewer may not stop, and there is nothing to stop twice. A running evaluation survives a hub
 * restart: the devices find their shadow again and figures reported afterwards decide it.
 * On SQLite, and on PostgreSQL (a fresh database, dropped afterwards) when EDGEHIVE_TEST_PG_URL
 * names a server.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, test } from 'node:test';
import { createToken } from '../../cloud-hub/api/auth.ts';
import { startHub } from '../../cloud-hub/hub.ts';
import type { HubConfigInput } from '../../cloud-hub/config/hub-config.ts';
import type { HubHandle } from '../../cloud-hub/hub-api.ts';
import { PgDb } from '../../cloud-hub/store/postgres-db.ts';
import type { ShadowEvaluationRecord, ShadowState } from '../../cloud-hub/store/shadow-store.ts';
import { generateKeyPair, toBase64 } from '../../shared/crypto/ed25519.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { systemClock } from '../../shared/time/clock.ts';
import { ADMIN_TOKEN, waitFor } from './hub-helpers.ts';
import { FEATURES, GOOD, MODEL, register, rows, ShadowDevice } from './shadow-fleet.ts';

const FLEET = 'shadowstop';

interface Place { store: HubConfigInput['store']; cleanup(): Promise<void> }

/** A database of its own: the hub keeps its tables in the public schema. */
async function postgresPlace(url: string): Promise<Place> {
  const name = `eh_test_shadow_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new PgDb({ url, poolSize: 1, connectTimeoutMs: 10_000 });
  await admin.query('creating a test database', `CREATE DATABASE "${name}"`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    store: { kind: 'postgres', url: u.toString() },
    cleanup: async () => {
      try {
        await admin.query('dropping a test database', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

function suite(name: string, place: () => Promise<Place>): void {
  describe(`shadow evaluation: stop and resume (${name})`, () => {
    let dir: string;
    let where: Place;
    let hub: HubHandle;
    let viewer: string;
    let operator: string;
    let champion: number;
    let challenger: number;
    const devices: ShadowDevice[] = [];

    const start = () => startHub(
      { dataDir: dir, fleet: FLEET, mqtt: { port: 0 }, http: { port: 0 }, bootstrapAdminToken: ADMIN_TOKEN, ...(where.store ? { store: where.store } : {}) },
      { logger: silentLogger() },
    );
    const call = async <T = ShadowEvaluationRecord>(method: string, path: string, token = operator, body?: unknown) => {
      const res = await fetch(`${hub.httpUrl}${path}`, {
        method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json()) as T };
    };
    const ends = async (id: string, state: ShadowState) => {
      let last: ShadowEvaluationRecord | null = null;
      await waitFor(`shadow evaluation ${id} ${state}`, async () => (last = await hub.store.shadows.get(id))?.state === state, 10_000);
      return last!;
    };
    const audit = async (action: string) => (await hub.store.listAudit(500)).filter((a) => a.action === action);
    const lineage = async (v: number) => (await hub.registry.getVersion(MODEL, v)).lineage as unknown as { shadow?: { state: string; reason: string | null; evaluation: string } };
    const shadowed = async (rec: ShadowEvaluationRecord) => {
      const bundle = (await hub.bundles.get(rec.devices[0]!.challengerBundle))!;
      const [p1, p2] = devices as [ShadowDevice, ShadowDevice];
      await waitFor('the challenger in the retained desired states of p1 and p2, with its chunks', () => p1.shadow === bundle.id && p2.shadow === bundle.id
        && p1.chunks.size === bundle.chunks && p2.chunks.size === bundle.chunks);
    };

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'edgehive-shadow-stop-'));
      where = await place();
      hub = await start();
      viewer = (await createToken(hub.store, systemClock, 'screen', 'viewer')).token;
      operator = (await createToken(hub.store, systemClock, 'ops', 'operator')).token;
      champion = await register(hub, 0.5, 0.5);
      challenger = await register(hub, 1, 0.5);
      await hub.driftPolicy.setOverride(MODEL, { shadow: { devices: 2, minInferences: 200, minAgreement: 0.9 } }, 'test');
      const now = Date.now();
      for (const id of ['p1', 'p2', 'p3']) {
        const keys = generateKeyPair();
        await hub.provision({ id, group: 'line', profile: 'rpi4', publicKey: toBase64(keys.publicKey) });
        await hub.store.writeTelemetry([{
          device: id, stream: 'vib', firstSeq: 1, features: FEATURES, droppedTotal: 0, backlog: 0, receivedAtMs: now,
          readings: rows.map((values, i) => ({ tsMs: now - (rows.length - i) * 1000, values })),
        }]);
        const d = new ShadowDevice(() => hub, FLEET, { id, keys, lastTs: 0 });
        await d.connect();
        devices.push(d);
      }
      await waitFor('devices online', async () => (await hub.store.listDevices({ group: 'line', online: true })).length === 3);
      const dep = await hub.rollouts.create({ model: MODEL, version: champion, target: { group: 'line' }, waves: [{ percent: 100, gates: { minSoakMs: 0 } }] }, 'test');
      await hub.rollouts.waitFor(dep.id, ['completed'], 15_000);
    });

    after(async () => {
      for (const d of devices) await d.close();
      await hub?.close();
      await where?.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it('an operator stops a running evaluation: shadows and their chunks cleared, audited, in the lineage; a viewer may not', async () => {
      const started = await call('POST', `/api/v1/models/${MODEL}/versions/${challenger}/shadow`, operator, {});
      assert.equal(started.status, 201, JSON.stringify(started.body));
      const rec = started.body;
      await shadowed(rec);

      const denied = await call<{ error: { code: string } }>('POST', `/api/v1/models/${MODEL}/shadow/stop`, viewer, {});
      assert.equal(denied.status, 403);
      assert.equal(denied.body.error.code, 'EH_API_FORBIDDEN');
      assert.equal((await hub.store.shadows.get(rec.id))?.state, 'running', 'a refused stop changes nothing');

      const stopped = await call('POST', `/api/v1/models/${MODEL}/shadow/stop`, operator, { reason: 'line maintenance' });
      assert.equal(stopped.status, 200, JSON.stringify(stopped.body));
      assert.equal(stopped.body.id, rec.id);
      assert.equal(stopped.body.state, 'stopped');
      assert.equal(stopped.body.reason, 'stopped by token:ops: line maintenance');
      assert.ok(stopped.body.endedMs !== null);

      const [p1, p2, p3] = devices as [ShadowDevice, ShadowDevice, ShadowDevice];
      await waitFor('shadows gone from the desired states and the chunks cleared', () => p1.shadow === null && p2.shadow === null && p1.chunks.size === 0 && p2.chunks.size === 0);
      assert.equal(p1.active, rec.devices[0]!.championBundle, 'the champion keeps running');
      assert.equal(p3.active, rec.devices[0]!.championBundle);
      for (const id of ['p1', 'p2']) {
        const desired = await hub.store.rollouts.getDesired(id);
        assert.equal(desired?.shadowBundleId ?? null, null, `${id}: no shadow left in the stored desired state`);
        assert.equal(desired?.bundleId, rec.devices[0]!.championBundle);
      }

      const entries = await audit('shadow.stopped');
      assert.equal(entries.length, 1);
      assert.equal(entries[0]!.actor, 'token:ops');
      assert.equal(entries[0]!.target, `${MODEL}@${challenger}`);
      assert.equal((entries[0]!.details as { evaluation: string }).evaluation, rec.id);
      const l = (await lineage(challenger)).shadow;
      assert.equal(l?.state, 'stopped');
      assert.equal(l?.evaluation, rec.id);
      assert.match(l?.reason ?? '', /line maintenance/);
      assert.equal((await call<{ evaluation: ShadowEvaluationRecord }>('GET', `/api/v1/models/${MODEL}/shadow`, viewer)).body.evaluation.state, 'stopped');

      const again = await call<{ error: { code: string } }>('POST', `/api/v1/models/${MODEL}/shadow/stop`, operator, {});
      assert.equal(again.status, 404);
      assert.equal(again.body.error.code, 'EH_NOT_FOUND');
      assert.equal((await call('POST', '/api/v1/models/ghost/shadow/stop', operator, {})).status, 404);
      assert.equal((await audit('shadow.stopped')).length, 1, 'nothing stopped twice');
    });

    it('a running evaluation carries on after a hub restart and figures reported afterwards decide it', async () => {
      const started = await call('POST', `/api/v1/models/${MODEL}/versions/${challenger}/shadow`, operator, {});
      assert.equal(started.status, 201, JSON.stringify(started.body));
      const rec = started.body;
      await shadowed(rec);
      const [p1, p2, p3] = devices as [ShadowDevice, ShadowDevice, ShadowDevice];
      p1.shadowStats = { ...GOOD, inferences: 150 };
      p2.shadowStats = GOOD;
      await p1.report();
      await p2.report();
      await waitFor('both figures in the evaluation', async () => Object.keys((await hub.store.shadows.get(rec.id))?.stats ?? {}).length === 2);
      assert.equal((await hub.store.shadows.get(rec.id))?.state, 'running', 'undecided while p1 has fewer than minInferences');

      for (const d of devices) await d.close();
      await hub.close();
      hub = await start();
      for (const d of devices) await d.connect();
      await shadowed(rec);
      assert.equal(p3.shadow, null);
      assert.equal(p1.active, rec.devices[0]!.championBundle);
      // The restarted hub has evaluated the figures it reloaded (and the reports sent on reconnecting).
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await hub.store.shadows.get(rec.id))?.state, 'running');

      p1.shadowStats = GOOD;
      await p1.report();
      const done = await ends(rec.id, 'promoted');
      assert.equal(done.deployments.length, 1);
      assert.equal(done.stats['p1']?.inferences, 300, 'decided on the figure reported after the restart');
      const dep = await hub.rollouts.status(done.deployments[0]!);
      assert.equal(dep.actor, 'shadow');
      assert.deepEqual(dep.source, { model: MODEL, version: challenger });
      assert.equal((await audit('shadow.promoted')).length, 1);
      assert.equal((await lineage(challenger)).shadow?.state, 'promoted');
    });
  });
}

suite('SQLite', async () => ({ store: { kind: 'sqlite' }, cleanup: async () => {} }));
const url = process.env.EDGEHIVE_TEST_PG_URL;
if (url) suite('PostgreSQL', () => postgresPlace(url));
else test('shadow evaluation: stop and resume (PostgreSQL)', { skip: 'EDGEHIVE_TEST_PG_URL not set; stop and resume on a PostgreSQL hub are not tested' }, () => {});
