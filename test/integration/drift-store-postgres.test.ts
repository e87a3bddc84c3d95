/**
 * The drift store contract on PostgreSQL, when EDGEHIVE_TEST_PG_URL names a server; each test
 * in a fresh schema, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { PgDb } from '../../cloud-hub/store/postgres-db.ts';
import { PostgresStore } from '../../cloud-hub/store/postgres-store.ts';
import type { Store } from '../../cloud-hub/store/types.ts';
import { driftContract } from './drift-contract.ts';

const url = process.env.EDGEHIVE_TEST_PG_URL;

if (!url) {
  test('Drift store contract: PostgreSQL', { skip: 'EDGEHIVE_TEST_PG_URL not set; the drift store on PostgreSQL is not tested' }, () => {});
} else {
  driftContract('PostgreSQL', async () => {
    const schema = `eh_test_drift_${process.pid}_${randomBytes(4).toString('hex')}`;
    const opened: Store[] = [];
    const open = (): Store => {
      const s = new PostgresStore({ url, schema, poolSize: 4 });
      opened.push(s);
      return s;
    };
    return {
      store: open(),
      reopen: async () => open(),
      cleanup: async () => {
        for (const s of opened) await s.close();
        const db = new PgDb({ url, poolSize: 1, connectTimeoutMs: 10_000 });
        try {
          await db.query('dropping a test schema', `DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await db.end();
        }
      },
    };
  });
}
