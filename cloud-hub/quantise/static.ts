/**
 * Static int8 quantisation in QDQ form: validate → plan → calibrate on real input rows →
 * rewrite. The result is a standard ONNX model (opset ≥ 13 ops only) that any runtime can run
 * and that ONNX Runtime turns into integer kernels.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import { encodeModel } from '../onnx/index.ts';
import { calibrate, DEFAULT_PERCENTILE, type CalibrationData } from './calibrate.ts';
import { validateModel } from './inspect.ts';
import { planStatic } from './plan.ts';
import { rewriteStatic } from './qdq.ts';
import { activationParams, PER_TENSOR_MAX_SPREAD, weightRange, type ActivationType, type QParams } from './qmath.ts';
import { summarise, type QuantReport } from './report.ts';

export interface StaticOptions {
  readonly method?: 'minmax' | 'percentile';
  /** Kept share of |activation| values for 'percentile' (default 99.99). */
  readonly percentile?: number;
  /**
   * Activation integer type. uint8 (default): measured faster than int8 on ORT's x86 CPU
   * kernels for our conv models, and it gives a one-sided Relu range all 256 levels.
   */
  readonly activationType?: ActivationType;
  /** Per-channel weights, except where per-tensor loses next to nothing (see perTensorMaxSpread). */
  readonly perChannel?: true;
  /**
   * A layer whose per-channel weight scales spread (max / min) by at most this much gets one
   * scale and zero point for the whole weight instead: 5 B a channel less, and ORT fuses it just
   * the same. Default PER_TENSOR_MAX_SPREAD (2); 1 keeps every layer with unequal channels per channel.
   */
  readonly perTensorMaxSpread?: number;
  /** Rows per calibration run. */
  readonly batchRows?: number;
  /**
   * 7-bit weights (|q| ≤ 63, default true): exact on every CPU. false: full-range int8 weights,
   * which ORT's kernels on x86 without VNNI can saturate (see REDUCED_WEIGHT_QMAX).
   */
  readonly reduceRange?: boolean;
}

export interface QuantiseResult {
  readonly model: Uint8Array;
  readonly report: QuantReport;
}

export async function quantiseStatic(bytes: Uint8Array, calibration: CalibrationData, options: StaticOptions = {}): Promise<QuantiseResult> {
  const method = options.method ?? 'minmax';
  const type = options.activationType ?? 'uint8';
  const percentile = options.percentile ?? DEFAULT_PERCENTILE;
  if (method === 'percentile' && !(percentile > 50 && percentile <= 100)) {
    throw new EdgehiveError('EH_BAD_REQUEST', `percentile ${percentile} is out of range; give the kept share of |activation| values in (50, 100], e.g. 99.99`);
  }
  const maxSpread = options.perTensorMaxSpread ?? PER_TENSOR_MAX_SPREAD;
  if (!(maxSpread >= 1)) throw new EdgehiveError('EH_BAD_REQUEST', `perTensorMaxSpread ${maxSpread} is below 1; give the largest max/min ratio of channel scales to quantise per tensor (1 = per channel)`);
  const { model, view } = validateModel(bytes);
  const plan = planStatic(view);
  const roots = [...plan.quantised].filter((t) => !plan.sharesScaleWith.has(t));
  const ranges = await calibrate(bytes, view.inputName, roots, calibration, { method, percentile, ...(options.batchRows ? { batchRows: options.batchRows } : {}) });
  const params = new Map<string, QParams>();
  for (const [t, r] of ranges) params.set(t, activationParams(r.min, r.max, type));

  const range = weightRange(options.reduceRange);
  const { nodes } = rewriteStatic(view, plan, params, type, maxSpread, range.qmax);
  model.producerName = model.producerName ? `${model.producerName} + edgehive-quantise` : 'edgehive-quantise';
  const out = encodeModel(model);
  return {
    model: out,
    report: {
      mode: 'static', method, ...(method === 'percentile' ? { percentile } : {}), activationType: type, weightBits: range.bits,
      calibrationRows: calibration.shape[0] ?? 0,
      nodes, ...summarise(nodes), bytesBefore: bytes.length, bytesAfter: out.length,
    },
  };
}
