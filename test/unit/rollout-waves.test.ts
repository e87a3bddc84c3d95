/**
 * Waves of a deployment: the request's shares checked and given the default gates, and the
 * deterministic spread of devices over them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_GATES } from '../../cloud-hub/rollouts/schema.ts';
import { assignWaves, planWaves } from '../../cloud-hub/rollouts/waves.ts';
import { isEdgehiveError } from '../../shared/errors/index.ts';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `dev-${String(i).padStart(4, '0')}`);
const sizes = (waves: number[], count: number) => Array.from({ length: count }, (_, w) => waves.filter((x) => x === w).length);

function refused(f: () => unknown, message: RegExp): void {
  assert.throws(f, (e: unknown) => isEdgehiveError(e, 'EH_DEPLOYMENT_INVALID') && message.test(e.message));
}

describe('planWaves', () => {
  it('defaults to 5 %, 25 %, 100 % with the documented gates', () => {
    const w = planWaves(undefined);
    assert.deepEqual(w.map((x) => x.percent), [5, 25, 100]);
    assert.deepEqual(DEFAULT_GATES, { maxFailedInstalls: 0, maxErrorRate: 0.05, maxP99LatencyMs: 1000, minSoakMs: 30_000 });
    for (const x of w) {
      assert.deepEqual(x.gates, DEFAULT_GATES);
      assert.equal(x.state, 'pending');
      assert.equal(x.startedMs, null);
    }
  });

  it('fills gates a wave leaves out with the defaults', () => {
    const w = planWaves([{ percent: 10, gates: { maxFailedInstalls: 2, minSoakMs: 0 } }, { percent: 100 }]);
    assert.deepEqual(w[0]!.gates, { ...DEFAULT_GATES, maxFailedInstalls: 2, minSoakMs: 0 });
    assert.deepEqual(w[1]!.gates, DEFAULT_GATES);
    assert.deepEqual(w.map((x) => x.index), [0, 1]);
  });

  it('refuses shares that do not rise strictly, or do not end at 100, naming the wave', () => {
    refused(() => planWaves([{ percent: 50 }, { percent: 50 }, { percent: 100 }]), /wave 1 has percent 50, not above wave 0's 50/);
    refused(() => planWaves([{ percent: 30 }, { percent: 90 }]), /last wave has percent 90; it must be 100/);
    refused(() => planWaves([]), /waves is empty/);
    refused(() => planWaves([{ percent: 0 }, { percent: 100 }]), /wave 0 has percent 0/);
  });
});

describe('assignWaves', () => {
  it('gives wave i up to ceil(percent_i × N) devices cumulatively', () => {
    assert.deepEqual(sizes(assignWaves('dep-1', ids(20), [5, 25, 100]), 3), [1, 4, 15]);
    assert.deepEqual(sizes(assignWaves('dep-1', ids(1000), [5, 25, 100]), 3), [50, 200, 750]);
    assert.deepEqual(sizes(assignWaves('dep-1', ids(7), [10, 50, 100]), 3), [1, 3, 3]);
    assert.deepEqual(sizes(assignWaves('dep-1', ids(100), [7, 100]), 2), [7, 93], 'no float rounding up: 7 % of 100 is 7');
  });

  it('puts the only device of a one-device target in the first wave, and may leave a later wave empty', () => {
    assert.deepEqual(assignWaves('dep-1', ['solo'], [5, 25, 100]), [0]);
    assert.deepEqual(sizes(assignWaves('dep-1', ids(2), [5, 25, 100]), 3), [1, 0, 1]);
    assert.deepEqual(assignWaves('dep-1', [], [5, 100]), []);
  });

  it('is the same for the same deployment whatever the input order, and another slice for another deployment', () => {
    const devices = ids(200);
    const a = assignWaves('dep-a', devices, [5, 25, 100]);
    const reversed = assignWaves('dep-a', [...devices].reverse(), [5, 25, 100]).reverse();
    assert.deepEqual(reversed, a);
    const canaryA = devices.filter((_, i) => a[i] === 0);
    const b = assignWaves('dep-b', devices, [5, 25, 100]);
    const canaryB = devices.filter((_, i) => b[i] === 0);
    assert.equal(canaryA.length, 10);
    assert.notDeepEqual(canaryA, canaryB);
    assert.notDeepEqual(canaryA, devices.slice(0, 10), 'not simply the first ids');
  });
});
