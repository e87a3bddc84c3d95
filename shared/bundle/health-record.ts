/**
 * The health check a bundle carries: a canned input and the output the builder's ONNX Runtime
 * gave for it. After a swap the agent runs the same input and compares (edge-agent/bundles).
 * ONNX Runtime is imported on first use so the rest of shared/bundle never loads it.
 */
import { EdgehiveError } from '../errors/index.ts';
import { seeded } from '../random/seeded.ts';
import type { HealthCheck, TensorSpec } from './schema.ts';

/** The manifest carries the arrays, so they stay small; the schema's own limit. */
export const MAX_CHECK_VALUES = 65_536;

/** The deterministic input of `dims`, values in [-1, 1), as float32. */
export function healthInput(dims: readonly number[], seed = 1): Float32Array {
  if (dims.length < 1 || dims.length > 8 || dims.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new EdgehiveError('EH_BAD_REQUEST', `health-check input dims must be 1 to 8 positive integers (e.g. 1,16,4), got [${dims.join(', ')}]`);
  }
  const n = dims.reduce((a, b) => a * b, 1);
  if (n > MAX_CHECK_VALUES) {
    throw new EdgehiveError('EH_BAD_REQUEST', `health-check input [${dims.join(', ')}] has ${n} values, over the ${MAX_CHECK_VALUES} a manifest may carry; use a batch of 1`);
  }
  const rnd = seeded(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rnd() * 2 - 1;
  return out;
}

export interface ModelCheck { check: HealthCheck; inputs: TensorSpec[]; outputs: TensorSpec[] }

/**
 * The health check plus the model's input and output as a manifest describes them (names from
 * the model, dims from the check with the first dimension symbolic "batch"), from one run.
 */
export async function recordModelCheck(model: Uint8Array, inputDims: readonly number[], opts: { tolerance?: number; runs?: number; seed?: number } = {}): Promise<ModelCheck> {
  const input = healthInput(inputDims, opts.seed ?? 1);
  const tolerance = opts.tolerance ?? 1e-3;
  const runs = opts.runs ?? 5;
  if (!(tolerance > 0 && tolerance <= 1)) throw new EdgehiveError('EH_BAD_REQUEST', `health-check tolerance must be in (0, 1], got ${tolerance}`);
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new EdgehiveError('EH_BAD_REQUEST', `health-check runs must be an integer from 1 to 100, got ${runs}`);
  const { OnnxSession } = await import('../inference/onnx-session.ts');
  const session = await OnnxSession.load(model);
  let result: { data: Float32Array; dims: readonly number[] };
  try {
    result = await session.run(input, inputDims);
  } finally {
    await session.close();
  }
  const output = result.data;
  if (output.length > MAX_CHECK_VALUES) {
    throw new EdgehiveError('EH_BAD_REQUEST', `the model's output for the health-check input has ${output.length} values, over the ${MAX_CHECK_VALUES} a manifest may carry; use smaller input dims`);
  }
  const bad = output.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new EdgehiveError('EH_MODEL_INVALID', `the model gives ${output[bad]} at output ${bad} for the health-check input; a model with non-finite outputs cannot ship`);
  const spec = (name: string, dims: readonly number[]): TensorSpec => ({ name, dims: ['batch', ...dims.slice(1)], type: 'float32' });
  return {
    check: { inputDims: [...inputDims], input: Array.from(input), output: Array.from(output), tolerance, runs },
    inputs: [spec(session.inputName, inputDims)],
    outputs: [spec(session.outputName, result.dims)],
  };
}

export async function recordHealthCheck(model: Uint8Array, inputDims: readonly number[], opts: { tolerance?: number; runs?: number; seed?: number } = {}): Promise<HealthCheck> {
  return (await recordModelCheck(model, inputDims, opts)).check;
}
