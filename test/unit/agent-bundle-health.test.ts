/**
 * The health check after a swap, with real ONNX Runtime: each of its three conditions fails with
 * EH_BUNDLE_HEALTH saying what failed and by how much; plus the runtime counters the rollout
 * gates read, and the reported-state encoding.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { modelSpecOf } from '../../edge-agent/bundles/bundle-model.ts';
import { compareOutput, runHealthCheck } from '../../edge-agent/bundles/health-check.ts';
import { emptyReport, encodeReport } from '../../edge-agent/bundles/reporter.ts';
import { defaultScoring, LATENCY_RING, ModelHost } from '../../edge-agent/runtime/index.ts';
import { decodeBundle, recordHealthCheck } from '../../shared/bundle/index.ts';
import { decode } from '../../shared/protocol/codec.ts';
import { mlpModel } from '../support/onnx-models.ts';
import { checkFor, FEATURES, makeBundle, makeKeys, STREAM, tinyModel, tinyPreprocess } from '../support/bundle-agent-fixtures.ts';

const opts = { budgetMs: 1000, latencyScale: 1, label: 'bundle pump v1' };

describe('health check', () => {
  test('the model the check was recorded with passes', async () => {
    const check = await checkFor(tinyModel());
    let ran = false;
    const r = await runHealthCheck(tinyModel(), check, { ...opts, onRunning: () => { ran = true; } });
    assert.ok(ran, 'the step hook runs during the check');
    assert.ok(r.worstError <= check.tolerance);
    assert.ok(r.medianMs > 0 && r.scaledMs === r.medianMs);
  });

  test('a model that does not load fails with the load error', async () => {
    const check = await checkFor(tinyModel());
    await assert.rejects(runHealthCheck(new Uint8Array([1, 2, 3, 4]), check, opts), (e: Error & { code?: string; details?: { reason?: string } }) =>
      e.code === 'EH_BUNDLE_HEALTH' && e.details?.reason === 'load' && /does not load/.test(e.message));
  });

  test('another model gives another output: a mismatch naming the worst value', async () => {
    const check = await checkFor(tinyModel());
    await assert.rejects(runHealthCheck(tinyModel(2), check, opts), (e: Error & { code?: string; details?: { reason?: string } }) =>
      e.code === 'EH_BUNDLE_HEALTH' && e.details?.reason === 'output' && /output mismatch, value \d+ is .* \(relative error .* > tolerance/.test(e.message));
  });

  test('latency over the budget, after the latency scale, fails and says both numbers', async () => {
    const check = await checkFor(tinyModel());
    await assert.rejects(runHealthCheck(tinyModel(), check, { ...opts, budgetMs: 0.5, latencyScale: 1e6 }), (e: Error & { code?: string }) =>
      e.code === 'EH_BUNDLE_HEALTH' && /latency [0-9.]+ ms > budget 0.5 ms/.test(e.message) && /latencyScale 1000000/.test(e.message));
  });

  test('checks running at once in one process (a simulated fleet) each time only their own runs', async () => {
    const wide = mlpModel({ inputs: 256, hidden: [512, 512], outputs: 256, seed: 3 });
    const check = await recordHealthCheck(wide, [1, 256], { runs: 5 });
    const solo = await runHealthCheck(wide, check, opts);
    const all = await Promise.all(Array.from({ length: 24 }, () => runHealthCheck(wide, check, opts)));
    const worst = Math.max(...all.map((r) => r.medianMs));
    assert.ok(worst < Math.max(5 * solo.medianMs, solo.medianMs + 2), `worst median ${worst.toFixed(3)} ms with 24 at once, ${solo.medianMs.toFixed(3)} ms alone`);
  });

  test('relative error is measured against max(1, |recorded|), and NaN is never within tolerance', () => {
    assert.deepEqual(compareOutput([1.5, 200], [1, 100]), { worst: 1, at: 1 });
    assert.equal(compareOutput([0.5005], [0.5]).worst.toFixed(4), '0.0005');
    assert.equal(compareOutput([Number.NaN], [0]).worst, Number.POSITIVE_INFINITY);
  });

  test('a bundle without a preprocessing spec cannot run on the agent', async () => {
    const k = makeKeys(Date.now());
    const b = await makeBundle(k, { version: 1, nowMs: Date.now(), withPreprocess: false });
    assert.throws(() => modelSpecOf(decodeBundle(b.bytes)), { code: 'EH_BUNDLE_HEALTH' });
    const ok = modelSpecOf(decodeBundle((await makeBundle(k, { version: 1, nowMs: Date.now() })).bytes));
    assert.deepEqual({ id: ok.id, stream: ok.stream, task: ok.task, features: ok.preprocess.features }, { id: 'pump@1/fp32', stream: STREAM, task: 'anomaly', features: [...FEATURES] });
  });
});

describe('active model counters', () => {
  test('scored readings, errors and the p99 latency count from the last load', async () => {
    const host = new ModelHost({ ...defaultScoring(), onScore: () => {} });
    const spec = { model: tinyModel(), preprocess: tinyPreprocess(), task: 'anomaly' as const, stream: STREAM, id: 'm1' };
    await host.load(spec);
    assert.ok(Number.isNaN(host.activeCounters().p99Ms), 'no latency before the first inference');
    const rows = Array.from({ length: 30 }, (_, i) => ({ tsMs: i, values: [i % 5, i % 3] }));
    host.offer(STREAM, FEATURES, rows);
    host.offer(STREAM, ['a'], rows.slice(0, 2)); // a stream without feature b: a scoring error
    await host.drain();
    const c = host.activeCounters();
    assert.equal(c.scored, 30);
    assert.equal(c.errors, 1);
    assert.ok(c.p99Ms > 0 && Number.isFinite(c.p99Ms));
    await host.load({ ...spec, id: 'm2' });
    assert.deepEqual({ ...host.activeCounters(), p99Ms: 0 }, { modelId: 'm2', scored: 0, errors: 0, p99Ms: 0 });
    assert.equal(host.scored, 30, 'lifetime counters keep counting');
    assert.ok(LATENCY_RING >= 100);
    await host.close();
  });
});

describe('reported state', () => {
  test('encodes what the hub reads, and inference counters only with an active bundle', () => {
    const r = { ...emptyReport(), phase: 'failed' as const, desiredBundle: 'b2', error: { code: 'EH_BUNDLE_REPLAY', message: 'version 1 is not above 2', bundleId: 'b2' } };
    const idle = decode('reported', encodeReport(r, { inferences: 5, errors: 1, p99Ms: 3 }, { tsMs: Date.now(), profile: 'p', agentVersion: '0.1.0' }));
    assert.deepEqual({ phase: idle.phase, errorCode: idle.errorCode, failedBundle: idle.failedBundle, inferences: Number(idle.inferences) }, { phase: 'failed', errorCode: 'EH_BUNDLE_REPLAY', failedBundle: 'b2', inferences: 0 });
    const active = { ...r, phase: 'active' as const, active: { bundleId: 'b1', model: 'pump', version: 1, healthy: true }, activatedMs: 123 };
    const a = decode('reported', encodeReport(active, { inferences: 5, errors: 1, p99Ms: Number.NaN }, { tsMs: Date.now(), profile: 'p', agentVersion: '0.1.0' }));
    assert.deepEqual({ bundle: a.active?.bundleId, inf: Number(a.inferences), err: Number(a.inferenceErrors), p99: a.latencyP99Ms, at: a.activatedMs }, { bundle: 'b1', inf: 5, err: 1, p99: 0, at: 123 });
  });
});
