/**
 * The drift store contract on the embedded SQLite store, a fresh file per test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../cloud-hub/store/sqlite-store.ts';
import type { Store } from '../../cloud-hub/store/types.ts';
import { driftContract } from './drift-contract.ts';

driftContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'edgehive-drift-store-'));
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
});
