/**
 * store.shadows on SQLite (and PostgreSQL when EDGEHIVE_TEST_PG_URL is set): evaluations put,
 * replaced, read back and listed by model and state across a reopen; and the SQLite schema-6
 * migration adds the shadow columns to a schema-5 file without losing its twins, idempotently.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, test } from 'node:test';
import Database from 'better-sqlite3';
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
