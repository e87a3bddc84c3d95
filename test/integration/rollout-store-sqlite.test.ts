/**
 * The rollout store contract on the embedded SQLite store, a fresh file per test.
 */
import { rolloutContract } from './rollout-contract.ts';
import { sqlitePlace } from './store-places.ts';

rolloutContract('SQLite', async () => sqlitePlace('roll-store'));
