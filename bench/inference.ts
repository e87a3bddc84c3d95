/**
 * npm run bench:inference [-- --quick] [--recipes a,b] [--budget-ms N]
 *
 * Inference speed, size and accuracy of every shipped recipe's model (lib/inference-models.ts:
 * trained for a few epochs on data that suits it, exported fp32, quantised static int8 calibrated
 * on training windows), per batch size 1, 8 and 64:
 *  - p50/p99 latency of single calls and throughput (samples/s) in onnxruntime-node (the agents'
 *    runtime, through OnnxSession, one intra-op thread) for fp32 and int8, and a 2-thread row at
 *    batch 64;
 *  - the same trained model in TensorFlow.js, on the plain cpu backend and on wasm, twice: our own
 *    forward pass (createTfPredictor: the trainer's layer code, lean) and a standard tf.LayersModel
 *    built with tf.layers from the same weights, run with model.predict (lib/inference-tf-layers.ts;
 *    checked against ORT fp32 within 1e-4 before it is timed);
 *  - size on disk of each variant and the int8/fp32 ratio; the accuracy delta on the held-out set
 *    (lib/inference-accuracy.ts);
 *  - ORT's optimised graph and kernel profile of the 1D-CNN classifier, fp32 and int8, at batch 1
 *    (lib/inference-profile.ts): whether QDQ fused into integer kernels, and where the time goes.
 * Verdicts: int8 size ≤ 30 % of fp32; int8 ≥ 1.5× fp32 on the classifier at batch 1; ORT ≥ 5×
 * TensorFlow.js cpu at batch 1, judged against both TF.js columns (two verdict lines). Writes bench/results/inference.json (inference.quick.json).
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { shippedRecipeNames } from '../cloud-hub/recipes/index.ts';
import { availableBackends, createTfPredictor } from '../cloud-hub/trainer/index.ts';
import { defaultOrtPath, OnnxSession } from '../shared/inference/index.ts';
import { accuracyDelta } from './lib/inference-accuracy.ts';
import { prepareModel, type PreparedModel } from './lib/inference-models.ts';
import { describeProfile, ortCallFloor, profileModel } from './lib/inference-profile.ts';
import { describeSize, sizeBreakdown } from './lib/inference-size.ts';
import { checkLayersParity, layersPredictor, LAYERS_PARITY_TOLERANCE, type LayersCheck, type LayersPredictor } from './lib/inference-tf-layers.ts';
import { f3, printModels, printRows, printVerdicts, writeInferenceResult, type Engine, type ModelSummary, type Row, type Verdict } from './lib/inference-report.ts';
import { batchOf, ortCall, tfCall, timeCalls, type Call, type TimingBudget } from './lib/inference-timing.ts';
import { argValue, isQuick, type Metric } from './lib/report.ts';
import { intArg, say } from './lib/util.ts';

const quick = isQuick();
const BATCHES = [1, 8, 64] as const;
const budgetMs = intArg(argValue('budget-ms'), quick ? 250 : 800, 'budget-ms');
const requested = argValue('recipes')?.split(',').filter(Boolean);
const CLASSIFY_EPOCHS = quick ? 4 : 10;
// Enough for the small recipes to converge (early stopping still applies): the accuracy delta and
// the gate are only meaningful on a trained model, and int8's error is relative to what it learnt.
const OTHER_EPOCHS = quick ? 3 : 30;

const ortBudget: TimingBudget = { warmupCalls: 5, warmupMs: Math.min(200, budgetMs / 4), budgetMs, minCalls: quick ? 10 : 30, maxCalls: 20_000 };
// TF.js's cpu backend runs the classifier at a few samples/s: floors low enough for it to finish.
const tfBudget: TimingBudget = { warmupCalls: 2, warmupMs: Math.min(200, budgetMs / 4), budgetMs, minCalls: quick ? 3 : 5, maxCalls: 20_000 };

const loadBefore = loadavg();
const started = performance.now();
const names = shippedRecipeNames().filter((n) => requested === undefined || requested.includes(n));
if (requested) for (const r of requested) if (!names.includes(r)) throw new Error(`--recipes: no shipped recipe "${r}"; there are: ${shippedRecipeNames().join(', ')}`);
// The classifier first: it carries two of the three targets.
names.sort((a, b) => Number(b === 'pump-fault-classifier') - Number(a === 'pump-fault-classifier'));
const present = await availableBackends();
const trainBackend = present[0]!;
const tfBackends = present.filter((b) => b === 'cpu' || b === 'wasm');
say(`bench:inference${quick ? ' (quick)' : ''}: ${names.join(', ')}; batches ${BATCHES.join(', ')}; ~${budgetMs} ms timed per cell; TF.js backends ${tfBackends.join(', ')}; load ${loadBefore.map((v) => v.toFixed(2)).join(' ')}`);

const rows: Row[] = [];
const models: ModelSummary[] = [];

const floor = await ortCallFloor(ortBudget);
const ortFloor = { sessionP50Us: floor.session.p50Ms * 1000, rawP50Us: floor.raw.p50Ms * 1000 };
say(`  onnxruntime-node call floor (one Relu, batch 1): OnnxSession p50 ${f3(ortFloor.sessionP50Us)} µs, raw InferenceSession.run p50 ${f3(ortFloor.rawP50Us)} µs`);

function record(m: PreparedModel, engine: Engine, batch: number, threads: number, t: Awaited<ReturnType<typeof timeCalls>>): void {
  rows.push({ model: m.recipe.name, engine, batch, threads, ...t });
  say(`    ${engine}${threads > 1 ? ` ${threads}t` : ''} b${batch}: p50 ${f3(t.p50Ms)} ms, p99 ${f3(t.p99Ms)} ms, ${f3(t.samplesPerS)} samples/s (${t.calls} calls)`);
}

/** ORT through OnnxSession; 'ort-fp32-public' forces ORT's public InferenceSession.run instead of the direct native path (decision 0015). */
async function timeOrt(m: PreparedModel, engine: 'ort-fp32' | 'ort-int8' | 'ort-fp32-public', threads: number, batches: readonly number[]): Promise<void> {
  const s = await OnnxSession.load(engine === 'ort-int8' ? m.int8 : m.fp32, { intraOpThreads: threads, ...(engine === 'ort-fp32-public' ? { path: 'public' as const } : {}) });
  try {
    const [n, ...sample] = m.evalSet.xShape as number[];
    for (const b of batches) record(m, engine, b, threads, await timeCalls(ortCall(s, batchOf(m.evalSet.x, n!, b), [b, ...sample]), b, ortBudget));
  } finally {
    await s.close();
  }
}

