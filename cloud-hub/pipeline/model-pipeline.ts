/**
 * The model pipeline of DESIGN.md, one recipe and one data set in, every artefact and number a
 * model version needs out: train → export (with the parity check) → quantise (calibrated on the
 * training windows) → evaluate fp32 and int8 on the held-out split → gates → per-profile plan,
 * and the reference statistics the agents' drift monitors compare live data with.
 * It stores nothing: the hub's job registers the result, `edgehive train` writes it to a folder.
 */
import type { ReferenceStats } from '../../shared/drift/index.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { loadProfiles, type DeviceProfile } from '../../device-profiles/index.ts';
import { checkParity, exportOnnx, type ParityReport } from '../export/index.ts';
import {
  compareVariants, defaultAnomalyThreshold, evaluateVariant, type AnomalyThreshold, type GateDecision, type TestSet, type VariantEvaluation,
} from '../evaluate/index.ts';
import { measureFootprint, planProfiles, type Footprint, type ProfilePlan, type VariantCandidate } from '../profiles/index.ts';
import { quantiseDynamic, quantiseStatic, type QuantReport } from '../quantise/index.ts';
import type { Recipe } from '../recipes/schema.ts';
import { trainingReference } from './reference-stats.ts';
import { selectBackend, trainRecipe, type TrainRecipeResult, type TrainingRows, type TrainProgress, type BackendName, type SampleTensor } from '../trainer/index.ts';

export type PipelineStage = 'data' | 'train' | 'export' | 'quantise' | 'evaluate' | 'register';

export interface PipelineProgress {
  readonly stage: PipelineStage;
  readonly message?: string;
  readonly train?: TrainProgress;
}

export interface PipelineOptions {
  readonly onProgress?: (p: PipelineProgress) => void;
  readonly signal?: AbortSignal;
  /** Train in a worker thread (the hub does, so it keeps serving). */
  readonly inWorker?: boolean;
  readonly backend?: BackendName;
  readonly log?: (line: string) => void;
  /** Device classes to plan for (default: the shipped profiles); [] skips the footprint measurement. */
  readonly profiles?: readonly DeviceProfile[];
  /** Held-out windows the parity check runs on (default 64). */
  readonly parityWindows?: number;
  /** Timed inference runs per variant when measuring the footprint (default 100). */
  readonly footprintRuns?: number;
}

export interface VariantResult {
  readonly variant: 'fp32' | 'int8';
  readonly file: string;
  readonly bytes: Uint8Array;
  readonly evaluation: VariantEvaluation;
  readonly accepted: boolean;
  readonly reason: string;
  readonly footprint: Footprint | null;
}

export interface PipelineResult {
  readonly trained: TrainRecipeResult;
  readonly parity: ParityReport;
  readonly fp32: VariantResult;
  readonly int8: VariantResult;
  readonly quantisation: QuantReport;
  readonly gate: GateDecision;
  /** anomaly: the starting threshold for the agent (a quantile of validation scores). */
  readonly threshold: AnomalyThreshold | null;
  readonly plan: readonly ProfilePlan[];
  /** Reference statistics of the training split (reference-stats.json). */
  readonly reference: ReferenceStats;
}

const DEFAULT_CALIBRATION_WINDOWS = 512;

/** The newest `n` samples of a tensor (calibration and parity use recent data, nearest deployment). */
export function lastSamples(t: SampleTensor, n: number): SampleTensor {
  const total = t.shape[0] ?? 0;
  const take = Math.min(n, total);
  const per = t.shape.slice(1).reduce((a, b) => a * b, 1);
  return { data: t.data.subarray((total - take) * per, total * per), shape: [take, ...t.shape.slice(1)] };
}

/** The held-out split in the evaluator's terms: forecast targets, class labels from one-hot rows. */
export function testSetOf(recipe: Recipe, part: { x: SampleTensor; y: SampleTensor }): TestSet {
  const base = { x: part.x.data, xShape: part.x.shape };
  if (recipe.task === 'forecast') return { ...base, y: part.y.data };
  if (recipe.task === 'classify') {
    const n = part.y.shape[0] ?? 0;
    const k = part.y.shape[1] ?? 1;
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if ((part.y.data[i * k + c] ?? 0) > (part.y.data[i * k + best] ?? 0)) best = c;
      labels[i] = best;
    }
    return { ...base, labels };
  }
  return base;
}

function checkAborted(signal: AbortSignal | undefined, stage: PipelineStage): void {
  if (signal?.aborted) throw new EdgehiveError('EH_TRAINING_FAILED', `the pipeline was cancelled before its ${stage} stage`, { aborted: true });
}

async function quantise(recipe: Recipe, fp32: Uint8Array, calibration: SampleTensor): Promise<{ model: Uint8Array; report: QuantReport }> {
  const q = recipe.quantisation ?? {};
  const range = q.reduceRange !== undefined ? { reduceRange: q.reduceRange } : {};
  if (q.mode === 'dynamic') return quantiseDynamic(fp32, range);
  return quantiseStatic(fp32, { data: calibration.data, shape: [...calibration.shape] }, {
    method: q.calibration ?? 'minmax',
    ...(q.percentile !== undefined ? { percentile: q.percentile } : {}),
    ...range,
  });
}

