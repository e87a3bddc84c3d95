/**
 * The Store contract against the embedded SQLite store, on a fresh file per test.
 */
import { storeContract } from './store-contract.ts';
import { sqlitePlace } from './store-places.ts';

storeContract('SQLite', async () => sqlitePlace('store'));