/** Our own TF.js forward pass (createTfPredictor). */
async function timeTfOurs(m: PreparedModel, backend: 'cpu' | 'wasm'): Promise<void> {
  const p = await createTfPredictor(m.trained.graph, backend);
  try {
    const [n, ...sample] = m.evalSet.xShape as number[];
    for (const b of BATCHES) {
      const call: Call = tfCall(p, batchOf(m.evalSet.x, n!, b), [b, ...sample]);
      record(m, `tfjs-ours-${backend}`, b, 1, await timeCalls(call, b, tfBudget));
    }
  } finally {
    p.dispose();
  }
}

/** The same weights as a standard tf.LayersModel (model.predict), timed only once it matches ORT fp32. */
async function timeTfLayers(m: PreparedModel, backend: 'cpu' | 'wasm'): Promise<LayersCheck> {
  let p: LayersPredictor;
  try {
    p = await layersPredictor(m.trained.graph, backend);
  } catch (e) {
    const skipped = `tf.layers model not built on ${backend}: ${e instanceof Error ? e.message : String(e)}`;
    say(`    tfjs-layers-${backend}: NOT TIMED — ${skipped}`);
    return { backend, timed: false, inputs: 0, values: 0, maxAbsDiff: NaN, skipped };
  }
  try {
    const [n, ...sample] = m.evalSet.xShape as number[];
    const check = await checkLayersParity(p, backend, m.fp32, m.evalSet.x, m.evalSet.xShape);
    if (!check.timed) {
      say(`    tfjs-layers-${backend}: NOT TIMED — ${check.skipped ?? ''}`);
      return check;
    }
    say(`    tfjs-layers-${backend}: matches ORT fp32 on ${check.inputs} held-out batches (${check.values} values), max |Δ| ${check.maxAbsDiff.toExponential(2)} (tolerance ${LAYERS_PARITY_TOLERANCE}, relative above |1|)`);
    for (const b of BATCHES) {
      const call: Call = p.call(batchOf(m.evalSet.x, n!, b), [b, ...sample]);
      record(m, `tfjs-layers-${backend}`, b, 1, await timeCalls(call, b, tfBudget));
    }
    return check;
  } finally {
    p.dispose();
  }
}