/** Runs the whole pipeline. Throws EdgehiveError: EH_DATA_INSUFFICIENT, EH_TRAINING_FAILED, EH_PARITY_FAILED, … */
export async function runModelPipeline(recipe: Recipe, rows: TrainingRows, options: PipelineOptions = {}): Promise<PipelineResult> {
  const progress = (stage: PipelineStage, message?: string, train?: TrainProgress): void =>
    options.onProgress?.({ stage, ...(message ? { message } : {}), ...(train ? { train } : {}) });

  progress('train', `training ${recipe.name} on ${rows.timestamps.length} readings`);
  const trained = await trainRecipe(recipe, rows, {
    onProgress: (p) => progress('train', undefined, p),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.inWorker ? { inWorker: true } : {}),
    ...(options.backend ? { backend: options.backend } : {}),
    ...(options.log ? { log: options.log } : {}),
  });

  checkAborted(options.signal, 'export');
  progress('export', 'exporting ONNX (opset 17) and checking parity with TensorFlow.js');
  const fp32Bytes = exportOnnx(trained.graph, {
    docString: recipe.description ?? `${recipe.task} model ${recipe.name}`,
    metadata: { recipe: recipe.name, task: recipe.task, features: trained.preprocess.features.join(',') },
  });
  const probe = lastSamples(trained.test.x, options.parityWindows ?? 64);
  // The reference runs on this thread, whose TensorFlow.js has no backend yet when training ran in a worker.
  await selectBackend(options.backend);
  const parity = await checkParity(trained.graph, fp32Bytes, { data: probe.data, dims: probe.shape });

  checkAborted(options.signal, 'quantise');
  const calibration = lastSamples(trained.train.x, recipe.quantisation?.calibrationWindows ?? DEFAULT_CALIBRATION_WINDOWS);
  progress('quantise', `quantising to int8 (${recipe.quantisation?.mode ?? 'static'}), calibrated on ${calibration.shape[0]} training windows`);
  const int8 = await quantise(recipe, fp32Bytes, calibration);

  checkAborted(options.signal, 'evaluate');
  progress('evaluate', 'evaluating fp32 and int8 on the held-out split');
  let threshold: AnomalyThreshold | null = null;
  let thresholdScores: Float64Array | null = null;
  if (recipe.task === 'anomaly') {
    const source = trained.validation ?? trained.train;
    const scored = await evaluateVariant(fp32Bytes, 'anomaly', { x: source.x.data, xShape: source.x.shape });
    threshold = defaultAnomalyThreshold(scored.scores);
    thresholdScores = scored.scores;
  }
  const test = testSetOf(recipe, trained.test);
  const evalOpts = threshold ? { threshold: threshold.threshold } : {};
  const fp32Eval = await evaluateVariant(fp32Bytes, recipe.task, test, evalOpts);
  // Output reference from scores the evaluation already has (no extra inference): the anomaly
  // scores the threshold was set on, else the fp32 scores on the held-out split.
  const reference = trainingReference({
    rows, features: trained.preprocess.features, range: trained.split.train, outputScores: thresholdScores ?? fp32Eval.scores,
  });
  const int8Eval = await evaluateVariant(int8.model, recipe.task, test, evalOpts);
  const gate = compareVariants(fp32Eval, int8Eval, recipe.gates);

  const profiles = options.profiles ?? loadProfiles();
  let fp32Footprint: Footprint | null = null;
  let int8Footprint: Footprint | null = null;
  let plan: ProfilePlan[] = [];
  if (profiles.length > 0) {
    progress('evaluate', `measuring latency and memory for ${profiles.length} device profiles`);
    const sample = [...trained.plan.inputShape];
    const runs = options.footprintRuns ?? 100;
    fp32Footprint = await measureFootprint(fp32Bytes, sample, { runs, maxMeasureMs: 2000 });
    int8Footprint = await measureFootprint(int8.model, sample, { runs, maxMeasureMs: 2000 });
    const candidates: VariantCandidate[] = [
      { variant: 'int8', bytes: int8.model.length, footprint: int8Footprint, accepted: gate.accepted },
      { variant: 'fp32', bytes: fp32Bytes.length, footprint: fp32Footprint, accepted: gate.fp32Accepted },
    ];
    plan = planProfiles(profiles, candidates);
  }

  return {
    trained,
    parity,
    fp32: {
      variant: 'fp32', file: 'model.fp32.onnx', bytes: fp32Bytes, evaluation: fp32Eval,
      accepted: gate.fp32Accepted, reason: gate.fp32Accepted ? 'passed its floors' : gate.reason, footprint: fp32Footprint,
    },
    int8: {
      variant: 'int8', file: 'model.int8.onnx', bytes: int8.model, evaluation: int8Eval,
      accepted: gate.accepted, reason: gate.reason, footprint: int8Footprint,
    },
    quantisation: int8.report,
    gate,
    threshold,
    plan,
    reference,
  };
}
