/**
 * Calibration: runs real input batches through the float model with every tensor we will
 * quantise exposed as an extra graph output, and records each tensor's range.
 *
 * ONNX Runtime is used directly rather than through OnnxSession because we need many outputs
 * at once. Graph optimisations are switched off so that the tensors we fetch are the ones the
 * original graph computes, not fused-away intermediates.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import { loadOrt } from '../../shared/inference/index.ts';
import { DataType, decodeModel, encodeModel, tensorValueInfo } from '../onnx/index.ts';
import { AbsHistogram, clipRange, MinMaxObserver, type Range } from './histogram.ts';

export interface CalibrationData {
  /** Row-major batch of model inputs, batch axis first. */
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

export interface CalibrationOptions {
  readonly method: 'minmax' | 'percentile';
  /** Kept share of |x| for 'percentile', e.g. 99.99. */
  readonly percentile?: number;
  /** Rows per ORT run (bounds memory: every calibrated tensor of a batch is held at once). */
  readonly batchRows?: number;
}

export const DEFAULT_PERCENTILE = 99.99;

export function validateCalibration(c: CalibrationData): void {
  const rows = c.shape[0] ?? 0;
  const size = c.shape.reduce((a, b) => a * b, 1);
  if (c.shape.length < 1 || rows < 1 || size !== c.data.length) {
    throw new EdgehiveError('EH_DATA_INSUFFICIENT', `calibration data has ${c.data.length} values for shape [${c.shape.join(', ')}]; give at least one row shaped like the model input`);
  }
  for (let i = 0; i < c.data.length; i++) {
    if (!Number.isFinite(c.data[i])) throw new EdgehiveError('EH_DATA_INSUFFICIENT', `calibration value ${i} is not finite; impute missing values before calibrating`);
  }
}

/** Ranges of `tensors` over the calibration data (the graph input's range is taken from the data itself). */
export async function calibrate(modelBytes: Uint8Array, inputName: string, tensors: readonly string[], calib: CalibrationData, opts: CalibrationOptions): Promise<Map<string, Range>> {
  validateCalibration(calib);
  const model = decodeModel(modelBytes);
  const graph = model.graph!;
  const existing = new Set((graph.output ?? []).map((o) => o.name));
  const fetch = tensors.filter((t) => t !== inputName);
  for (const t of fetch) if (!existing.has(t)) graph.output!.push(tensorValueInfo(t, DataType.FLOAT, []));
  // A declared shape [] would contradict the real one; leave the type's shape unset.
  for (const o of graph.output ?? []) if (fetch.includes(o.name ?? '') && !existing.has(o.name ?? '')) delete o.type!.tensorType!.shape;

  const ort = await loadOrt();
  let session: Awaited<ReturnType<typeof ort.InferenceSession.create>>;
  try {
    session = await ort.InferenceSession.create(encodeModel(model), { graphOptimizationLevel: 'disabled', intraOpNumThreads: 1, interOpNumThreads: 1 });
  } catch (e) {
    throw new EdgehiveError('EH_MODEL_INVALID', `ONNX Runtime cannot load the model for calibration: ${(e as Error).message}`, undefined, { cause: e });
  }
  const rows = calib.shape[0]!;
  const rowSize = calib.data.length / rows;
  const step = Math.max(1, opts.batchRows ?? 32);

  async function pass(visit: (name: string, data: Float32Array) => void): Promise<void> {
    for (let r = 0; r < rows; r += step) {
      const n = Math.min(step, rows - r);
      const slice = calib.data.subarray(r * rowSize, (r + n) * rowSize);
      visit(inputName, slice);
      if (fetch.length === 0) continue;
      let out: Awaited<ReturnType<typeof session.run>>;
      try {
        out = await session.run({ [inputName]: new ort.Tensor('float32', slice, [n, ...calib.shape.slice(1)]) }, fetch);
      } catch (e) {
        throw new EdgehiveError('EH_INFERENCE_FAILED', `calibration run failed on rows ${r}..${r + n - 1}: ${(e as Error).message}; does the calibration data match the model input shape?`, undefined, { cause: e });
      }
      for (const name of fetch) {
        const t = out[name];
        if (!t || t.type !== 'float32') throw new EdgehiveError('EH_MODEL_UNSUPPORTED', `tensor ${name} is ${t?.type ?? 'missing'}, not float32; it cannot be quantised`);
        visit(name, t.data as Float32Array);
      }
    }
  }

  try {
    const minmax = new Map(tensors.map((t) => [t, new MinMaxObserver()] as const));
    await pass((name, data) => minmax.get(name)?.observe(data));
    const ranges = new Map([...minmax].map(([t, o]) => [t, o.range()] as const));
    if (opts.method === 'minmax') return ranges;
    const hists = new Map([...ranges].map(([t, r]) => [t, new AbsHistogram(Math.max(Math.abs(r.min), Math.abs(r.max)))] as const));
    await pass((name, data) => hists.get(name)?.observe(data));
    const pct = opts.percentile ?? DEFAULT_PERCENTILE;
    return new Map([...ranges].map(([t, r]) => [t, clipRange(r, hists.get(t)!.percentile(pct))] as const));
  } finally {
    await session.release();
  }
}
