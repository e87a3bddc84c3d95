/**
 * store.shadows on SQLite (and PostgreSQL when EDGEHIVE_TEST_PG_URL is set): evaluations put,
 * replaced, read back and listed by model and state across a reopen; and the schema-6 migration
 * (SQLite, and PostgreSQL when set) adds the shadow columns and table to a schema-5 store without
 * losing its twins, idempotently.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, it, test } from 'node:test';
import Database from 'better-sqlite3';
import { PgDb } from '../../cloud-hub/store/postgres-db.ts';
import { MIGRATIONS } from '../../cloud-hub/store/postgres-schema.ts';
import { PostgresStore } from '../../cloud-hub/store/postgres-store.ts';
import type { ShadowEvaluationRecord } from '../../cloud-hub/store/shadow-store.ts';
import { SCHEMA_SQL } from '../../cloud-hub/store/sqlite-schema.ts';
import { SqliteStore } from '../../cloud-hub/store/sqlite-store.ts';
import { postgresPlace, sqlitePlace, type StorePlace } from './store-places.ts';

const T0 = Date.UTC(2026, 0, 1);

function evaluation(id: string, model: string, startedMs: number, more: Partial<ShadowEvaluationRecord> = {}): ShadowEvaluationRecord {
  return {
    id, model, version: 2, championVersion: 1, groups: ['line'], state: 'running', actor: 'shadow', jobId: 'job-1', startedMs, updatedMs: startedMs,
    deadlineMs: startedMs + 1000, endedMs: null, heldOut: [], devices: [{ device: 'p1', group: 'line', profile: 'rpi4', championBundle: 'a', challengerBundle: 'b', deploymentId: null }],
    stats: {}, verdict: null, deployments: [], reason: null, ...more,
  };
}

function contract(name: string, place: () => StorePlace): void {
  describe(`shadow store: ${name}`, () => {
    it('puts, replaces, reads back and lists evaluations newest first by model and state, across a reopen', async () => {
      const p = place();
      try {
        await p.store.init();
        const s = p.store.shadows;
        await s.put(evaluation('e1', 'pump', T0));
        await s.put(evaluation('e2', 'pump', T0 + 10));
        await s.put(evaluation('e3', 'fan', T0 + 20));
        const retired = evaluation('e1', 'pump', T0, { state: 'retired', reason: 'p1: agreement 0.5 < 0.9', updatedMs: T0 + 30, endedMs: T0 + 30 });
        await s.put(retired);
        assert.deepEqual(await s.get('e1'), retired);
        assert.equal(await s.get('nope'), null);
        assert.deepEqual((await s.list({ model: 'pump' })).map((r) => r.id), ['e2', 'e1']);
        assert.deepEqual((await s.list({ states: ['running'] })).map((r) => r.id), ['e3', 'e2']);
        assert.deepEqual((await s.list({ model: 'pump', states: ['running'], limit: 1 })).map((r) => r.id), ['e2']);
        await p.store.close();
        const again = await p.reopen();
        await again.init();
        assert.equal((await again.shadows.get('e1'))?.state, 'retired');
      } finally {
        await p.cleanup();
      }
    });
  });
}

contract('SQLite', () => sqlitePlace('shadow-store'));
const url = process.env.EDGEHIVE_TEST_PG_URL;
if (url) contract('PostgreSQL', () => postgresPlace(url, 'shadow'));
else test('shadow store: PostgreSQL', { skip: 'EDGEHIVE_TEST_PG_URL not set; the shadow store on PostgreSQL is not tested' }, () => {});

it('migrates a schema-5 SQLite file: shadow columns added, twins kept, a second open changes nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'edgehive-shadow-migrate-'));
  const path = join(dir, 'hub.sqlite');
  try {
    const old = new Database(path);
    old.exec(SCHEMA_SQL);
    old.pragma('user_version = 5');
    old.prepare('INSERT INTO desired (device, bundle_id, deployment_id, set_ms) VALUES (?, ?, ?, ?)').run('p1', 'a'.repeat(64), 'dep-1', T0);
    old.close();
    for (let i = 0; i < 2; i++) {
      const s = new SqliteStore({ path });
      await s.init();
      assert.deepEqual(await s.rollouts.getDesired('p1'), { device: 'p1', bundleId: 'a'.repeat(64), deploymentId: 'dep-1', setMs: T0 });
      await s.rollouts.setDesired({ device: 'p2', bundleId: null, deploymentId: null, setMs: T0, shadowBundleId: 'b'.repeat(64) });
      assert.equal((await s.rollouts.getDesired('p2'))?.shadowBundleId, 'b'.repeat(64));
      await s.close();
    }
    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma('user_version', { simple: true }), 6);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const pgMigration = 'migrates a schema-5 PostgreSQL schema: shadow columns and table added, twins kept, a second init changes nothing';
if (url) {
  it(pgMigration, async () => {
    const schema = `eh_test_shadowmig_${process.pid}_${randomBytes(4).toString('hex')}`;
    const db = new PgDb({ url, poolSize: 1, connectTimeoutMs: 10_000 });
    try {
      // A hub of schema 5 left this behind: migrations 1-5 as that hub applied them, and a twin.
      await db.query('creating a schema-5 test schema', `CREATE SCHEMA "${schema}"`);
      await db.query('creating the version table', `CREATE TABLE "${schema}".schema_version (version int4 PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
      for (let v = 1; v <= 5; v++) {
        await db.query(`migration ${v}`, MIGRATIONS[v - 1]!(`"${schema}"`));
        await db.query('recording a version', `INSERT INTO "${schema}".schema_version (version) VALUES ($1)`, [v]);
      }
      await db.query('a schema-5 twin', `INSERT INTO "${schema}".desired (device, bundle_id, deployment_id, set_ms) VALUES ($1, $2, $3, $4)`, ['p1', 'a'.repeat(64), 'dep-1', T0]);
      for (let i = 0; i < 2; i++) {
        const store: PostgresStore = new PostgresStore({ url, schema, poolSize: 2 });
        try {
          await store.init();
          assert.deepEqual(await store.rollouts.getDesired('p1'), { device: 'p1', bundleId: 'a'.repeat(64), deploymentId: 'dep-1', setMs: T0 });
          await store.rollouts.setDesired({ device: 'p2', bundleId: null, deploymentId: null, setMs: T0, shadowBundleId: 'b'.repeat(64) });
          assert.equal((await store.rollouts.getDesired('p2'))?.shadowBundleId, 'b'.repeat(64));
          await store.shadows.put(evaluation(`e${i}`, 'pump', T0 + i));
          assert.deepEqual((await store.shadows.list({ model: 'pump' })).map((r) => r.id), i === 0 ? ['e0'] : ['e1', 'e0']);
        } finally {
          await store.close();
        }
      }
      const { rows } = await db.query<{ v: number }>('reading the version', `SELECT max(version) AS v FROM "${schema}".schema_version`);
      assert.equal(rows[0]?.v, MIGRATIONS.length);
    } finally {
      await db.query('dropping a test schema', `DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await db.end();
    }
  });
} else {
  test(pgMigration, { skip: 'EDGEHIVE_TEST_PG_URL not set; the PostgreSQL migration is not tested' }, () => {});
}