for (const name of names) {
  say(`  ${name}:`);
  const m = await prepareModel(name, { quick, epochs: { classify: CLASSIFY_EPOCHS, other: OTHER_EPOCHS }, backend: trainBackend });
  const accuracy = await accuracyDelta(m);
  say(`    accuracy: ${accuracy.metric} fp32 ${accuracy.fp32 === null ? '-' : f3(accuracy.fp32)}, int8 ${accuracy.int8 === null ? '-' : f3(accuracy.int8)}; ${accuracy.reason}`);
  await timeOrt(m, 'ort-fp32', 1, BATCHES);
  await timeOrt(m, 'ort-int8', 1, BATCHES);
  await timeOrt(m, 'ort-fp32', 2, [64]);
  await timeOrt(m, 'ort-int8', 2, [64]);
  await timeOrt(m, 'ort-fp32-public', 1, [1]);
  const tfLayers: LayersCheck[] = [];
  for (const b of tfBackends) {
    await timeTfOurs(m, b as 'cpu' | 'wasm');
    tfLayers.push(await timeTfLayers(m, b as 'cpu' | 'wasm'));
  }

  const sizes = { fp32: sizeBreakdown(m.fp32), int8: sizeBreakdown(m.int8) };
  say(`    size fp32: ${describeSize(sizes.fp32)}`);
  say(`    size int8: ${describeSize(sizes.int8)}`);
  let profiles: ModelSummary['profiles'];
  if (m.recipe.task === 'classify') {
    const [n, ...sample] = m.evalSet.xShape as number[];
    const x = batchOf(m.evalSet.x, n!, 1);
    const runs = quick ? 100 : 300;
    profiles = { fp32: await profileModel(m.fp32, x, [1, ...sample], runs), int8: await profileModel(m.int8, x, [1, ...sample], runs) };
    say(`    ORT fp32 ${describeProfile(profiles.fp32)}`);
    say(`    ORT int8 ${describeProfile(profiles.int8)}`);
  }
  models.push({
    model: name, task: m.recipe.task, mflopPerInference: m.trained.plan.flops / 1e6, inputShape: m.trained.plan.inputShape,
    fp32Bytes: m.fp32.length, int8Bytes: m.int8.length, sizeRatio: m.int8.length / m.fp32.length,
    quantisedNodes: m.quant.quantisedNodes, floatNodes: m.quant.floatNodes, sizes, accuracy, data: m.dataNote,
    trainS: m.trainMs / 1000, quantiseS: m.quantiseMs / 1000, ...(profiles ? { profiles } : {}), tfLayers,
  });
}

// ---- metrics and verdicts ----
const TF_VARIANTS = [
  { key: 'layers', label: 'a standard tf.LayersModel (tf.layers, model.predict)' },
  { key: 'ours', label: 'our own TF.js forward pass (createTfPredictor)' },
] as const;
const find = (model: string, engine: Engine, batch: number, threads = 1): Row | undefined =>
  rows.find((r) => r.model === model && r.engine === engine && r.batch === batch && r.threads === threads);

