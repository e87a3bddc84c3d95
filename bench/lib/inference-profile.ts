/**
 * What ONNX Runtime actually runs: the graph after its optimiser (sessionOptions
 * optimizedModelFilePath), as operator counts, which says whether the quantiser's
 * QuantizeLinear/DequantizeLinear pairs were fused into integer kernels (QLinearConv, QGemm,
 * MatMulInteger …) or left as float ops between Q/DQ; and ORT's own profiler (enableProfiling),
 * as kernel time per operator type at batch 1.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataType, decodeModel, encodeModel, IR_VERSION, node, OPSET, tensorValueInfo } from '../../cloud-hub/onnx/index.ts';
import { loadOrt, OnnxSession } from '../../shared/inference/index.ts';
import { timeCalls, type Timing, type TimingBudget } from './inference-timing.ts';
import { tempDir } from './util.ts';

export interface OpProfile {
  /** Operator counts in ORT's optimised graph ("domain:Op" for non-standard domains). */
  readonly optimisedOps: Record<string, number>;
  /** True when no float Conv/Gemm/MatMul is left and integer kernels are present. */
  readonly fused: boolean;
  /** Integer kernels present (QLinearConv, QGemm, QLinearMatMul, MatMulInteger, ConvInteger, …). */
  readonly integerOps: string[];
  /** Float compute ops left in the optimised graph. */
  readonly floatComputeOps: string[];
  /** Mean kernel time per run by operator type (µs), batch 1, from ORT's profiler. */
  readonly kernelUsPerRun: Record<string, number>;
  readonly kernelTotalUsPerRun: number;
  /** Wall time per run during profiling (µs), for the overhead outside the kernels. */
  readonly wallUsPerRun: number;
  readonly runs: number;
}

const INTEGER_OPS = /^(com\.microsoft:)?(QLinear\w+|QGemm|MatMulInteger\w*|ConvInteger|DynamicQuantize\w*|NhwcQLinear\w+|QAttention)$/;
const FLOAT_COMPUTE = /^(com\.microsoft:)?(Conv|FusedConv|Gemm|FusedGemm|MatMul|FusedMatMul|NchwcConv|com\.microsoft\.nchwc:Conv)$/;

interface ProfileEvent { cat?: string; name?: string; dur?: number; args?: { op_name?: string } }

/** Optimised-graph operator counts and a batch-1 kernel profile of `model`, one intra-op thread. */
export async function profileModel(model: Uint8Array, input: Float32Array, dims: readonly number[], runs: number): Promise<OpProfile> {
  const ort = await loadOrt();
  const tmp = tempDir('eh-bench-inference-profile-');
  try {
    const optimisedFile = join(tmp.dir, 'optimised.onnx');
    const session = await ort.InferenceSession.create(model, {
      intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
      optimizedModelFilePath: optimisedFile, enableProfiling: true, profileFilePrefix: join(tmp.dir, 'profile'),
      logSeverityLevel: 3,
    });
    const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', input, [...dims]) };
    for (let i = 0; i < 20; i++) await session.run(feeds);
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) await session.run(feeds);
    const wallUsPerRun = ((performance.now() - t0) * 1000) / runs;
    session.endProfiling();
    await session.release();

    const optimised = decodeModel(readFileSync(optimisedFile), 'ORT\'s optimised model');
    const optimisedOps: Record<string, number> = {};
    for (const n of optimised.graph?.node ?? []) {
      const key = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}:${n.opType ?? '?'}` : (n.opType ?? '?');
      optimisedOps[key] = (optimisedOps[key] ?? 0) + 1;
    }
    const integerOps = Object.keys(optimisedOps).filter((k) => INTEGER_OPS.test(k));
    const floatComputeOps = Object.keys(optimisedOps).filter((k) => FLOAT_COMPUTE.test(k));

    const profileFile = readdirSync(tmp.dir).find((f) => f.startsWith('profile') && f.endsWith('.json'));
    const kernel: Record<string, number> = {};
    let total = 0;
    if (profileFile) {
      const events = JSON.parse(readFileSync(join(tmp.dir, profileFile), 'utf8')) as ProfileEvent[];
      // The profile covers warm-up and timed runs: divide by all of them.
      const all = runs + 20;
      for (const e of events) {
        if (e.cat !== 'Node' || !e.name?.endsWith('_kernel_time') || e.dur === undefined) continue;
        const op = e.args?.op_name ?? '?';
        kernel[op] = (kernel[op] ?? 0) + e.dur / all;
        total += e.dur / all;
      }
    }
    return {
      optimisedOps, integerOps, floatComputeOps, fused: integerOps.length > 0 && floatComputeOps.length === 0,
      kernelUsPerRun: Object.fromEntries(Object.entries(kernel).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v * 10) / 10])),
      kernelTotalUsPerRun: Math.round(total * 10) / 10, wallUsPerRun: Math.round(wallUsPerRun * 10) / 10, runs,
    };
  } finally {
    tmp.remove();
  }
}

/** One line: "QLinearConv×4 (812 µs), QGemm×2 (40 µs), …". */
export function describeProfile(p: OpProfile): string {
  const ops = Object.entries(p.optimisedOps).map(([k, n]) => `${k}×${n}`).join(', ');
  const top = Object.entries(p.kernelUsPerRun).slice(0, 6).map(([k, us]) => `${k} ${us} µs`).join(', ');
  return `optimised graph: ${ops}; kernel time/run ${p.kernelTotalUsPerRun} µs of ${p.wallUsPerRun} µs wall (${top})`;
}

/**
 * The fixed cost of one onnxruntime-node call: a one-node model (Relu on [1, 1]) through
 * OnnxSession (what the agent calls) and through the raw InferenceSession.run, at batch 1. A model
 * whose compute is far below this is measured by this, not by its kernels.
 */
export async function ortCallFloor(budget: TimingBudget): Promise<{ session: Timing; raw: Timing }> {
  const bytes = encodeModel({
    irVersion: IR_VERSION, producerName: 'edgehive-bench', opsetImport: [{ domain: '', version: OPSET }],
    graph: {
      name: 'floor', node: [node('Relu', ['x'], ['y'])], initializer: [],
      input: [tensorValueInfo('x', DataType.FLOAT, ['batch', 1])], output: [tensorValueInfo('y', DataType.FLOAT, ['batch', 1])],
    },
  });
  const x = new Float32Array([0.5]);
  const s = await OnnxSession.load(bytes);
  let session: Timing;
  try {
    session = await timeCalls(() => s.run(x, [1, 1]), 1, budget);
  } finally {
    await s.close();
  }
  const ort = await loadOrt();
  const raw = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
  try {
    const feeds = { x: new ort.Tensor('float32', x, [1, 1]) };
    return { session, raw: await timeCalls(() => raw.run(feeds), 1, budget) };
  } finally {
    await raw.release();
  }
}
