import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEdgehiveError } from '../../shared/errors/index.ts';
import { loadRecipe, parseRecipe, resolveRecipe, shippedRecipeNames, type Recipe } from '../../cloud-hub/recipes/index.ts';
import { planModel } from '../../cloud-hub/model/plan.ts';
import { flopsOf, inferShapes } from '../../cloud-hub/model/shapes.ts';
import { graphToJson, parseGraph } from '../../cloud-hub/model/serialise.ts';
import type { ModelGraph } from '../../cloud-hub/model/graph.ts';

function base(): Recipe {
  return {
    version: 1,
    name: 'r1',
    task: 'anomaly',
    input: { features: ['a', 'b'], window: { length: 16, stride: 4 } },
    architecture: { layers: [{ type: 'flatten' }, { type: 'dense', units: 8, activation: 'relu' }] },
    training: { epochs: 5, batchSize: 8, learningRate: 0.01 },
    gates: { maxInt8Loss: 0.02 },
  };
}

/** The error's message, asserting it is EH_RECIPE_INVALID and names `path`. */
function refused(json: unknown, path: string, pattern?: RegExp): string {
  try {
    parseRecipe(json, 'recipe t');
  } catch (e) {
    assert.ok(isEdgehiveError(e, 'EH_RECIPE_INVALID'), `expected EH_RECIPE_INVALID, got ${String(e)}`);
    const msg = (e as Error).message;
    assert.ok(msg.includes(`${path}:`), `"${msg}" should name ${path}`);
    if (pattern) assert.match(msg, pattern);
    return msg;
  }
  assert.fail(`recipe accepted, expected a problem at ${path}`);
}

function edit(f: (r: Recipe & Record<string, unknown>) => void): unknown {
  const r = structuredClone(base()) as Recipe & Record<string, unknown>;
  f(r);
  return r;
}

test('a valid recipe parses and keeps its content', () => {
  const r = parseRecipe(base());
  assert.deepEqual(r, base());
});

test('schema errors name the field by JSON pointer and say what is expected', () => {
  refused(edit((r) => { (r.input.window as Record<string, unknown>).length = 'long'; }), '/input/window/length', /integer|number/i);
  refused(edit((r) => { (r as Record<string, unknown>).task = 'anomly'; }), '/task', /"anomaly", "forecast", "classify"/);
  refused(edit((r) => { (r.architecture.layers as unknown[]).push({ type: 'lstm', units: 4 }); }), '/architecture/layers/2/type', /unknown type "lstm".*conv1d/);
  refused(edit((r) => { (r.architecture.layers as unknown[])[1] = { type: 'dense', units: 'x' }; }), '/architecture/layers/1/units');
  refused(edit((r) => { (r.architecture.layers as unknown[])[1] = { type: 'dense', units: 4, activaton: 'relu' }; }), '/architecture/layers/1/activaton');
  refused(edit((r) => { (r.input as Record<string, unknown>).normalisation = 'minmax'; }), '/input/normalisation', /"zscore"/);
  refused(edit((r) => { (r as Record<string, unknown>).extra = 1; }), '/extra');
});

test('duplicate feature names are refused at the second one', () => {
  refused(edit((r) => { r.input.features = ['a', 'b', 'a']; }), '/input/features/2', /listed twice/);
});

test('forecast targets must be input features; target fields of another task are refused', () => {
  const f = edit((r) => { r.task = 'forecast'; r.target = { features: ['a', 'c'], horizon: 2 }; });
  refused(f, '/target/features/1', /"c" is not an input feature/);
  refused(edit((r) => { r.target = { horizon: 3 }; }), '/target/horizon', /only used by task "forecast"/);
});

test('classify needs a label that is not an input, and class names', () => {
  refused(edit((r) => { r.task = 'classify'; r.target = { classes: ['x', 'y'] }; }), '/target/label', /class index/);
  refused(edit((r) => { r.task = 'classify'; r.target = { label: 'b', classes: ['x', 'y'] }; }), '/target/label', /also an input feature/);
  refused(edit((r) => { r.task = 'classify'; r.target = { label: 'z' }; }), '/target/classes');
  const ok = parseRecipe(edit((r) => { r.task = 'classify'; r.target = { label: 'z', classes: ['x', 'y', 'w'] }; }));
  assert.deepEqual(planModel(ok).outputShape, [3]);
});