const metrics: Record<string, Metric> = {
  ort_call_floor_us: { value: ortFloor.sessionP50Us, unit: 'µs (p50, batch 1)', better: 'lower', note: `one-node model through OnnxSession (${defaultOrtPath()} path); ORT's public InferenceSession.run ${f3(ortFloor.rawP50Us)} µs` },
};
const verdicts: Verdict[] = [];
for (const s of models) {
  metrics[`${s.model}_int8_size_ratio`] = { value: s.sizeRatio, unit: 'int8/fp32 bytes', better: 'lower', target: 0.3, note: `fp32 ${s.fp32Bytes} B; int8 ${describeSize(s.sizes.int8)}` };
  const a = s.accuracy;
  metrics[`${s.model}_int8_loss`] = { value: a.gateLoss, unit: a.gateMetric, better: 'lower', target: a.gateLimit, note: `${a.metric} fp32 ${a.fp32 ?? '-'}, int8 ${a.int8 ?? '-'}; max |Δ| ${f3(a.maxAbsDiff)}` };
  const fp = find(s.model, 'ort-fp32', 1);
  const q = find(s.model, 'ort-int8', 1);
  if (fp && q) {
    const isTarget = s.task === 'classify';
    metrics[`${s.model}_int8_speedup_b1`] = { value: fp.p50Ms / q.p50Ms, unit: 'x (fp32 p50 / int8 p50)', better: 'higher', ...(isTarget ? { target: 1.5 } : {}), note: `fp32 ${f3(fp.p50Ms)} ms, int8 ${f3(q.p50Ms)} ms` };
  }
  for (const b of BATCHES) {
    for (const e of ['ort-fp32', 'ort-int8'] as const) {
      const r = find(s.model, e, b);
      if (r) metrics[`${s.model}_${e}_b${b}_p50_ms`] = { value: r.p50Ms, unit: 'ms', better: 'lower', note: `p99 ${f3(r.p99Ms)} ms, ${f3(r.samplesPerS)} samples/s` };
    }
  }
  const pub = find(s.model, 'ort-fp32-public', 1);
  const layersCpu = find(s.model, 'tfjs-layers-cpu', 1);
  if (pub) {
    metrics[`${s.model}_ort-fp32-public_b1_p50_ms`] = { value: pub.p50Ms, unit: 'ms', better: 'lower', note: `ORT's public InferenceSession.run, not the direct native path OnnxSession takes${fp ? ` (${f3(fp.p50Ms)} ms)` : ''}` };
    if (layersCpu) metrics[`${s.model}_ort_public_over_tfjs_layers_cpu_b1`] = { value: layersCpu.p50Ms / pub.p50Ms, unit: 'x (TF.js layers cpu p50 / ORT public API p50)', better: 'higher', note: 'for comparison: the ratio through ORT\'s public run API' };
  }
  for (const v of TF_VARIANTS) {
    for (const backend of ['cpu', 'wasm'] as const) {
      const tfRow = find(s.model, `tfjs-${v.key}-${backend}`, 1);
      if (fp && tfRow) {
        metrics[`${s.model}_ort_over_tfjs_${v.key}_${backend}_b1`] = {
          value: tfRow.p50Ms / fp.p50Ms, unit: `x (TF.js ${v.key} ${backend} p50 / ORT fp32 p50)`, better: 'higher', ...(backend === 'cpu' ? { target: 5 } : {}),
          note: `TF.js ${v.label} on ${backend} ${f3(tfRow.p50Ms)} ms, ORT fp32 ${f3(fp.p50Ms)} ms`,
        };
      }
    }
  }
}

