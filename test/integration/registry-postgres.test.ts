/**
 * The model registry contract on PostgreSQL, when EDGEHIVE_TEST_PG_URL names a server; each
 * test in a fresh schema, dropped afterwards.
 */
import { test } from 'node:test';
import { postgresPlace } from './store-places.ts';
import { registryContract } from './registry-contract.ts';

const url = process.env.EDGEHIVE_TEST_PG_URL;

if (!url) {
  test('Model registry contract: PostgreSQL', { skip: 'EDGEHIVE_TEST_PG_URL not set; the registry on PostgreSQL is not tested' }, () => {});
} else {
  registryContract('PostgreSQL', async () => postgresPlace(url, 'reg'));
}
