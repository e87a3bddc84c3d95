/**
 * `edgehive train --recipe R --data D`: trains a recipe on a CSV file, a generated data set
 * (`sim:NAME`) or the hub's store, shows progress, and writes the trained graph, the
 * preprocessing spec and a training record to --out.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { REFERENCE_STATS_FILE } from '../../shared/drift/schema.ts';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { graphToJson } from '../../cloud-hub/model/serialise.ts';
import { resolveRecipe } from '../../cloud-hub/recipes/load.ts';
import type { Recipe } from '../../cloud-hub/recipes/schema.ts';
import { readCsvFile } from '../../cloud-hub/trainer/csv.ts';
import type { TrainingRows } from '../../cloud-hub/trainer/dataset.ts';
import type { BackendName, TrainProgress } from '../../cloud-hub/trainer/engine-api.ts';
import { trainRecipe, type TrainRecipeResult } from '../../cloud-hub/trainer/run-recipe.ts';
import { completeVersion, pipelineFiles, runModelPipeline, type PipelineResult } from '../../cloud-hub/pipeline/index.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { savePreprocessSpec } from '../../shared/features/index.ts';
import { DATASETS } from '../datasets/index.ts';
import { numberFlag } from './flags.ts';

const BACKENDS: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

function seconds(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** One progress line: a bar on a terminal, plain text otherwise. */
export function formatProgress(p: TrainProgress, bar: boolean): string {
  const loss = `loss ${p.loss.toPrecision(4)}${p.valLoss !== undefined ? ` val ${p.valLoss.toPrecision(4)}` : ''}`;
  const rate = `${Math.round(p.samplesPerSecond)} samples/s`;
  const member = p.member ? ` (member ${p.member.index}/${p.member.of})` : '';
  if (!bar) return `epoch ${p.epoch}/${p.epochs}${member} ${loss} ${rate} eta ${seconds(p.etaMs)}`;
  const width = 24;
  const done = Math.round((p.epoch / p.epochs) * width);
  return `epoch ${String(p.epoch).padStart(String(p.epochs).length)}/${p.epochs}${member} [${'#'.repeat(done)}${'-'.repeat(width - done)}] ${loss}  ETA ${seconds(p.etaMs)}  ${rate} (${p.backend})`;
}

interface DataFlags { data?: string | undefined; store?: string | undefined; device?: string | undefined; group?: string | undefined; stream?: string | undefined }

/** Columns the recipe reads from the data: its inputs, then a classify label. */
function wantedColumns(recipe: Recipe): string[] {
  return recipe.task === 'classify' ? [...recipe.input.features, recipe.target!.label!] : [...recipe.input.features];
}

async function loadData(recipe: Recipe, f: DataFlags): Promise<{ rows: TrainingRows; source: string }> {
  if ((f.data === undefined) === (f.store === undefined)) {
    throw new EdgehiveError('EH_CONFIG_INVALID', 'edgehive train needs its data: --data FILE.csv, --data sim:NAME, or --store sqlite:PATH|postgres://… with --device ID or --group G');
  }
  if (f.data !== undefined) {
    if (f.data.startsWith('sim:')) {
      const make = DATASETS[f.data.slice(4)];
      if (!make) throw new EdgehiveError('EH_CONFIG_INVALID', `no generated data set "${f.data.slice(4)}"; there are: ${Object.keys(DATASETS).map((n) => `sim:${n}`).join(', ')}`);
      return { rows: make(recipe.training.seed).data, source: f.data };
    }
    return { rows: readCsvFile(f.data), source: resolve(f.data) };
  }
  const spec = f.store!;
  const [{ readStoreRows }] = await Promise.all([import('../../cloud-hub/trainer/store-source.ts')]);
  let store;
  if (spec.startsWith('sqlite:')) {
    const { SqliteStore } = await import('../../cloud-hub/store/sqlite-store.ts');
    store = new SqliteStore({ path: spec.slice('sqlite:'.length) });
  } else if (/^postgres(ql)?:\/\//.test(spec)) {
    const { PostgresStore } = await import('../../cloud-hub/store/postgres-store.ts');
    store = new PostgresStore({ url: spec });
  } else {
    throw new EdgehiveError('EH_CONFIG_INVALID', `--store must be sqlite:PATH or postgres://…, got ${JSON.stringify(spec)}`);
  }
  await store.init();
  try {
    const rows = await readStoreRows(store, {
      features: wantedColumns(recipe),
      ...(f.device !== undefined ? { device: f.device } : {}),
      ...(f.group !== undefined ? { group: f.group } : {}),
      ...(f.stream !== undefined ? { stream: f.stream } : {}),
    });
    return { rows, source: `${spec.startsWith('sqlite:') ? spec : 'postgres'} ${f.device !== undefined ? `device ${f.device}` : `group ${f.group}`}` };
  } finally {
    await store.close();
  }
}

/** The training record written beside the model (training.json). */
export function trainingRecord(r: TrainRecipeResult, source: string): Record<string, unknown> {
  return {
    recipe: r.recipe.name,
    task: r.recipe.task,
    data: { source, ...r.dataRange, from: new Date(r.dataRange.fromMs).toISOString(), to: new Date(r.dataRange.toMs).toISOString() },
    split: r.split,
    backend: r.backend,
    epochs: r.history.length,
    bestEpoch: r.bestEpoch,
    stoppedEarly: r.stoppedEarly,
    history: r.history,
    inputShape: r.plan.inputShape,
    outputShape: r.plan.outputShape,
    flops: r.plan.flops,
    durationMs: r.durationMs,
    trainedAt: new Date().toISOString(),
  };
}