test('a stride longer than the window, a split leaving no test data and mismatched gates are refused', () => {
  refused(edit((r) => { r.input.window.stride = 20; }), '/input/window/stride', /never be seen/);
  refused(edit((r) => { r.training.split = { train: 0.8, validation: 0.2 }; }), '/training/split', /nothing for the test split/);
  refused(edit((r) => { r.gates.minAccuracy = 0.9; }), '/gates/minAccuracy', /task "anomaly" has no such metric/);
  refused(edit((r) => { r.quantisation = { percentile: 99.9 }; }), '/quantisation/percentile');
  refused(edit((r) => { r.training.earlyStopping = { patience: 5 }; }), '/training/earlyStopping/patience');
});

test('a layer stack that does not fit the window names the layer', () => {
  const conv = (layers: unknown[]) => edit((r) => { r.architecture.layers = layers as Recipe['architecture']['layers']; });
  refused(conv([{ type: 'conv1d', filters: 4, kernelSize: 17 }]), '/architecture/layers/0', /kernelSize 17 is larger than the 16 time steps/);
  refused(conv([{ type: 'maxPool1d', poolSize: 4 }, { type: 'maxPool1d', poolSize: 8 }]), '/architecture/layers/1', /poolSize 8 is larger than the 4 time steps/);
  refused(conv([{ type: 'reshape', shape: [8, 3] }]), '/architecture/layers/0', /32 values.*24 values/);
  refused(conv([{ type: 'flatten' }, { type: 'conv1d', filters: 2, kernelSize: 3 }]), '/architecture/layers/1', /needs a \[time, channels\] input/);
  refused(conv([{ type: 'globalAvgPool1d' }, { type: 'maxPool1d', poolSize: 2 }]), '/architecture/layers/1', /maxPool1d/);
});

test('every problem is reported at once', () => {
  const msg = refused(edit((r) => { r.input.features = ['a', 'a']; r.input.window.stride = 99; }), '/input/features/1');
  assert.match(msg, /\/input\/window\/stride:/);
});

test('shapes follow Keras: conv valid/same with stride, pooling, dense on the last axis', () => {
  const shapes = inferShapes([100, 3], [
    { type: 'conv1d', filters: 8, kernelSize: 5, stride: 2 },
    { type: 'conv1d', filters: 8, kernelSize: 5, stride: 3, padding: 'same' },
    { type: 'maxPool1d', poolSize: 3, stride: 2 },
    { type: 'dense', units: 6 },
    { type: 'batchNorm' },
    { type: 'globalAvgPool1d' },
    { type: 'reshape', shape: [2, 3] },
    { type: 'flatten' },
  ]);
  // valid: ⌊(100 − 5)/2⌋ + 1 = 48; same: ⌈48/3⌉ = 16; pool ⌊(16 − 3)/2⌋ + 1 = 7
  assert.deepEqual(shapes, [[48, 8], [16, 8], [7, 8], [7, 6], [7, 6], [6], [2, 3], [6]]);
});

