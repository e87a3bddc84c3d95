/**
 * An ONNX model trained elsewhere, uploaded with its preprocessing spec, turned into a registry
 * version: validate the file (inspectModel) → check its input against the spec's windows and run
 * it once → quantise (static, calibrated on stored readings, when data is given; else dynamic
 * MatMul/Gemm) → evaluate fp32 and int8 on the newest 20 % of the windows and gate int8 → plan the
 * device profiles → the files and record the registry stores.
 *
 * Decisions:
 *  - calibration uses the older 80 % of the windows (at most the newest 512 of them), the gate's
 *    evaluation the newest 20 %, so int8 is judged on windows it was not calibrated on;
 *  - without data nothing can be validated: fp32 ships (accepted, unevaluated) and int8 (dynamic)
 *    is stored but not accepted, with the reason, so no profile gets it;
 *  - when the quantiser quantises no node (every operator unsupported), no int8 file is stored
 *    and the version says fp32 only and why (node by node in quantisation.json);
 *  - the registry needs a recipe: one is synthesised from the upload (task, the spec's features
 *    and window, `architecture.layers: []`, placeholder training settings, the gates) and
 *    validated like any other. It describes the upload; the hub did not train it.
 */
import { loadProfiles, type DeviceProfile } from '../../device-profiles/index.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { parsePreprocessSpec, serialisePreprocessSpec, type PreprocessSpec } from '../../shared/features/index.ts';
import { OnnxSession } from '../../shared/inference/index.ts';
import {
  compareVariants, defaultAnomalyThreshold, evaluateVariant, type AnomalyThreshold, type GateDecision, type VariantEvaluation,
} from '../evaluate/index.ts';
import { planModel } from '../model/plan.ts';
import { measureFootprint, planProfiles, type Footprint, type ProfilePlan, type VariantCandidate } from '../profiles/index.ts';
import { inspectModel, quantiseDynamic, quantiseStatic, type ModelInfo, type QuantReport } from '../quantise/index.ts';
import type { Recipe, Task } from '../recipes/schema.ts';
import { parseRecipe } from '../recipes/validate.ts';
import type { CompleteVersion, DataRange } from '../registry/schema.ts';
import type { Store } from '../store/types.ts';
// Not trainer/index.ts: that loads TensorFlow.js, which an upload does not need.
import { readStoreRows } from '../trainer/store-source.ts';
import { planEntry } from './artefacts.ts';
import { buildWindows, slice, type Windows } from './upload-windows.ts';

/** Largest ONNX file accepted (the route's body limit is sized for it as base64). */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_INT8_LOSS = 0.02;
/** Share of the windows (the newest) held out to evaluate fp32 and int8. */
export const HELD_OUT_FRACTION = 0.2;
export const MIN_UPLOAD_WINDOWS = 10;
const CALIBRATION_WINDOWS = 512;
const NO_DATA_REASON = 'no data to validate it: upload again with data {device | group} so that int8 is calibrated on stored readings and gated against fp32';

export interface UploadRequest {
  /** The model name (the URL's). */
  readonly name: string;
  readonly onnx: Uint8Array;
  /** preprocess.json's content; checked with parsePreprocessSpec. */
  readonly preprocess: unknown;
  readonly task: Task;
  readonly target?: Recipe['target'];
  readonly gates?: Partial<Recipe['gates']>;
  readonly quantisation?: { readonly mode?: 'static' | 'dynamic'; readonly calibration?: 'minmax' | 'percentile'; readonly percentile?: number; readonly reduceRange?: boolean };
  /** Stored readings to calibrate and evaluate on: exactly one of device or group. */
  readonly data?: { readonly device?: string; readonly group?: string; readonly fromMs?: number; readonly toMs?: number };
  readonly description?: string;
}

export interface UploadOptions {
  /** Device classes to plan for (default: the shipped profiles); [] skips the footprint measurement. */
  readonly profiles?: readonly DeviceProfile[];
  /** Timed inference runs per variant for the footprint (default 50). */
  readonly footprintRuns?: number;
  /** Newest readings per device read from the store (default 50 000). */
  readonly maxRows?: number;
}