export async function runTrainCommand(argv: string[]): Promise<number> {
  const { values: f } = parseArgs({
    args: argv,
    options: {
      recipe: { type: 'string' }, data: { type: 'string' }, store: { type: 'string' }, device: { type: 'string' }, group: { type: 'string' },
      stream: { type: 'string' }, out: { type: 'string' }, backend: { type: 'string' }, epochs: { type: 'string' }, worker: { type: 'boolean', default: false },
      'train-only': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (f.recipe === undefined) throw new EdgehiveError('EH_CONFIG_INVALID', 'edgehive train needs --recipe FILE or a shipped recipe name (e.g. --recipe pump-anomaly)');
  if (f.backend !== undefined && !(BACKENDS as readonly string[]).includes(f.backend)) {
    throw new EdgehiveError('EH_CONFIG_INVALID', `--backend must be one of ${BACKENDS.join(', ')}, got ${JSON.stringify(f.backend)}`);
  }
  let recipe = resolveRecipe(f.recipe);
  const epochs = numberFlag('--epochs', f.epochs);
  if (epochs !== undefined) {
    if (!Number.isInteger(epochs) || epochs < 1) throw new EdgehiveError('EH_CONFIG_INVALID', `--epochs must be a whole number >= 1, got ${f.epochs}`);
    recipe = { ...recipe, training: { ...recipe.training, epochs } };
  }
  const outDir = resolve(f.out ?? join('.edgehive', 'train', recipe.name));
  const { rows, source } = await loadData(recipe, f);
  console.log(`training ${recipe.name} (${recipe.task}) on ${rows.timestamps.length} readings from ${source}`);

  const tty = process.stdout.isTTY === true;
  const abort = new AbortController();
  const onSignal = () => {
    console.log('\ninterrupted: stopping after this batch');
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  let result: TrainRecipeResult;
  let pipeline: PipelineResult | null = null;
  const showTraining = (p: Parameters<typeof formatProgress>[0]): void => {
    if (tty) process.stdout.write(`\r${formatProgress(p, true)}\x1b[K`);
    else console.log(formatProgress(p, false));
  };
  try {
    const common = { inWorker: f.worker, signal: abort.signal, ...(f.backend !== undefined ? { backend: f.backend as BackendName } : {}) };
    if (f['train-only']) {
      result = await trainRecipe(recipe, rows, { ...common, onProgress: showTraining });
    } else {
      // The whole pipeline: the same code the hub's training job runs.
      pipeline = await runModelPipeline(recipe, rows, {
        ...common,
        onProgress: (p) => {
          if (p.train) showTraining(p.train);
          else if (p.message) console.log(`${tty ? '\n' : ''}${p.stage}: ${p.message}`);
        },
      });
      result = pipeline.trained;
    }
  } finally {
    process.off('SIGINT', onSignal);
    if (tty) process.stdout.write('\n');
  }

  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'graph.json'), graphToJson(result.graph), 'utf8');
  await savePreprocessSpec(join(outDir, 'preprocess.json'), result.preprocess);
  await writeFile(join(outDir, 'training.json'), `${JSON.stringify(trainingRecord(result, source), null, 2)}\n`, 'utf8');
  await writeFile(join(outDir, 'recipe.json'), `${JSON.stringify(result.recipe, null, 2)}\n`, 'utf8');
  if (pipeline) {
    const files = pipelineFiles(pipeline);
    for (const name of [pipeline.fp32.file, pipeline.int8.file, 'quantisation.json', REFERENCE_STATS_FILE]) await writeFile(join(outDir, name), files[name]!);
    const done = completeVersion(pipeline, { source: 'csv', fromMs: result.dataRange.fromMs, toMs: result.dataRange.toMs, rows: result.dataRange.rows });
    await writeFile(join(outDir, 'metrics.json'), `${JSON.stringify({ status: done.status, reason: done.statusReason, metrics: done.metrics, variants: done.variants, plan: done.plan }, null, 2)}\n`, 'utf8');
  }

  const best = result.history.find((h) => h.epoch === result.bestEpoch);
  const s = result.split;
  console.log(`trained ${recipe.name} on ${result.backend} in ${(result.durationMs / 1000).toFixed(1)} s: ${result.history.length} epochs`
    + `${result.stoppedEarly ? ' (stopped early)' : ''}, best epoch ${result.bestEpoch}`
    + `${best ? ` loss ${best.loss.toPrecision(4)}${best.valLoss !== undefined ? ` val ${best.valLoss.toPrecision(4)}` : ''}` : ''}`);
  console.log(`windows: train ${s.train.windows}, validation ${s.validation?.windows ?? 0}, test ${s.test.windows}${s.purged > 0 ? ` (${s.purged} overlapping a cut dropped)` : ''}`);
  if (pipeline) {
    const kb = (b: Uint8Array): string => `${(b.length / 1024).toFixed(1)} KiB`;
    console.log(`ONNX parity with TensorFlow.js: max |diff| ${pipeline.parity.maxAbsDiff.toExponential(2)}`);
    console.log(`fp32 ${kb(pipeline.fp32.bytes)}, int8 ${kb(pipeline.int8.bytes)} (${pipeline.quantisation.quantisedNodes} nodes quantised, ${pipeline.quantisation.floatNodes} left float)`);
    console.log(`gate: ${pipeline.gate.reason}`);
    for (const p of pipeline.plan) console.log(`  ${p.profile.padEnd(18)} ${p.variant ?? 'refused'}: ${p.reason}`);
    console.log(`wrote ${outDir}/{model.fp32.onnx, model.int8.onnx, metrics.json, quantisation.json, ${REFERENCE_STATS_FILE}, graph.json, preprocess.json, training.json, recipe.json}`);
  } else {
    console.log(`wrote ${outDir}/{graph.json, preprocess.json, training.json, recipe.json}`);
  }
  return 0;
}
