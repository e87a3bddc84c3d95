/**
 * npm run bench:train [-- --quick] [--windows N] [--backends wasm,cpu]
 *
 * Training speed of the TensorFlow.js engine: seconds per epoch of each shipped recipe (its
 * planned model, head included) on each backend present, on synthetic windows of the recipe's
 * shape, plus the reference 1D-CNN ([64, 4] → conv 16k5 → pool 2 → conv 16k5 → GAP →
 * dense 8). Epoch time is quoted for --windows training windows (default 1024) and computed from
 * the warm epoch's samples/s, so a slow backend can be measured on fewer samples than a fast one
 * in the same minute; the ratio to wasm in the same run is the figure to compare across machines.
 */
import { existsSync } from 'node:fs';
import { availableBackends } from '../cloud-hub/trainer/backend.ts';
import { trainGraph } from '../cloud-hub/trainer/engine.ts';
import type { BackendName, EngineInput } from '../cloud-hub/trainer/engine-api.ts';
import type { LayerSpec, Recipe } from '../cloud-hub/recipes/schema.ts';
import { SHIPPED_DIR, resolveRecipe, shippedRecipeNames } from '../cloud-hub/recipes/index.ts';
import { planModel } from '../cloud-hub/model/plan.ts';
import { argValue, isQuick, writeResult, type Metric } from './lib/report.ts';
import { intArg, num, say } from './lib/util.ts';

const quick = isQuick();
const windows = intArg(argValue('windows'), 1024, 'windows');

interface Case { name: string; inputShape: number[]; layers: LayerSpec[]; loss: EngineInput['loss']; batchSize: number; outSize: number; flops?: number }

const REFERENCE_CNN: Case = {
  name: 'reference-cnn', inputShape: [64, 4], loss: 'categoricalCrossentropy', batchSize: 32, outSize: 8,
  layers: [
    { type: 'conv1d', filters: 16, kernelSize: 5, activation: 'relu' }, { type: 'maxPool1d', poolSize: 2 },
    { type: 'conv1d', filters: 16, kernelSize: 5, activation: 'relu' }, { type: 'globalAvgPool1d' }, { type: 'dense', units: 8, activation: 'softmax' },
  ],
};

function recipeCases(): Case[] {
  if (!existsSync(SHIPPED_DIR)) {
    say('no shipped recipes directory: measuring the reference CNN only');
    return [];
  }
  return shippedRecipeNames().map((n) => {
    const recipe: Recipe = resolveRecipe(n);
    const plan = planModel(recipe);
    return {
      name: recipe.name, inputShape: [...plan.inputShape], layers: [...plan.layers], loss: plan.loss,
      batchSize: recipe.training.batchSize, outSize: plan.outputShape.reduce((a, b) => a * b, 1), flops: plan.flops,
    };
  });
}

/** Synthetic, learnable data: smooth series and one-hot classes (speed does not depend on values). */
function synthetic(c: Case, n: number): Pick<EngineInput, 'train'> {
  const per = c.inputShape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n * per).map((_, i) => Math.sin(i * 0.05) + 0.1 * Math.cos(i * 1.7));
  const y = new Float32Array(n * c.outSize);
  if (c.loss === 'categoricalCrossentropy') for (let i = 0; i < n; i++) y[i * c.outSize + (i % c.outSize)] = 1;
  else y.forEach((_, i) => (y[i] = Math.sin(i * 0.03)));
  return { train: { x: { data: x, shape: [n, ...c.inputShape] }, y: { data: y, shape: [n, c.outSize] } } };
}

/** Samples measured per backend: enough for a warm epoch, few enough for a ~1-2 minute run. */
function samplesFor(c: Case, backend: BackendName): number {
  const flops = c.flops ?? 1e5;
  const budget = backend === 'cpu' ? 3e9 : 6e10; // forward+backward FLOP per measured epoch
  const n = Math.floor(budget / (flops * 3));
  return Math.max(c.batchSize * 2, Math.min(quick ? 256 : 2048, n - (n % c.batchSize)));
}

async function measure(c: Case, backend: BackendName): Promise<{ samplesPerSecond: number; n: number }> {
  const n = samplesFor(c, backend);
  const rates: number[] = [];
  // Epoch 1 includes kernel compilation and first-use allocations; epoch 2 is the figure.
  await trainGraph({
    name: c.name, inputShape: c.inputShape, layers: c.layers, loss: c.loss, ...synthetic(c, n),
    training: { epochs: 2, batchSize: c.batchSize, learningRate: 1e-3, seed: 1 },
  }, { backend, onProgress: (p) => rates.push(p.samplesPerSecond) });
  return { samplesPerSecond: rates[rates.length - 1]!, n };
}

const requested = argValue('backends')?.split(',') as BackendName[] | undefined;
const backends = (await availableBackends()).filter((b) => requested === undefined || requested.includes(b));
say(`backends present: ${backends.join(', ')}`);
const cases = [REFERENCE_CNN, ...recipeCases()];
const metrics: Record<string, Metric> = {};
for (const c of cases) {
  const wasmRate: number[] = [];
  for (const b of backends) {
    const { samplesPerSecond, n } = await measure(c, b);
    if (b === 'wasm') wasmRate.push(samplesPerSecond);
    const s = windows / samplesPerSecond;
    const note = `${c.inputShape.join('x')} input, batch ${c.batchSize}` + (c.flops ? `, ${num(c.flops / 1e6)} MFLOP/inference` : '') + `; measured on ${n} windows, epoch 2 of 2`;
    metrics[`${c.name}_${b}_s_per_epoch`] = { value: s, unit: `s/epoch (${windows} windows)`, better: 'lower', note };
    metrics[`${c.name}_${b}_samples_per_s`] = { value: samplesPerSecond, unit: 'samples/s', better: 'higher', note };
    if (b !== 'wasm' && wasmRate[0] !== undefined) {
      metrics[`${c.name}_wasm_over_${b}`] = { value: wasmRate[0] / samplesPerSecond, unit: 'x', better: 'higher', note: 'training samples/s of wasm divided by this backend, same run' };
    }
    say(`${c.name} on ${b}: ${num(samplesPerSecond)} samples/s, ${num(s)} s per ${windows}-window epoch`);
  }
}
writeResult('train', metrics);
