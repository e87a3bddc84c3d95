/**
 * A device's install state from its report, a wave's figures (only devices on the new bundle
 * count), the gate verdicts with the soak, and the sentence naming a broken gate.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brokenGate, installState, verdicts, waveMetrics } from '../../cloud-hub/rollouts/gates.ts';
import type { DeploymentDeviceRecord, ReportedRecord, WaveRecord } from '../../cloud-hub/store/rollout-store.ts';

const NEW = 'n'.repeat(64);
const OLD = 'o'.repeat(64);
const START = 1_000_000;

const rec = (device: string, state: DeploymentDeviceRecord['state'] = 'pending'): DeploymentDeviceRecord => ({
  deploymentId: 'dep-1', device, profile: 'rpi4', wave: 0, bundleId: NEW, previousBundle: OLD, state, error: null, updatedMs: START,
});

const rep = (device: string, more: Partial<ReportedRecord> = {}): ReportedRecord => ({
  device, tsMs: START, receivedMs: START + 10, phase: 'active', activeBundle: OLD, activeModel: 'pump', activeVersion: 1, healthy: true,
  inactiveBundle: null, desiredBundle: OLD, installingBundle: null, chunksHave: 0, chunksTotal: 0, failedBundle: null, errorCode: null,
  errorMessage: null, profile: 'rpi4', agentVersion: '0.3.0', inferences: 0, inferenceErrors: 0, latencyP99Ms: 0, activatedMs: null, ...more,
});

const wave = (more: Partial<WaveRecord> = {}): WaveRecord => ({
  index: 0, percent: 100, gates: { maxFailedInstalls: 1, maxErrorRate: 0.1, maxP99LatencyMs: 50, minSoakMs: 1000 },
  state: 'running', startedMs: START, settledMs: null, endedMs: null, reason: null, ...more,
});

describe('installState', () => {
  it('reads each state from the report, with installing ahead of an earlier failure of the same bundle', () => {
    assert.deepEqual(installState(rec('a'), null, START), { state: 'pending', error: null });
    assert.equal(installState(rec('a'), rep('a'), START).state, 'pending', 'not told yet');
    assert.equal(installState(rec('a'), rep('a', { desiredBundle: NEW }), START).state, 'installing');
    assert.equal(installState(rec('a'), rep('a', { installingBundle: NEW, failedBundle: NEW }), START).state, 'installing');
    assert.equal(installState(rec('a'), rep('a', { activeBundle: NEW, healthy: false }), START).state, 'pending');
    assert.equal(installState(rec('a'), rep('a', { activeBundle: NEW, healthy: true }), START).state, 'installed');
    assert.deepEqual(installState(rec('a'), rep('a', { failedBundle: NEW, errorCode: 'EH_BUNDLE_TARGET', errorMessage: 'profile rpi5' }), START),
      { state: 'failed', error: 'EH_BUNDLE_TARGET: profile rpi5' });
    assert.equal(installState(rec('a'), rep('a', { failedBundle: NEW, receivedMs: START - 1 }), START).state, 'pending', 'a failure from before the wave');
    assert.equal(installState(rec('a', 'restored'), rep('a', { activeBundle: NEW }), START).state, 'restored', 'restored is final');
  });
});

describe('wave figures and gates', () => {
  it('counts errors and latency only over installed devices on the new bundle', () => {
    const devices = [rec('a', 'installed'), rec('b', 'installed'), rec('c', 'installing'), rec('d', 'failed')];
    const reported = new Map([
      ['a', rep('a', { activeBundle: NEW, inferences: 300, inferenceErrors: 3, latencyP99Ms: 12 })],
      ['b', rep('b', { activeBundle: NEW, inferences: 100, inferenceErrors: 9, latencyP99Ms: 30 })],
      ['c', rep('c', { inferences: 10_000, inferenceErrors: 5000, latencyP99Ms: 900 })],
      ['d', rep('d', { inferences: 50, inferenceErrors: 50, latencyP99Ms: 700 })],
    ]);
    const m = waveMetrics(devices, reported);
    assert.deepEqual(m, { errorRate: 12 / 400, p99LatencyMs: 30, failedInstalls: 1, inferences: 400 });
    assert.deepEqual(waveMetrics([rec('a', 'installed')], new Map([['a', rep('a', { activeBundle: NEW })]])).errorRate, 0, 'no inferences: rate 0');
  });

  it('gives each gate its value, limit and verdict; the soak counts from settling', () => {
    const m = { errorRate: 0.2, p99LatencyMs: 20, failedInstalls: 1, inferences: 10 };
    const v = verdicts(m, wave().gates, wave({ settledMs: START + 500 }), START + 1200);
    assert.deepEqual(v.failedInstalls, { value: 1, limit: 1, ok: true });
    assert.deepEqual(v.errorRate, { value: 0.2, limit: 0.1, ok: false });
    assert.deepEqual(v.p99LatencyMs, { value: 20, limit: 50, ok: true });
    assert.deepEqual(v.soakMs, { value: 700, limit: 1000, ok: false });
    assert.equal(verdicts(m, wave().gates, wave(), START + 5000).soakMs.ok, false, 'not settled: no soak yet');
    assert.equal(brokenGate(m, v, 2), 'wave 2 failed its gate maxErrorRate: error rate 0.2 (over 10 inferences) > 0.1');
    const fine = { ...m, errorRate: 0 };
    assert.equal(brokenGate(fine, verdicts(fine, wave().gates, wave(), START), 0), null);
  });
});
