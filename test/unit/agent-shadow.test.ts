/**
 * The pure parts of shadow evaluation: the figures a shadow run reports, the challenger's
 * verification (every install rule, without raising the highest version seen), and the figures
 * on the wire in the reported state.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emptyReport, encodeReport, type ShadowReport } from '../../edge-agent/bundles/reporter.ts';
import { SCORE_BINS, SHADOW_LATENCY_RING, ShadowStats } from '../../edge-agent/shadow/shadow-stats.ts';
import { verifyChallenger } from '../../edge-agent/shadow/shadow-verify.ts';
import type { TrustState } from '../../shared/bundle/index.ts';
import { decode } from '../../shared/protocol/codec.ts';
import { Challenger } from '../../edge-agent/shadow/challenger.ts';
import { defaultScoring } from '../../edge-agent/runtime/index.ts';
import { ModelRunner } from '../../edge-agent/runtime/model-runner.ts';
import { OnnxSession } from '../../shared/inference/index.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { FEATURES, FLEET, makeBundle, makeKeys, PROFILE, STREAM, tinyModel, tinyPreprocess } from '../support/bundle-agent-fixtures.ts';

const NOW = Date.now();

describe('shadow figures', () => {
  test('agreement, mean scores, detections and the score distance', () => {
    const s = new ShadowStats();
    s.add({ score: 0.1, detection: false }, { score: 0.1, detection: false });
    s.add({ score: 0.9, detection: true }, { score: 0.2, detection: false });
    s.add({ score: 0.3, detection: false }, { score: 0.95, detection: true });
    s.add({ score: 0.95, detection: true }, { score: 0.97, detection: true });
    const f = s.figures();
    assert.equal(f.inferences, 4);
    assert.equal(f.agreement, 0.5);
    assert.ok(Math.abs(f.championMeanScore - 2.25 / 4) < 1e-12);
    assert.ok(Math.abs(f.challengerMeanScore - 2.22 / 4) < 1e-12);
    assert.equal(f.championDetections, 2);
    assert.equal(f.challengerDetections, 2);
    assert.ok(f.scoreJs > 0 && f.scoreJs < 1);
  });

  test('identical verdicts: agreement 1, distance 0; disjoint scores: distance 1; nothing scored: all 0', () => {
    const same = new ShadowStats();
    for (let i = 0; i < 50; i++) same.add({ score: i / 50, detection: i % 7 === 0 }, { score: i / 50, detection: i % 7 === 0 });
    assert.equal(same.figures().agreement, 1);
    assert.equal(same.figures().scoreJs, 0);
    const apart = new ShadowStats();
    for (let i = 0; i < 10; i++) apart.add({ score: 0.01, detection: false }, { score: 0.99, detection: false });
    assert.ok(Math.abs(apart.figures().scoreJs - 1) < 1e-9);
    assert.deepEqual(new ShadowStats().figures(), {
      inferences: 0, agreement: 0, championMeanScore: 0, challengerMeanScore: 0, scoreJs: 0,
      challengerLatencyP99Ms: 0, challengerErrors: 0, championDetections: 0, challengerDetections: 0,
    });
  });

  test('classify: the same alert with another class is a disagreement', () => {
    const s = new ShadowStats();
    s.add({ score: 0.5, detection: false, label: 1 }, { score: 0.5, detection: false, label: 2 });
    s.add({ score: 0.5, detection: false, label: 2 }, { score: 0.5, detection: false, label: 2 });
    assert.equal(s.figures().agreement, 0.5);
  });

  test('the p99 covers only the most recent latencies, in a fixed ring; scores outside [0, 1] land in the end bins', () => {
    const s = new ShadowStats();
    for (let i = 0; i < SHADOW_LATENCY_RING; i++) s.latency(100);
    for (let i = 0; i < SHADOW_LATENCY_RING; i++) s.latency(i < SHADOW_LATENCY_RING - 20 ? 1 : 2);
    assert.equal(s.figures().challengerLatencyP99Ms, 2, 'the old 100 ms runs are gone');
    s.add({ score: -3, detection: false }, { score: 0, detection: false });
    s.add({ score: Number.NaN, detection: false }, { score: 7, detection: false });
    assert.equal(s.figures().inferences, 2);
    assert.ok(SCORE_BINS >= 10);
    s.error();
    assert.equal(s.figures().challengerErrors, 1);
  });
});

describe('challenger verification', () => {
  const ctx = { fleet: FLEET, profile: PROFILE, agentVersion: '0.1.0', nowMs: NOW };

  test('verifies like an install but leaves the highest version seen where it was', async () => {
    const k = makeKeys(NOW);
    const b = await makeBundle(k, { version: 3, nowMs: NOW });
    const trust: TrustState = { root: k.rootBody, keyListVersion: 1, highestVersion: { pump: 2 } };
    const before = structuredClone(trust);
    const v = verifyChallenger(b.bytes, b.id, trust, ctx, { bundleId: 'x', model: 'pump', version: 2 });
    assert.equal(v.manifest.version, 3);
    assert.deepEqual(trust, before, 'the caller\'s trust state is not changed');
    // The same bundle still verifies as an install afterwards (its promotion is no replay).
    assert.equal(verifyChallenger(b.bytes, b.id, trust, ctx, null).id, b.id);
  });

  test('refuses a version not above the champion or the highest seen, a wrong id, and a bad signature', async () => {
    const k = makeKeys(NOW);
    const b = await makeBundle(k, { version: 2, nowMs: NOW });
    const fresh: TrustState = { root: k.rootBody, keyListVersion: 0, highestVersion: {} };
    assert.throws(() => verifyChallenger(b.bytes, b.id, fresh, ctx, { bundleId: 'c', model: 'pump', version: 2 }), (e: Error & { code?: string }) => e.code === 'EH_BUNDLE_REPLAY' && /champion v2/.test(e.message));
    assert.throws(() => verifyChallenger(b.bytes, b.id, { ...fresh, highestVersion: { pump: 5 } }, ctx, null), { code: 'EH_BUNDLE_REPLAY' });
    assert.throws(() => verifyChallenger(b.bytes, 'f'.repeat(64), fresh, ctx, null), { code: 'EH_BUNDLE_HASH' });
    const other = makeKeys(NOW);
    assert.throws(() => verifyChallenger(b.bytes, b.id, { root: other.rootBody, keyListVersion: 0, highestVersion: {} }, ctx, null), (e: Error & { code?: string }) => /^EH_BUNDLE_/.test(e.code ?? ''));
  });
});

describe('shadow figures in the reported state', () => {
  test('travel in ReportedState.shadow, non-finite figures as 0; absent without a shadow', () => {
    const shadow: ShadowReport = {
      bundleId: 'a'.repeat(64), phase: 'running', inferences: 12, agreement: 0.75, championMeanScore: 0.4, challengerMeanScore: 0.5,
      scoreJs: 0.2, championLatencyP99Ms: Number.NaN, challengerLatencyP99Ms: 1.5, challengerErrors: 1, errorCode: '', errorMessage: '',
      championDetections: 3, challengerDetections: 4,
    };
    const o = { tsMs: NOW, profile: PROFILE, agentVersion: '0.1.0' };
    const counters = { inferences: 0, errors: 0, p99Ms: Number.NaN };
    const r = decode('reported', encodeReport(emptyReport(), counters, o, shadow));
    assert.equal(r.shadow?.bundleId, shadow.bundleId);
    assert.equal(r.shadow?.phase, 'running');
    assert.equal(Number(r.shadow?.inferences), 12);
    assert.equal(r.shadow?.agreement, 0.75);
    assert.equal(r.shadow?.championLatencyP99Ms, 0);
    assert.equal(Number(r.shadow?.challengerDetections), 4);
    assert.equal(decode('reported', encodeReport(emptyReport(), counters, o)).shadow ?? null, null);
  });
});

describe('a challenger started mid-stream', () => {
  test('lines its windows up with the champion, so with a stride above 1 both models score the same readings', async () => {
    const stride = 3;
    const base = tinyPreprocess();
    const preprocess = { ...base, window: { ...base.window, stride } };
    const champion = new ModelRunner(await OnnxSession.load(tinyModel()), preprocess, { task: 'anomaly' });
    const scoring = defaultScoring();
    const session = await OnnxSession.load(tinyModel(0.5));
    const spec = { model: tinyModel(0.5), preprocess, task: 'anomaly' as const, stream: STREAM, id: 'pump@2/fp32', bundle: { id: 'c'.repeat(64), model: 'pump', version: 2, reference: null, referenceError: null } };
    const challenger = new Challenger({ spec, session, normaliser: scoring.normaliser(), detector: scoring.detector(), logger: silentLogger() });
    const row = (i: number) => [20 + Math.sin(i / 3) * 5, Math.cos(i / 4)];
    let championScored = 0;
    for (let i = 0; i < 60; i++) {
      const r = await champion.push(row(i));
      const raw = r === null ? Number.NaN : r.score;
      if (r !== null && i >= 20) championScored += 1;
      // The challenger joins at reading 20, out of phase with the champion's stride of 3 (windows at 3, 6, … from its own start would be 22, 25, …).
      if (i >= 20) {
        await challenger.score(STREAM, FEATURES, { tsMs: i, values: row(i) }, { stream: STREAM, tsMs: i, raw, score: 0, detection: false, modelId: 'pump@1/fp32' });
      }
    }
    const shared = challenger.stats.inferences;
    assert.ok(shared >= championScored - 2, `the challenger compared ${shared} readings of the ${championScored} the champion scored after it joined`);
    await challenger.close();
  });
});
