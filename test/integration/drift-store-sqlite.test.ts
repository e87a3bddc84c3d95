/**
 * The drift store contract on the embedded SQLite store, a fresh file per test.
 */
import { driftContract } from './drift-contract.ts';
import { sqlitePlace } from './store-places.ts';

driftContract('SQLite', async () => sqlitePlace('drift-store'));