export interface UploadResult {
  readonly recipe: Recipe;
  readonly spec: PreprocessSpec;
  readonly info: ModelInfo;
  readonly dataRange: DataRange;
  readonly quantisation: QuantReport;
  /** False when the quantiser quantised nothing: the model ships as it is (fp32 only). */
  readonly int8Produced: boolean;
  readonly gate: GateDecision | null;
  readonly files: Record<string, Uint8Array>;
  readonly complete: CompleteVersion;
}

function bad(message: string, details?: Record<string, unknown>): EdgehiveError {
  return new EdgehiveError('EH_BAD_REQUEST', message, details);
}

/** The recipe the registry keeps for an uploaded model; EH_RECIPE_INVALID names a bad body field (/target/…, /gates/…, /quantisation/…). */
export function uploadRecipe(req: UploadRequest, spec: PreprocessSpec, mode: 'static' | 'dynamic'): Recipe {
  const q = req.quantisation ?? {};
  const quantisation = {
    mode,
    ...(q.calibration !== undefined ? { calibration: q.calibration } : {}),
    ...(q.percentile !== undefined ? { percentile: q.percentile } : {}),
    ...(q.reduceRange !== undefined ? { reduceRange: q.reduceRange } : {}),
  };
  return parseRecipe({
    version: 1,
    name: req.name,
    description: req.description ?? 'uploaded ONNX model (trained elsewhere): architecture and training are placeholders, the hub did not train it',
    task: req.task,
    input: { features: [...spec.features], window: { ...spec.window } },
    ...(req.target ? { target: req.target } : {}),
    architecture: { layers: [] },
    training: { epochs: 1, batchSize: 32, learningRate: 0.001 },
    quantisation,
    gates: { maxInt8Loss: DEFAULT_MAX_INT8_LOSS, ...req.gates },
  }, 'upload (task, target, gates and quantisation)');
}

const shown = (shape: readonly (number | string)[]): string => `[${shape.map((d) => (d === 0 ? '?' : d)).join(', ')}]`;

/**
 * The model's input must take the spec's windows: [batch, window.length, features.length], the
 * batch axis dynamic (or fixed at 1). Returns the fixed batch (1) or null when dynamic.
 */
export function checkInputShape(info: ModelInfo, spec: PreprocessSpec): 1 | null {
  const input = info.inputs[0]!;
  const want = ['batch', spec.window.length, spec.features.length];
  const mismatch = (why: string): EdgehiveError => bad(
    `model input ${input.name} is ${shown(input.shape)} but the preprocessing spec gives windows of [batch, ${spec.window.length}, ${spec.features.length}] (window.length ${spec.window.length}, features ${spec.features.join(', ')}): ${why}`,
    { modelInput: input.shape, specInput: want },
  );
  if (input.shape.length !== 3) throw mismatch(`the model takes rank ${input.shape.length}, the spec's windows are rank 3`);
  const [batch, length, features] = input.shape;
  if (typeof batch === 'number' && batch > 1) throw mismatch(`a fixed batch of ${batch}; export the model with a dynamic batch axis (or batch 1)`);
  if (typeof length === 'number' && length !== 0 && length !== spec.window.length) throw mismatch(`axis 1 (time) is ${length}, the window is ${spec.window.length} readings`);
  if (typeof features === 'number' && features !== 0 && features !== spec.features.length) throw mismatch(`axis 2 (features) is ${features}, the spec has ${spec.features.length}`);
  return batch === 1 ? 1 : null;
}

