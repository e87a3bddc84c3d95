/**
 * The slot pointer's transitions and the desired-state decisions, as pure functions: these are
 * what make a swap, a failed trial and a swap back land where an operator expects.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planFor } from '../../edge-agent/bundles/desired-plan.ts';
import {
  abandonTrial, beginTrial, commitTrial, deactivate, dropSlot, emptySlots, MAX_FAILED, recordFailure, retryTrial, swapTo, targetSlot,
  type SlotsState,
} from '../../edge-agent/bundles/slots.ts';
import { CHUNK_BYTES } from '../../shared/bundle/index.ts';

const info = (bundleId: string, version: number) => ({ bundleId, model: 'pump', version, variant: 'fp32' });
const fail = (bundleId: string) => ({ bundleId, code: 'EH_BUNDLE_HEALTH', message: 'latency 9 ms > budget 5 ms', atMs: 1 });
const SHA = 'ab'.repeat(32);

/** v1 installed and committed in slot a. */
function onV1(): SlotsState {
  return commitTrial(beginTrial(emptySlots(), 'a', info('b1', 1)));
}

describe('slot pointer', () => {
  test('a new bundle goes to the slot that is not running, and the running one becomes the way back', () => {
    const s = onV1();
    assert.equal(s.active, 'a');
    assert.equal(s.slots.a?.healthy, true);
    assert.equal(targetSlot(s), 'b');
    const t = beginTrial(s, 'b', info('b2', 2));
    assert.deepEqual({ active: t.active, previous: t.previous, trial: t.trial }, { active: 'b', previous: 'a', trial: { slot: 'b', bundleId: 'b2', attempts: 1 } });
    assert.equal(t.slots.b?.healthy, false, 'not healthy until its check passes');
    const c = commitTrial(t);
    assert.equal(c.trial, null);
    assert.equal(c.slots.b?.healthy, true);
    assert.equal(targetSlot(c), 'a', 'the next bundle replaces the older one');
  });

  test('a failed trial returns to the slot it replaced and remembers the bundle as failed', () => {
    const t = retryTrial(beginTrial(onV1(), 'b', info('b2', 2)));
    assert.equal(t.trial?.attempts, 2);
    const back = abandonTrial(t, fail('b2'));
    assert.equal(back.active, 'a');
    assert.equal(back.trial, null);
    assert.equal(back.slots.b, null, 'the failed bundle is not a swap-back candidate');
    assert.deepEqual(back.failed.map((f) => f.bundleId), ['b2']);
  });

  test('a failed first install leaves the device running nothing, as before', () => {
    const back = abandonTrial(beginTrial(emptySlots(), 'a', info('b1', 1)), fail('b1'));
    assert.equal(back.active, null);
  });

  test('a device told to run nothing does not revive the old model when a new one fails', () => {
    const off = deactivate(onV1());
    assert.equal(off.active, null);
    assert.equal(targetSlot(off), 'b', 'the last model stays for a swap back');
    const back = abandonTrial(beginTrial(off, 'b', info('b2', 2)), fail('b2'));
    assert.equal(back.active, null);
    assert.equal(back.slots.a?.bundleId, 'b1');
  });

  test('swap back keeps the other healthy slot as the way back', () => {
    const both = commitTrial(beginTrial(onV1(), 'b', info('b2', 2)));
    const s = swapTo(both, 'a');
    assert.deepEqual({ active: s.active, previous: s.previous }, { active: 'a', previous: 'b' });
  });

  test('a damaged active slot falls back to the other one only if it is healthy', () => {
    const both = commitTrial(beginTrial(onV1(), 'b', info('b2', 2)));
    assert.equal(dropSlot(both, 'b').active, 'a');
    const trialOnly = beginTrial(emptySlots(), 'a', info('b1', 1));
    assert.equal(dropSlot({ ...trialOnly, slots: { ...trialOnly.slots, b: { ...info('b0', 1), healthy: false } } }, 'a').active, null);
  });

  test('the failed list is bounded and keeps the newest', () => {
    let s = emptySlots();
    for (let i = 0; i < MAX_FAILED + 5; i++) s = recordFailure(s, fail(`x${i}`));
    assert.equal(s.failed.length, MAX_FAILED);
    assert.equal(s.failed.at(-1)?.bundleId, `x${MAX_FAILED + 4}`);
    assert.equal(recordFailure(s, fail('x10')).failed.filter((f) => f.bundleId === 'x10').length, 1);
  });
});

describe('desired state plan', () => {
  const limits = { maxBundleBytes: 10 * 1024 * 1024 };
  const want = (bundleId: string, bytes = 1000, chunks = 1) => ({ bundleId, bundleBytes: bytes, bundleChunks: chunks, bundleSha256: SHA });

  test('empty bundle id runs nothing; the running bundle stays', () => {
    assert.deepEqual(planFor(want(''), onV1(), limits), { kind: 'run-nothing' });
    assert.deepEqual(planFor(want('b1'), onV1(), limits), { kind: 'stay' });
  });

  test('the bundle in the other slot that ran healthy is swapped back to, without a download', () => {
    const both = commitTrial(beginTrial(onV1(), 'b', info('b2', 2)));
    assert.deepEqual(planFor(want('b1'), both, limits), { kind: 'swap-back', slot: 'a' });
  });

  test('a bundle that failed here is not tried again', () => {
    const s = abandonTrial(beginTrial(onV1(), 'b', info('b2', 2)), fail('b2'));
    const p = planFor(want('b2'), s, limits);
    assert.equal(p.kind, 'failed-before');
  });

  test('impossible requests are refused before downloading', () => {
    const s = emptySlots();
    const over = planFor(want('n1', 11 * 1024 * 1024, Math.ceil(11 * 1024 * 1024 / CHUNK_BYTES)), s, limits);
    assert.ok(over.kind === 'refuse' && over.error.code === 'EH_BUNDLE_CHUNK' && /maxBundleBytes/.test(over.error.message));
    const tooMany = planFor(want('n1', 1000, 3), s, limits);
    assert.ok(tooMany.kind === 'refuse' && /too many chunks/.test(tooMany.error.message));
    assert.equal(planFor(want('n1', 2 * CHUNK_BYTES + 1, 2), s, limits).kind, 'refuse', 'too few chunks for the size');
    assert.equal(planFor(want('n1', 0, 0), s, limits).kind, 'refuse');
    assert.equal(planFor({ ...want('n1'), bundleSha256: 'xyz' }, s, limits).kind, 'refuse');
  });

  test('anything else is downloaded', () => {
    const p = planFor(want('n1', 2 * CHUNK_BYTES + 1, 3), onV1(), limits);
    assert.deepEqual(p, { kind: 'download', plan: { bundleId: 'n1', total: 3, bytes: 2 * CHUNK_BYTES + 1, sha256: SHA } });
  });
});
