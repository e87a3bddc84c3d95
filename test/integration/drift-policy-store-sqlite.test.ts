/**
 * The drift policy store contract on the embedded SQLite store, a fresh file per test.
 */
import { driftPolicyContract } from './drift-policy-contract.ts';
import { sqlitePlace } from './store-places.ts';

driftPolicyContract('SQLite', async () => sqlitePlace('drift-policy'));