const classifier = models.find((s) => s.task === 'classify' && s.mflopPerInference >= 10);
if (models.length > 0) {
  const worst = models.reduce((w, s) => (s.sizeRatio > w.sizeRatio ? s : w));
  verdicts.push({
    target: 'int8 size ≤ 30 % of fp32 (every model)', value: worst.sizeRatio, limit: 0.3, better: 'lower', met: worst.sizeRatio <= 0.3,
    detail: models.map((s) => `${s.model} ${s.sizeRatio.toFixed(3)} (${s.fp32Bytes}→${s.int8Bytes} B)`).join(', ')
      + '; int8 bytes beyond the int8 weights (scales, int32 biases, zero points, QDQ graph and names): '
      + models.map((s) => `${s.model} ${s.int8Bytes - s.sizes.int8.int8Weights} B`).join(', '),
  });
}
if (classifier) {
  const m = metrics[`${classifier.model}_int8_speedup_b1`];
  if (m) {
    const p = classifier.profiles;
    verdicts.push({
      target: `int8 ≥ 1.5× fp32 on the ${f3(classifier.mflopPerInference)} MFLOP 1D-CNN (${classifier.model}) at batch 1, ORT 1 thread`, value: m.value, limit: 1.5, better: 'higher', met: m.value >= 1.5,
      detail: `${m.note}${p ? `; int8 graph ${p.int8.fused ? 'fully fused' : 'NOT fully fused'} (integer ops: ${p.int8.integerOps.join(', ') || 'none'}${p.int8.floatComputeOps.length ? `; float compute ops left: ${p.int8.floatComputeOps.join(', ')}` : ''})` : ''}`,
    });
  }
}
// The 5× target against both TF.js columns: a standard tf.LayersModel (what a TF.js user runs) and
// our own leaner forward pass (the stricter comparison). Both lines are printed.
for (const v of TF_VARIANTS) {
  const ortTf = models.map((s) => ({ s, m: metrics[`${s.model}_ort_over_tfjs_${v.key}_cpu_b1`] }));
  const timed = ortTf.filter((x) => x.m !== undefined);
  const missing = ortTf.filter((x) => x.m === undefined).map((x) => x.s.model);
  if (timed.length === 0) continue;
  const worst = timed.reduce((w, x) => (x.m!.value < w.m!.value ? x : w));
  verdicts.push({
    target: `ORT ≥ 5× TensorFlow.js cpu backend at batch 1, against ${v.label} (every model, fp32 p50)`, value: worst.m!.value, limit: 5, better: 'higher',
    met: worst.m!.value >= 5 && missing.length === 0,
    detail: timed.map((x) => `${x.s.model} ${f3(x.m!.value)}×`).join(', ')
      + (missing.length > 0 ? `; NOT TIMED (see the model's tfLayers check): ${missing.join(', ')}` : '')
      + `; ORT's fixed cost per call is ${f3(ortFloor.sessionP50Us)} µs (one-node model), so a model whose TF.js cpu call takes less than ${f3(5 * ortFloor.sessionP50Us)} µs cannot show 5×`,
  });
}

printRows(rows);
printModels(models);
const file = writeInferenceResult(quick, metrics, {
  loadBefore,
  settings: {
    batches: BATCHES, budgetMsPerCell: budgetMs, ortTiming: ortBudget, tfTiming: tfBudget, epochCaps: { classify: CLASSIFY_EPOCHS, other: OTHER_EPOCHS },
    ortSession: `OnnxSession (${defaultOrtPath()} path, decision 0015): graphOptimizationLevel all, sequential, interOp 1; intraOp 1 (2 for the extra batch-64 rows); ort-fp32-public: the same through ORT's public InferenceSession.run`,
    tfjsOurs: 'tfjs-ours-*: createTfPredictor (the trainer\'s TfModel forward pass): tf.tidy(() => model.forward(tf.tensor(x), false).dataSync())',
    tfjsLayers: `tfjs-layers-*: graphToLayersModel (cloud-hub/export/graph-to-layers.ts), a tf.sequential of tf.layers with the trained weights: tf.tidy(() => model.predict(tf.tensor(x), { batchSize: batch }).dataSync()); checked against ORT fp32 on 3 held-out batches within ${LAYERS_PARITY_TOLERANCE} (relative above |1|) before it is timed, not timed otherwise`,
    wallS: Math.round((performance.now() - started) / 100) / 10,
  },
  ortCallFloor: ortFloor, models, rows, verdicts,
});
printVerdicts(verdicts);
console.log(`\nwritten ${file} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
