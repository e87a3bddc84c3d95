/**
 * The drift store contract on PostgreSQL, when EDGEHIVE_TEST_PG_URL names a server; each test
 * in a fresh schema, dropped afterwards.
 */
import { test } from 'node:test';
import { postgresPlace } from './store-places.ts';
import { driftContract } from './drift-contract.ts';

const url = process.env.EDGEHIVE_TEST_PG_URL;

if (!url) {
  test('Drift store contract: PostgreSQL', { skip: 'EDGEHIVE_TEST_PG_URL not set; the drift store on PostgreSQL is not tested' }, () => {});
} else {
  driftContract('PostgreSQL', async () => postgresPlace(url, 'drift'));
}
