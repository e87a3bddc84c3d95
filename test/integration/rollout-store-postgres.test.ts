/**
 * The rollout store contract on PostgreSQL, when EDGEHIVE_TEST_PG_URL names a server; each test
 * in a fresh schema, dropped afterwards.
 */
import { test } from 'node:test';
import { postgresPlace } from './store-places.ts';
import { rolloutContract } from './rollout-contract.ts';

const url = process.env.EDGEHIVE_TEST_PG_URL;

if (!url) {
  test('Rollout store contract: PostgreSQL', { skip: 'EDGEHIVE_TEST_PG_URL not set; the rollout store on PostgreSQL is not tested' }, () => {});
} else {
  rolloutContract('PostgreSQL', async () => postgresPlace(url, 'roll'));
}
