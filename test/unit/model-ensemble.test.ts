/**
 * Seed ensembles (cloud-hub/model/ensemble.ts, training.ensemble): the merged graph, exported to
 * ONNX and run in ONNX Runtime, outputs the mean of its members' outputs for the shapes the
 * anomaly and forecast heads build; refusals name what cannot be merged, and recipe validation
 * names the field; trainRecipe with an ensemble trains every member, reports progress over all of
 * them and is reproducible.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exportOnnx } from '../../cloud-hub/export/index.ts';
import { mergeEnsemble } from '../../cloud-hub/model/ensemble.ts';
import type { GraphNode, ModelGraph, WeightTensor } from '../../cloud-hub/model/graph.ts';
import { nodeToLayerSpec, outputShapeOf } from '../../cloud-hub/model/shapes.ts';
import { parseRecipe, resolveRecipe } from '../../cloud-hub/recipes/index.ts';
import { trainRecipe, type TrainingRows } from '../../cloud-hub/trainer/index.ts';
import type { TrainProgress } from '../../cloud-hub/trainer/engine-api.ts';
import { isEdgehiveError } from '../../shared/errors/index.ts';
import { OnnxSession } from '../../shared/inference/onnx-session.ts';
import { checkOnnxModel, onnxCheckerSkip } from '../support/onnx-checker.ts';
import { seeded } from '../support/seeded.ts';

type Act = 'linear' | 'relu' | 'tanh' | 'softmax';

function member(seed: number, inputShape: number[], spec: readonly (GraphNode['kind'] | [number, Act])[]): ModelGraph {
  const r = seeded(seed);
  const w = (shape: number[]): WeightTensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r() - 0.5) });
  let width = inputShape.reduce((a, b) => a * b, 1);
  const layers = spec.map((s): GraphNode => {
    if (Array.isArray(s)) {
      const [units, activation] = s;
      const node: GraphNode = { kind: 'dense', units, activation, kernel: w([width, units]), bias: w([units]) };
      width = units;
      return node;
    }
    if (s === 'flatten') return { kind: 'flatten' };
    if (s === 'dropout') return { kind: 'dropout', rate: 0.1 };
    if (s === 'reshape') return { kind: 'reshape', shape: inputShape };
    throw new Error(`no builder for ${s}`);
  });
  return { name: 'ens', inputShape, outputShape: outputShapeOf(inputShape, layers.map(nodeToLayerSpec)), layers };
}

async function outputs(g: ModelGraph, x: Float32Array, batch: number): Promise<Float32Array> {
  const session = await OnnxSession.load(exportOnnx(g));
  return (await session.run(x, [batch, ...g.inputShape])).data;
}

const checkerSkip = onnxCheckerSkip();

describe('mergeEnsemble', () => {
  const cases: { name: string; inputShape: number[]; spec: (GraphNode['kind'] | [number, Act])[] }[] = [
    { name: 'forecast head: flatten → dense relu → dense relu → dense linear', inputShape: [16, 1], spec: ['flatten', [32, 'relu'], [16, 'relu'], [1, 'linear']] },
    { name: 'autoencoder: flatten → relu → linear bottleneck → dropout → relu → linear → reshape', inputShape: [8, 2], spec: ['flatten', [6, 'relu'], [3, 'linear'], 'dropout', [6, 'tanh'], [16, 'linear'], 'reshape'] },
    { name: 'a single linear layer (weights averaged)', inputShape: [5], spec: [[2, 'linear']] },
  ];
  for (const c of cases) {
    test(`in ONNX Runtime the merged graph outputs the members' mean: ${c.name}`, async () => {
      const members = [1, 2, 3, 4].map((s) => member(s, c.inputShape, c.spec));
      const merged = mergeEnsemble(members);
      assert.deepEqual(merged.outputShape, members[0]!.outputShape);
      if (!checkerSkip) checkOnnxModel(exportOnnx(merged));
      const batch = 7;
      const r = seeded(99);
      const x = Float32Array.from({ length: batch * c.inputShape.reduce((a, b) => a * b, 1) }, () => 4 * r() - 2);
      const each = await Promise.all(members.map((m) => outputs(m, x, batch)));
      const got = await outputs(merged, x, batch);
      assert.equal(got.length, each[0]!.length);
      let worst = 0;
      got.forEach((v, i) => {
        const mean = each.reduce((a, o) => a + o[i]!, 0) / each.length;
        worst = Math.max(worst, Math.abs(v - mean));
      });
      assert.ok(worst < 1e-5, `merged output differs from the members' mean by ${worst}`);
      // And it is not just one member: the mean differs from member 0 somewhere.
      assert.ok(got.some((v, i) => Math.abs(v - each[0]![i]!) > 1e-3));
    });
  }

  test('hidden layers widen K-fold; the head keeps its width', () => {
    const merged = mergeEnsemble([1, 2, 3].map((s) => member(s, [16, 1], ['flatten', [32, 'relu'], [16, 'relu'], [1, 'linear']])));
    const dense = merged.layers.filter((l) => l.kind === 'dense');
    assert.deepEqual(dense.map((l) => l.kernel.shape), [[16, 96], [96, 48], [48, 1]]);
    // Block-diagonal middle layer: member 0's units never feed member 1's.
    const mid = dense[1]!.kernel;
    assert.equal(mid.data[0 * 48 + 16], 0);
    assert.equal(mid.data[32 * 48 + 0], 0);
  });

  const refusal = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      assert.ok(isEdgehiveError(e), String(e));
      assert.equal(e.code, 'EH_RECIPE_INVALID');
      return e.message;
    }
    assert.fail('expected a refusal');
  };

  test('refuses a softmax head, mismatched members and non-dense layers, saying why', () => {
    const soft = [1, 2].map((s) => member(s, [4], [[3, 'relu'], [2, 'softmax']]));
    assert.match(refusal(() => mergeEnsemble(soft)), /linear head.*softmax/);
    const a = member(1, [4], [[3, 'relu'], [1, 'linear']]);
    const b = member(2, [4], [[5, 'relu'], [1, 'linear']]);
    assert.match(refusal(() => mergeEnsemble([a, b])), /member 1 does not have member 0's layers/);
    const conv: ModelGraph = { ...a, layers: [{ kind: 'globalAvgPool1d' }, ...a.layers] };
    assert.match(refusal(() => mergeEnsemble([conv, conv])), /layer 0 \(globalAvgPool1d\) cannot be merged/);
  });
});

describe('training.ensemble in recipes', () => {
  test('recipe validation refuses an ensemble of a conv1d model, naming /training/ensemble', () => {
    const hvac = resolveRecipe('hvac-anomaly');
    const message = (() => {
      try {
        parseRecipe({ ...hvac, training: { ...hvac.training, ensemble: 3 } });
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    assert.match(message, /\/training\/ensemble: .*layer 0 \(conv1d\) cannot be merged/);
    assert.match(message, /train without an ensemble/);
  });

  function sine(n: number): TrainingRows {
    const t0 = Date.UTC(2026, 0, 1);
    const rows = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 6) + 0.1 * Math.sin(i * 1.7));
    return { features: ['value'], rows, timestamps: Array.from({ length: n }, (_, i) => t0 + i * 60_000) };
  }

  test('trainRecipe trains every member, reports progress over all of them, and is reproducible', async () => {
    const base = resolveRecipe('nab-forecast');
    const recipe = parseRecipe({ ...base, training: { ...base.training, epochs: 3, earlyStopping: undefined, ensemble: 3 } });
    const progress: TrainProgress[] = [];
    const a = await trainRecipe(recipe, sine(400), { backend: 'cpu', onProgress: (p) => progress.push(p) });
    assert.deepEqual(progress.map((p) => p.epoch), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.ok(progress.every((p) => p.epochs === 9));
    assert.deepEqual(progress.map((p) => p.member?.index), [1, 1, 1, 2, 2, 2, 3, 3, 3]);
    assert.ok(progress.every((p) => p.member?.of === 3));
    assert.equal(progress.at(-1)!.etaMs, 0);
    assert.deepEqual(a.history.map((h) => h.epoch), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const widths = a.graph.layers.flatMap((l) => (l.kind === 'dense' ? [l.units] : []));
    assert.deepEqual(widths, [96, 48, 1]);
    const b = await trainRecipe(recipe, sine(400), { backend: 'cpu' });
    assert.deepEqual(b.graph, a.graph);
    // Member 0 is the single model of the same seed: the ensemble is that model averaged with others.
    const single = await trainRecipe(parseRecipe({ ...recipe, training: { ...recipe.training, ensemble: 1 } }), sine(400), { backend: 'cpu' });
    const first = single.graph.layers.find((l) => l.kind === 'dense')!;
    const merged = a.graph.layers.find((l) => l.kind === 'dense')!;
    assert.ok(first.kind === 'dense' && merged.kind === 'dense');
    assert.deepEqual(Array.from({ length: 16 }, (_, r) => Array.from(merged.kernel.data.subarray(r * 96, r * 96 + 32))), Array.from({ length: 16 }, (_, r) => Array.from(first.kernel.data.subarray(r * 32, r * 32 + 32))));
  });
});
