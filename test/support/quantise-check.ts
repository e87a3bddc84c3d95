/**
 * What the quantiser tests share: a model's outputs in ONNX Runtime, int8 against fp32, the ops
 * ORT actually runs after its optimisations (did it fuse?), and the ONNX checker where present.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { decodeModel } from '../../cloud-hub/onnx/index.ts';
import { loadOrt, OnnxSession } from '../../shared/inference/index.ts';
import { checkOnnxModel, onnxCheckerSkip } from './onnx-checker.ts';

const checkerSkip = onnxCheckerSkip();
const tmp = mkdtempSync(join(tmpdir(), 'eh-quantise-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function outputs(model: Uint8Array, x: { data: Float32Array; shape: number[] }): Promise<Float32Array> {
  const s = await OnnxSession.load(model);
  try {
    return (await s.run(x.data, x.shape)).data;
  } finally {
    await s.close();
  }
}

export async function errorAgainstFp32(fp32: Uint8Array, int8: Uint8Array, x: { data: Float32Array; shape: number[] }): Promise<{ max: number; mean: number; range: number }> {
  const [a, b] = [await outputs(fp32, x), await outputs(int8, x)];
  let max = 0;
  let sum = 0;
  let range = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    max = Math.max(max, d);
    sum += d;
    range = Math.max(range, Math.abs(a[i]!));
  }
  return { max, mean: sum / a.length, range };
}

/** The op types ORT actually runs after its graph optimisations. */
export async function optimisedOps(model: Uint8Array, name: string): Promise<string[]> {
  const ort = await loadOrt();
  const file = join(tmp, `${name}.opt.onnx`);
  const s = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'extended', optimizedModelFilePath: file, intraOpNumThreads: 1 });
  await s.release();
  return (decodeModel(readFileSync(file)).graph!.node ?? []).map((n) => n.opType ?? '');
}

export function check(model: Uint8Array): void {
  if (!checkerSkip) checkOnnxModel(model);
}