/** Runs the fp32 model once on zero windows and checks its output fits the task. */
async function smokeRun(bytes: Uint8Array, recipe: Recipe, batch: number): Promise<number[]> {
  const { length: L } = recipe.input.window;
  const F = recipe.input.features.length;
  const plan = planModel(recipe);
  const expected = plan.outputShape.reduce((a, b) => a * b, 1);
  const session = await OnnxSession.load(bytes);
  try {
    const out = await session.run(new Float32Array(batch * L * F), [batch, L, F]);
    const per = out.dims[0] === batch ? out.data.length / batch : NaN;
    if (!Number.isInteger(per) || per !== expected) {
      const what = recipe.task === 'anomaly'
        ? `an anomaly model reconstructs its window, so it must output ${L}×${F} = ${expected} values per window`
        : recipe.task === 'forecast'
          ? `a forecast model outputs horizon ${plan.horizon} × ${plan.targetIndices.length} target feature(s) = ${expected} values per window (set target.horizon / target.features)`
          : `a classifier outputs one value per class, ${expected} (target.classes)`;
      throw bad(`model output is [${out.dims.join(', ')}] for a batch of ${batch}: ${what}`, { outputDims: [...out.dims], expectedPerWindow: expected });
    }
    return [...out.dims];
  } finally {
    await session.close();
  }
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/**
 * Everything a version of the uploaded model needs. Throws EdgehiveError: EH_MODEL_INVALID /
 * EH_MODEL_UNSUPPORTED (the file), EH_CONFIG_INVALID (the spec), EH_RECIPE_INVALID (task, target,
 * gates, quantisation), EH_BAD_REQUEST (shapes, options), EH_NOT_FOUND / EH_DATA_INSUFFICIENT (data).
 */
export async function runUploadPipeline(store: Store, req: UploadRequest, options: UploadOptions = {}): Promise<UploadResult> {
  if (req.onnx.byteLength > MAX_UPLOAD_BYTES) {
    throw new EdgehiveError('EH_PAYLOAD_TOO_LARGE', `model is ${req.onnx.byteLength} bytes; uploads are limited to ${MAX_UPLOAD_BYTES} bytes (64 MiB)`);
  }
  const info = inspectModel(req.onnx);
  const spec = parsePreprocessSpec(req.preprocess, 'preprocess');
  const d = req.data;
  if (d && (d.device === undefined) === (d.group === undefined)) throw bad('data must name exactly one of a device or a group', { field: '/data' });
  const mode = req.quantisation?.mode ?? (d ? 'static' : 'dynamic');
  if (mode === 'static' && !d) {
    throw bad('static quantisation calibrates activations on stored readings: give data {device | group} or use quantisation.mode "dynamic"', { field: '/quantisation/mode' });
  }
  const recipe = uploadRecipe(req, spec, mode);
  const fixedBatch = checkInputShape(info, spec);
  const outputDims = await smokeRun(req.onnx, recipe, fixedBatch ?? 2);
  const batchOpts = fixedBatch ? { batchSize: 1 } : {};

  // Data: windows of stored readings, older 80 % to calibrate, newest 20 % to evaluate.
  let dataRange: DataRange = { source: 'upload', fromMs: null, toMs: null, rows: 0 };
  let windows: Windows | null = null;
  let cut = 0;
  if (d) {
    const plan = planModel(recipe);
    const columns = recipe.task === 'classify' ? [...spec.features, recipe.target!.label!] : [...spec.features];
    const rows = await readStoreRows(store, {
      ...(d.device !== undefined ? { device: d.device } : { group: d.group! }),
      ...(d.fromMs !== undefined ? { fromMs: d.fromMs } : {}),
      ...(d.toMs !== undefined ? { toMs: d.toMs } : {}),
      features: columns,
      maxRows: options.maxRows ?? 50_000,
    });
    windows = buildWindows(recipe, spec, rows);
    if (windows.n < MIN_UPLOAD_WINDOWS) {
      throw new EdgehiveError('EH_DATA_INSUFFICIENT', `${rows.timestamps.length} stored readings give ${windows.n} windows (length ${spec.window.length}, stride ${spec.window.stride}${plan.horizon && recipe.task === 'forecast' ? `, horizon ${plan.horizon}` : ''}); calibrating and evaluating an upload needs at least ${MIN_UPLOAD_WINDOWS}: widen data.from/to or pick a device with more readings`);
    }
    cut = Math.floor(windows.n * (1 - HELD_OUT_FRACTION));
    let from = Infinity;
    let to = -Infinity;
    for (let i = 0; i < rows.timestamps.length; i++) { const t = rows.timestamps[i]!; if (t < from) from = t; if (t > to) to = t; }
    dataRange = {
      source: 'upload',
      ...(d.device !== undefined ? { device: d.device } : { group: d.group! }),
      fromMs: from, toMs: to, rows: rows.timestamps.length,
    };
  }
  const yWidth = recipe.task === 'forecast' ? planModel(recipe).outputShape.reduce((a, b) => a * b, 1) : 0;

  // Quantise.
  let quant: { model: Uint8Array; report: QuantReport };
  let calibrationWindows = 0;
  const reduceRange = req.quantisation?.reduceRange;
  const range = reduceRange !== undefined ? { reduceRange } : {};
  if (mode === 'static') {
    const w = windows!;
    const first = Math.max(0, cut - CALIBRATION_WINDOWS);
    calibrationWindows = cut - first;
    const per = spec.window.length * spec.features.length;
    const q = req.quantisation ?? {};
    quant = await quantiseStatic(req.onnx, { data: w.x.subarray(first * per, cut * per), shape: [calibrationWindows, spec.window.length, spec.features.length] }, {
      method: q.calibration ?? 'minmax',
      ...(q.percentile !== undefined ? { percentile: q.percentile } : {}),
      ...(fixedBatch ? { batchRows: 1 } : {}),
      ...range,
    });
  } else {
    quant = await quantiseDynamic(req.onnx, range);
  }
  const int8Produced = quant.report.quantisedNodes > 0;
  const int8Bytes = int8Produced ? quant.model : null;

  // Evaluate and gate (only with data).
  let fp32Eval: VariantEvaluation | null = null;
  let int8Eval: VariantEvaluation | null = null;
  let gate: GateDecision | null = null;
  let threshold: AnomalyThreshold | null = null;
  if (windows) {
    if (recipe.task === 'anomaly') {
      const scored = await evaluateVariant(req.onnx, 'anomaly', slice(windows, spec, 0, cut, yWidth), batchOpts);
      threshold = defaultAnomalyThreshold(scored.scores);
    }
    const test = slice(windows, spec, cut, windows.n, yWidth);
    const evalOpts = {
      ...batchOpts,
      ...(threshold ? { threshold: threshold.threshold } : {}),
      ...(recipe.task === 'classify' ? { classes: recipe.target!.classes!.length } : {}),
    };
    fp32Eval = await evaluateVariant(req.onnx, recipe.task, test, evalOpts);
    if (int8Bytes) int8Eval = await evaluateVariant(int8Bytes, recipe.task, test, evalOpts);
    // Without an int8 variant only the fp32 floors matter: comparing fp32 with itself checks them (loss 0).
    gate = compareVariants(fp32Eval, int8Eval ?? fp32Eval, recipe.gates);
  }
  const fp32Accepted = gate ? gate.fp32Accepted : true;
  const fp32Reason = gate
    ? (gate.fp32Accepted ? 'passed its floors' : gate.reason)
    : 'uploaded model, shipped as it is; not evaluated (no data given)';
  const int8Accepted = int8Produced && gate !== null && gate.accepted;
  const int8Reason = !gate ? NO_DATA_REASON : gate.reason;

  // Footprint and per-profile plan.
  const profiles = options.profiles ?? loadProfiles();
  const sample = [spec.window.length, spec.features.length];
  const runs = options.footprintRuns ?? 50;
  let fp32Footprint: Footprint | null = null;
  let int8Footprint: Footprint | null = null;
  let plan: ProfilePlan[] = [];
  if (profiles.length > 0) {
    fp32Footprint = await measureFootprint(req.onnx, sample, { runs, maxMeasureMs: 1000 });
    const candidates: VariantCandidate[] = [{ variant: 'fp32', bytes: req.onnx.byteLength, footprint: fp32Footprint, accepted: fp32Accepted }];
    if (int8Bytes) {
      int8Footprint = await measureFootprint(int8Bytes, sample, { runs, maxMeasureMs: 1000 });
      candidates.unshift({ variant: 'int8', bytes: int8Bytes.byteLength, footprint: int8Footprint, accepted: int8Accepted });
    }
    plan = planProfiles(profiles, candidates);
  }

  const r = quant.report;
  const floatNodes = r.nodes.filter((n) => n.status === 'float').map((n) => `${n.name} (${n.opType}): ${n.detail}`);
  const outcome = int8Produced
    ? `int8 (${mode}): ${r.quantisedNodes} of ${r.nodes.length} nodes quantised, ${r.floatNodes} kept in float`
    : `fp32 only: ${mode} quantisation supports none of the model's operators (${[...new Set(r.nodes.map((n) => n.opType))].join(', ')}), so it ships as it is`;
  let statusReason: string;
  if (gate && !gate.fp32Accepted) statusReason = gate.reason;
  else if (!int8Produced) statusReason = `uploaded ONNX model; ${outcome}`;
  else statusReason = `uploaded ONNX model; ${outcome}; ${gate ? gate.reason : `int8 stored but not accepted: ${NO_DATA_REASON}`}`;

  const metrics: Record<string, Record<string, unknown>> = {
    fp32: { ...(fp32Eval ? fp32Eval.metrics : { evaluated: false }), ...(fp32Footprint ? { footprint: fp32Footprint } : {}), bytes: req.onnx.byteLength },
    upload: {
      opset: info.opset, irVersion: info.irVersion, input: info.inputs[0], outputs: info.outputs, outputDims,
      evaluated: gate !== null, calibrationWindows, testWindows: windows ? windows.n - cut : 0, int8: int8Produced ? mode : 'none',
    },
  };
  if (int8Bytes) metrics['int8'] = { ...(int8Eval ? int8Eval.metrics : { evaluated: false }), ...(int8Footprint ? { footprint: int8Footprint } : {}), bytes: int8Bytes.byteLength };
  if (gate && int8Produced) metrics['gate'] = { accepted: gate.accepted, loss: gate.loss, lossMetric: gate.lossMetric, checks: gate.checks, skipped: gate.skipped };
  else if (gate) metrics['gate'] = { fp32Accepted: gate.fp32Accepted, checks: gate.checks.filter((c) => c.variant === 'fp32'), skipped: gate.skipped };
  if (threshold) metrics['threshold'] = { ...threshold };

  const files: Record<string, Uint8Array> = {
    'model.fp32.onnx': req.onnx,
    ...(int8Bytes ? { 'model.int8.onnx': int8Bytes } : {}),
    'preprocess.json': text(serialisePreprocessSpec(spec)),
    'quantisation.json': text(JSON.stringify({ ...r, int8: int8Produced ? 'model.int8.onnx' : null, outcome }, null, 2)),
  };
  const complete: CompleteVersion = {
    status: fp32Accepted ? 'ready' : 'rejected',
    statusReason,
    dataRange,
    preprocess: spec,
    metrics,
    variants: [
      { variant: 'fp32', file: 'model.fp32.onnx', accepted: fp32Accepted, reason: fp32Reason },
      ...(int8Bytes ? [{ variant: 'int8' as const, file: 'model.int8.onnx', accepted: int8Accepted, reason: int8Reason }] : []),
    ],
    plan: plan.map(planEntry),
    quantisation: {
      mode,
      calibration: mode === 'static' ? (r.method ?? null) : null,
      calibrationWindows: mode === 'static' ? calibrationWindows : null,
      report: {
        int8: int8Produced, outcome,
        quantisedNodes: r.quantisedNodes, floatNodes: r.floatNodes, weightBits: r.weightBits ?? null, bytesBefore: r.bytesBefore, bytesAfter: r.bytesAfter,
        float: floatNodes,
      },
    },
  };
  return { recipe, spec, info, dataRange, quantisation: r, int8Produced, gate, files, complete };
}
