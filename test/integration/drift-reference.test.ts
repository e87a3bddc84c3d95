/**
 * Reference statistics at training time and in bundles: the real model pipeline (TensorFlow.js,
 * ONNX, onnxruntime; a tiny recipe so it stays fast) computes them over the raw training split in
 * the spec's feature order, missing values counted; the version registered from its files has
 * `reference-stats.json`; a bundle built from it carries the file as kind `reference-stats`,
 * verified by a device's root; a version without the file gives a bundle without it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { completeVersion, pipelineFiles, runModelPipeline, type PipelineResult } from '../../cloud-hub/pipeline/index.ts';
import { parseRecipe } from '../../cloud-hub/recipes/index.ts';
import type { ProfilePlanEntry } from '../../cloud-hub/registry/schema.ts';
import type { TrainingRows } from '../../cloud-hub/trainer/index.ts';
import { verifyBundle, type RootBody } from '../../shared/bundle/index.ts';
import { generateKeyPair, toBase64 } from '../../shared/crypto/ed25519.ts';
import { checkReference, REFERENCE_STATS_FILE, type ReferenceStats } from '../../shared/drift/index.ts';
import { startTestHub, type TestHub } from './hub-helpers.ts';

const T0 = Date.UTC(2026, 0, 1);
const N = 400;

const recipe = parseRecipe({
  version: 1, name: 'drift-ref', task: 'anomaly',
  input: { features: ['b', 'a'], window: { length: 8, stride: 4 }, normalisation: 'zscore' },
  architecture: { layers: [{ type: 'flatten' }, { type: 'dense', units: 8, activation: 'relu' }] },
  training: { epochs: 2, batchSize: 32, learningRate: 0.01, seed: 3, split: { train: 0.7, validation: 0.15 } },
  gates: { maxInt8Loss: 1 },
});

/** Column `a` around 0, `b` around 100 (so un-normalised values are easy to tell), every 10th `b` missing; `c` is not a model feature. */
function series(): TrainingRows {
  const timestamps: number[] = [];
  const rows: number[][] = [];
  for (let i = 0; i < N; i++) {
    timestamps.push(T0 + i * 1000);
    rows.push([Math.sin(i / 5), i % 10 === 0 ? Number.NaN : 100 + Math.cos(i / 7), -1]);
  }
  return { features: ['a', 'b', 'c'], timestamps, rows };
}

const PLAN: ProfilePlanEntry[] = [{ profile: 'rpi4', variant: 'fp32', reason: 'profile rpi4: fp32', estimates: {} }];

describe('reference statistics at training time and in bundles', () => {
  let r: PipelineResult;
  let t: TestHub;
  let root: RootBody;

  before(async () => {
    r = await runModelPipeline(recipe, series(), { profiles: [], parityWindows: 8 });
    t = await startTestHub({ fleet: 'drift-ref' });
    root = (await t.hub.provision({ id: 'probe', profile: 'rpi4', publicKey: toBase64(generateKeyPair().publicKey) })).agentConfig.bundles!.root;
  });
  after(async () => {
    await t?.close();
  });

  it('covers the raw training split in the spec order, with missing values and the output scores', () => {
    const ref = r.reference;
    checkReference(ref, 'pipeline reference');
    assert.deepEqual(ref.features.map((f) => f.name), [...r.trained.preprocess.features]);
    const { fromMs, toMs } = r.trained.split.train;
    const train = series().rows.filter((_, i) => T0 + i * 1000 >= fromMs && T0 + i * 1000 <= toMs) as number[][];
    assert.ok(train.length > 100 && train.length < N, `${train.length} training readings`);
    const a = ref.features.find((f) => f.name === 'a')!;
    const b = ref.features.find((f) => f.name === 'b')!;
    assert.equal(a.samples, train.length);
    assert.equal(a.missingRate, 0);
    const bMissing = train.filter((row) => Number.isNaN(row[1])).length;
    assert.ok(bMissing > 0);
    assert.equal(b.samples, train.length - bMissing);
    assert.ok(Math.abs(b.missingRate - bMissing / train.length) < 1e-12);
    // Raw values, not z-scores: b's range sits around 100.
    assert.ok(b.min > 98 && b.max < 102, `b range ${b.min}..${b.max}`);
    assert.ok(a.min >= -1.2 && a.max <= 1.2, `a range ${a.min}..${a.max}`);
    assert.ok(ref.output && ref.output.samples > 0, 'output score reference');
  });

  it('registers reference-stats.json with the version, and its bundle carries it as kind reference-stats', async () => {
    const files = pipelineFiles(r);
    const dataRange = { source: 'store' as const, fromMs: T0, toMs: T0 + (N - 1) * 1000, rows: N };
    const complete = { ...completeVersion(r, dataRange), status: 'ready' as const, plan: PLAN };
    const v = await t.hub.registry.register({ recipe, dataRange, files, complete });
    assert.ok(v.artefacts.some((x) => x.file === REFERENCE_STATS_FILE));
    const stored = JSON.parse(new TextDecoder().decode((await t.hub.registry.readArtefact(recipe.name, v.version, REFERENCE_STATS_FILE)).bytes)) as ReferenceStats;
    assert.deepEqual(stored.features.map((f) => f.name), [...r.trained.preprocess.features]);

    const bundle = (await t.hub.bundles.bundlesForVersion(recipe.name, v.version, ['rpi4'])).get('rpi4')!;
    const verified = verifyBundle(await t.hub.bundles.read(bundle.id), { root, keyListVersion: 0, highestVersion: {} },
      { fleet: t.fleet, profile: 'rpi4', agentVersion: '0.1.0', nowMs: Date.now() });
    const entry = verified.manifest.artefacts.find((x) => x.name === REFERENCE_STATS_FILE);
    assert.equal(entry?.kind, 'reference-stats');
    assert.deepEqual(JSON.parse(new TextDecoder().decode(verified.artefacts.get(REFERENCE_STATS_FILE)!)), stored);

    // A version trained before drift monitoring has no reference: its bundle simply has none.
    const older = { ...files };
    delete older[REFERENCE_STATS_FILE];
    const v2 = await t.hub.registry.register({ recipe, dataRange, files: older, complete });
    const b2 = (await t.hub.bundles.bundlesForVersion(recipe.name, v2.version, ['rpi4'])).get('rpi4')!;
    assert.deepEqual(b2.manifest.artefacts.map((x) => x.kind), ['model.onnx', 'preprocess.json', 'model-card.md']);
  });
});
