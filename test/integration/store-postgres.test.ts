/**
 * The Store contract against PostgreSQL, when EDGEHIVE_TEST_PG_URL names a server (CI sets it,
 * e.g. postgres://postgres@127.0.0.1:5432/test). Each test works in a fresh schema, dropped
 * afterwards. Plus what only PostgreSQL has: several hub processes sharing one database.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it, test } from 'node:test';
import { PgDb } from '../../cloud-hub/store/postgres-db.ts';
import { PostgresStore } from '../../cloud-hub/store/postgres-store.ts';
import type { Store, TelemetryWrite } from '../../cloud-hub/store/types.ts';
import { isEdgehiveError } from '../../shared/errors/index.ts';
import { storeContract } from './store-contract.ts';

const url = process.env.EDGEHIVE_TEST_PG_URL;
const SKIP = 'EDGEHIVE_TEST_PG_URL not set; PostgreSQL store not tested';

function freshSchema(): string {
  return `eh_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

async function dropSchema(schema: string): Promise<void> {
  const db = new PgDb({ url: url!, poolSize: 1, connectTimeoutMs: 10_000 });
  try {
    await db.query('dropping a test schema', `DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await db.end();
  }
}

/** Stores on one schema, like hub processes sharing a database; all closed and the schema dropped by cleanup. */
function onSchema(schema = freshSchema()) {
  const opened: Store[] = [];
  const open = (): PostgresStore => {
    const s = new PostgresStore({ url: url!, schema, poolSize: 4 });
    opened.push(s);
    return s;
  };
  const cleanup = async () => {
    for (const s of opened) await s.close();
    await dropSchema(schema);
  };
  return { open, cleanup };
}

if (!url) {
  test('Store contract: PostgreSQL', { skip: SKIP }, () => {});
} else {
  storeContract('PostgreSQL', async () => {
    const { open, cleanup } = onSchema();
    return { store: open(), reopen: async () => open(), cleanup };
  });
}