test('plan heads per task', () => {
  const an = planModel(parseRecipe(base()));
  assert.deepEqual(an.layers.slice(an.hiddenCount), [{ type: 'dense', units: 32, activation: 'linear' }, { type: 'reshape', shape: [16, 2] }]);
  assert.deepEqual(an.outputShape, [16, 2]);
  assert.equal(an.loss, 'mse');

  const conv = parseRecipe(edit((r) => { r.architecture.layers = [{ type: 'conv1d', filters: 4, kernelSize: 3 }]; }));
  assert.deepEqual(planModel(conv).layers.slice(1).map((l) => l.type), ['flatten', 'dense', 'reshape']);

  const fc = planModel(parseRecipe(edit((r) => { r.task = 'forecast'; r.target = { features: ['b'], horizon: 3 }; })));
  assert.deepEqual(fc.layers.slice(fc.hiddenCount), [{ type: 'dense', units: 3, activation: 'linear' }]);
  assert.deepEqual(fc.targetIndices, [1]);

  const cl = planModel(parseRecipe(edit((r) => {
    r.task = 'classify'; r.target = { label: 'y', classes: ['p', 'q'] };
    r.architecture.layers = [{ type: 'conv1d', filters: 4, kernelSize: 3 }, { type: 'globalAvgPool1d' }];
  })));
  // Ends in globalAvgPool1d: no flatten added.
  assert.deepEqual(cl.layers.slice(cl.hiddenCount), [{ type: 'dense', units: 2, activation: 'softmax' }]);
  assert.equal(cl.loss, 'categoricalCrossentropy');
});

test('every shipped recipe validates; the classifier costs at least 10 MFLOP and says how much', () => {
  const names = shippedRecipeNames();
  for (const n of ['pump-anomaly', 'hvac-anomaly', 'nab-univariate', 'pump-fault-classifier']) assert.ok(names.includes(n), n);
  for (const n of names) {
    const r = resolveRecipe(n);
    assert.equal(r.name, n);
    planModel(r);
  }
  const cls = resolveRecipe('pump-fault-classifier');
  const mflop = flopsOf(planModel(cls).inputShape, planModel(cls).layers) / 1e6;
  assert.ok(mflop >= 10, `${mflop} MFLOP`);
  assert.match(cls.description ?? '', new RegExp(`${mflop.toFixed(1)} MFLOP`));
});

test('loadRecipe names the file in errors; a missing file is EH_NOT_FOUND', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eh-recipe-'));
  const file = join(dir, 'bad.json');
  writeFileSync(file, '{ "version": 1, ');
  assert.throws(() => loadRecipe(file), (e) => isEdgehiveError(e, 'EH_RECIPE_INVALID') && /recipe bad\.json is not valid JSON/.test((e as Error).message));
  assert.throws(() => loadRecipe(join(dir, 'none.json')), (e) => isEdgehiveError(e, 'EH_NOT_FOUND'));
  assert.throws(() => resolveRecipe('no-such-recipe'), (e) => isEdgehiveError(e, 'EH_NOT_FOUND') && /pump-anomaly/.test((e as Error).message));
});

test('a graph survives JSON exactly, and a damaged one is refused naming the field', () => {
  const w = (shape: number[]) => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.fround(i * 0.1 - 1e-7 * i * i)) });
  const graph: ModelGraph = {
    name: 'g', inputShape: [8, 2], outputShape: [3],
    layers: [
      { kind: 'conv1d', filters: 4, kernelSize: 3, stride: 1, padding: 'same', activation: 'relu', kernel: w([3, 2, 4]), bias: w([4]) },
      { kind: 'batchNorm', epsilon: 1e-3, gamma: w([4]), beta: w([4]), movingMean: w([4]), movingVariance: w([4]) },
      { kind: 'maxPool1d', poolSize: 2, stride: 2 },
      { kind: 'flatten' },
      { kind: 'dense', units: 3, activation: 'softmax', kernel: w([16, 3]), bias: w([3]) },
    ],
  };
  const back = parseGraph(graphToJson(graph));
  assert.deepEqual(back, graph);
  const json = JSON.parse(graphToJson(graph));
  json.layers[4].kernel.shape = [15, 3];
  assert.throws(() => parseGraph(json), (e) => isEdgehiveError(e, 'EH_MODEL_INVALID') && /\/layers\/4\/kernel\/data: holds 48 values/.test((e as Error).message));
  const wrongOut = { ...JSON.parse(graphToJson(graph)), outputShape: [4] };
  assert.throws(() => parseGraph(wrongOut), (e) => isEdgehiveError(e, 'EH_MODEL_INVALID') && /\/outputShape/.test((e as Error).message));
});
