/**
 * Where the store contract suites run: a fresh SQLite file, or a fresh PostgreSQL schema (dropped
 * afterwards) when EDGEHIVE_TEST_PG_URL names a server. `reopen` opens another store on the same
 * place, as a restarted hub (or a second hub process) would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgDb } from '../../cloud-hub/store/postgres-db.ts';
import { PostgresStore } from '../../cloud-hub/store/postgres-store.ts';
import { SqliteStore } from '../../cloud-hub/store/sqlite-store.ts';
import type { Store } from '../../cloud-hub/store/types.ts';

export interface StorePlace { store: Store; reopen(): Promise<Store>; cleanup(): Promise<void> }

export function sqlitePlace(prefix: string): StorePlace {
  const dir = mkdtempSync(join(tmpdir(), `edgehive-${prefix}-`));
  const path = join(dir, 'hub.sqlite');
  const opened: Store[] = [];
  const open = (): Store => {
    const s = new SqliteStore({ path });
    opened.push(s);
    return s;
  };
  return {
    store: open(),
    reopen: async () => open(),
    cleanup: async () => {
      for (const s of opened) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function postgresPlace(url: string, prefix: string): StorePlace {
  const schema = `eh_test_${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
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
}