describe('PostgreSQL store specifics', () => {
  it('connects to nothing until init(), and then says which server it cannot reach without showing the password', async () => {
    const store = new PostgresStore({ url: 'postgres://hub:s3cret-pw@127.0.0.1:1/edgehive', connectTimeoutMs: 2000 });
    await assert.rejects(store.init(), (e: unknown) => {
      assert.ok(isEdgehiveError(e, 'EH_STORE_FAILED'), String(e));
      assert.match(e.message, /cannot reach PostgreSQL at postgres:\/\/hub:\*\*\*@127\.0\.0\.1:1\/edgehive/);
      assert.match(e.message, /store\.url/);
      assert.doesNotMatch(e.message, /s3cret-pw/);
      return true;
    });
    await store.close();
  });

  it('refuses a schema name that is not a plain identifier', () => {
    assert.throws(() => new PostgresStore({ url: 'postgres://127.0.0.1/x', schema: 'a"; DROP TABLE x; --' }), (e: unknown) => isEdgehiveError(e, 'EH_CONFIG_INVALID'));
  });

  it('hub processes starting together on one schema migrate it once', { skip: !url && SKIP }, async () => {
    const { open, cleanup } = onSchema();
    try {
      const stores = [open(), open(), open(), open()];
      await Promise.all(stores.map((s) => s.init()));
      await stores[0]!.createDevice({ id: 'pump-1', group: 'g', profile: 'pi4', publicKey: new Uint8Array(32), createdAtMs: 1 });
      assert.equal((await stores[3]!.listDevices()).length, 1);
    } finally {
      await cleanup();
    }
  });

  it('a call bigger than one INSERT statement still counts each batch exactly', { skip: !url && SKIP }, async () => {
    const { open, cleanup } = onSchema();
    try {
      const store = open();
      await store.init();
      await store.createDevice({ id: 'pump-1', group: 'g', profile: 'pi4', publicKey: new Uint8Array(32), createdAtMs: 1 });
      const batch = (firstSeq: number, n: number): TelemetryWrite => ({
        device: 'pump-1', stream: 'pump', firstSeq, features: ['x', 'y'], droppedTotal: 0, backlog: 0, receivedAtMs: 1,
        readings: Array.from({ length: n }, (_, i) => ({ tsMs: firstSeq + i, values: [firstSeq + i, -(firstSeq + i)] })),
      });
      assert.deepEqual(await store.writeTelemetry([batch(19_501, 1000)]), [{ inserted: 1000, duplicates: 0 }]);
      // 50 batches of 900 (45,000 readings) take three statements; batch 22 straddles the first cut.
      const results = await store.writeTelemetry(Array.from({ length: 50 }, (_, b) => batch(1 + b * 900, 900)));
      const expected = results.map((_, b) => (b === 21 ? { inserted: 600, duplicates: 300 } : b === 22 ? { inserted: 200, duplicates: 700 } : { inserted: 900, duplicates: 0 }));
      assert.deepEqual(results, expected);
      assert.equal(await store.countReadings(), 45_000);
      const page = await store.queryTelemetry('pump-1', { fromMs: 19_999, toMs: 20_002, limit: 10 });
      assert.deepEqual(page.readings.map((r) => r.values), [19_999, 20_000, 20_001, 20_002].map((v) => [v, -v]));
    } finally {
      await cleanup();
    }
  });

  it('hub processes writing the same readings at once store each once and agree on the counts', { skip: !url && SKIP }, async () => {
    const { open, cleanup } = onSchema();
    try {
      const stores = [open(), open(), open()];
      for (const s of stores) await s.init();
      for (const id of ['pump-1', 'pump-2']) {
        await stores[0]!.createDevice({ id, group: 'g', profile: 'pi4', publicKey: new Uint8Array(32), createdAtMs: 1 });
      }
      const batch = (device: string, stream: string, firstSeq: number, n: number): TelemetryWrite => ({
        device, stream, firstSeq, features: ['x', 'y'], droppedTotal: 0, backlog: 0, receivedAtMs: 1,
        readings: Array.from({ length: n }, (_, i) => ({ tsMs: 1000 + firstSeq + i, values: [firstSeq + i, Number.NaN] })),
      });
      // Every store writes overlapping ranges of the same streams, in different orders, 20 times over.
      const sent = new Map<string, Set<number>>();
      let total = 0;
      const calls = stores.flatMap((s, k) => Array.from({ length: 20 }, (_, r) => {
        const call = [batch('pump-1', 'a', 1 + ((r * 37 + k * 11) % 400), 100), batch('pump-2', 'b', 1 + ((r * 53 + k * 7) % 400), 100), batch('pump-1', 'c', 1 + r * 10, 50)];
        for (const b of call) {
          const seqs = sent.get(`${b.device}/${b.stream}`) ?? new Set<number>();
          b.readings.forEach((_, i) => seqs.add(b.firstSeq + i));
          sent.set(`${b.device}/${b.stream}`, seqs);
          total += b.readings.length;
        }
        return () => s.writeTelemetry(k % 2 ? call.reverse() : call);
      }));
      const results = (await Promise.all(calls.map((c) => c()))).flat();
      const unique = [...sent.values()].reduce((a, seqs) => a + seqs.size, 0);
      assert.equal(results.reduce((a, r) => a + r.inserted + r.duplicates, 0), total);
      assert.equal(results.reduce((a, r) => a + r.inserted, 0), unique, 'every reading reported inserted exactly once');
      assert.equal(await stores[0]!.countReadings(), unique);
      const c = await stores[1]!.queryTelemetry('pump-1', { stream: 'c', limit: 10_000 });
      assert.equal(new Set(c.readings.map((r) => r.seq)).size, sent.get('pump-1/c')!.size);
      assert.equal(await stores[2]!.highestSeq('pump-1', 'c'), Math.max(...sent.get('pump-1/c')!));
    } finally {
      await cleanup();
    }
  });
});
