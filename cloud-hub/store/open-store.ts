/**
 * Picks the Store implementation the config names. PostgreSQL is imported only when asked for,
 * so an embedded hub never loads the `pg` module.
 */
import { join } from 'node:path';
import type { Logger } from '../../shared/log/logger.ts';
import type { HubConfig } from '../config/hub-config.ts';
import { SqliteStore } from './sqlite-store.ts';
import type { Store } from './types.ts';

export const DEFAULT_SQLITE_FILE = 'hub.db';

/** Builds the store; the caller runs init(). */
export async function openStore(config: Pick<HubConfig, 'store' | 'dataDir'>, logger?: Logger): Promise<Store> {
  const s = config.store;
  if (s.kind === 'sqlite') return new SqliteStore({ path: s.path ?? join(config.dataDir, DEFAULT_SQLITE_FILE) });
  const { PostgresStore } = await import('./postgres-store.ts');
  return new PostgresStore({ url: s.url, ...(logger ? { logger } : {}) });
}
