/**
 * One suite for store.driftPolicies on every implementation (drift-policy-store-sqlite.test.ts,
 * drift-policy-store-postgres.test.ts): an override and a trigger per model, each setter leaving
 * the other's columns alone, kept across a reopen (a restarted hub keeps its cool-down), and
 * the drift query's model filter the policy manager reads with.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { DriftTriggerRecord } from '../../cloud-hub/store/drift-policy-store.ts';
import type { DriftRow } from '../../cloud-hub/store/drift-store.ts';
import type { Store } from '../../cloud-hub/store/types.ts';
import type { StorePlace } from './store-places.ts';

const T0 = Date.UTC(2026, 0, 1);

const trigger = (atMs: number, jobId: string | null): DriftTriggerRecord => ({
  atMs, untilMs: atMs + 86_400_000, group: 'north', jobId,
  verdict: { group: 'north', devices: 3, drifting: ['p1'], share: 1 / 3, trigger: true, reasons: ['1 of 3 devices drifting'], quality: [] },
});

function row(device: string, seq: number, model: string): DriftRow {
  return {
    device, seq, tsMs: T0 + seq * 60_000, receivedMs: T0 + seq * 60_000 + 5, model, modelVersion: '1', feature: 'temp',
    psi: 0.5, ks: 0.25, missingRate: 0, outOfRangeRate: 0, stuck: false, samples: 600, outputJs: 0.1, alarm: true,
  };
}

export function driftPolicyContract(name: string, make: () => Promise<StorePlace>): void {
  describe(`Drift policy store contract: ${name}`, () => {
    let place: StorePlace;
    let store: Store;

    beforeEach(async () => {
      place = await make();
      store = place.store;
      await store.init();
    });
    afterEach(async () => {
      await place.cleanup();
    });

    it('knows nothing of a model until something is set', async () => {
      assert.equal(await store.driftPolicies.get('pump-ae'), null);
    });

    it('keeps an override and a trigger side by side; each setter replaces only its own', async () => {
      const override = { groupShare: 0.5, drifting: { features: ['pressure', 'current'], minSamples: 1440 }, schedule: null };
      await store.driftPolicies.setOverride('pump-ae', override, T0);
      await store.driftPolicies.setTrigger('pump-ae', trigger(T0 + 10, 'job-1'), T0 + 10);
      let r = await store.driftPolicies.get('pump-ae');
      assert.deepEqual(r, { model: 'pump-ae', override, trigger: trigger(T0 + 10, 'job-1'), updatedMs: T0 + 10 });

      await store.driftPolicies.setOverride('pump-ae', null, T0 + 20);
      r = await store.driftPolicies.get('pump-ae');
      assert.equal(r?.override, null);
      assert.deepEqual(r?.trigger, trigger(T0 + 10, 'job-1'), 'clearing the override keeps the cool-down');
      assert.equal(r?.updatedMs, T0 + 20);

      await store.driftPolicies.setOverride('pump-ae', { cooldownMs: 0 }, T0 + 30);
      await store.driftPolicies.setTrigger('pump-ae', trigger(T0 + 40, null), T0 + 40);
      r = await store.driftPolicies.get('pump-ae');
      assert.deepEqual(r?.override, { cooldownMs: 0 }, 'a new trigger keeps the override');
      assert.deepEqual(r?.trigger, trigger(T0 + 40, null));
      assert.equal(await store.driftPolicies.get('other'), null, 'models do not share a row');
    });

    it('keeps overrides and cool-downs across a reopen', async () => {
      await store.driftPolicies.setTrigger('pump-ae', trigger(T0, 'job-7'), T0);
      await store.driftPolicies.setOverride('pump-ae', { consecutiveReports: 2 }, T0 + 1);
      const again = await place.reopen();
      await again.init();
      assert.deepEqual(await again.driftPolicies.get('pump-ae'), { model: 'pump-ae', override: { consecutiveReports: 2 }, trigger: trigger(T0, 'job-7'), updatedMs: T0 + 1 });
      await again.init(); // migrations are idempotent
    });

    it('filters drift rows by model', async () => {
      await store.createDevice({ id: 'p1', group: 'north', profile: 'rpi4', publicKey: new Uint8Array(32).fill(1), createdAtMs: T0 });
      await store.drift.putDriftReports([row('p1', 1, 'pump-ae'), row('p1', 2, 'hvac-ae'), row('p1', 3, 'pump-ae')]);
      assert.deepEqual((await store.drift.queryDrift({ model: 'pump-ae', limit: 10 })).map((r) => r.seq), [3, 1]);
      assert.deepEqual((await store.drift.queryDrift({ model: 'pump-ae', fromMs: T0 + 2 * 60_000, limit: 10 })).map((r) => r.seq), [3]);
      assert.deepEqual(await store.drift.queryDrift({ model: 'nothing', limit: 10 }), []);
    });
  });
}
