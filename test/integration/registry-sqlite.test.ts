/**
 * The model registry contract on the embedded SQLite store, a fresh file per test.
 */
import { registryContract } from './registry-contract.ts';
import { sqlitePlace } from './store-places.ts';

registryContract('SQLite', async () => sqlitePlace('reg-store'));
