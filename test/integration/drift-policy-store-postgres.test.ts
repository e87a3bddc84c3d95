/**
 * The drift policy store contract on PostgreSQL, when EDGEHIVE_TEST_PG_URL names a server; each
 * test in a fresh schema, dropped afterwards.
 */
import { test } from 'node:test';
import { driftPolicyContract } from './drift-policy-contract.ts';
import { postgresPlace } from './store-places.ts';

const url = process.env.EDGEHIVE_TEST_PG_URL;

if (!url) {
  test('Drift policy store contract: PostgreSQL', { skip: 'EDGEHIVE_TEST_PG_URL not set; the drift policy store on PostgreSQL is not tested' }, () => {});
} else {
  driftPolicyContract('PostgreSQL', async () => postgresPlace(url, 'driftpol'));
}
