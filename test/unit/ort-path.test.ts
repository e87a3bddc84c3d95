/**
 * OnnxSession's two ways into ONNX Runtime (decision 0015): the direct native session, called
 * synchronously, and the public InferenceSession.run. Both must load the same models, compute
 * the same numbers, and refuse the same bad input with the same typed errors.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DataType, IR_VERSION, OPSET, attr, encodeModel, floatTensor, node, tensorValueInfo } from '../../cloud-hub/onnx/index.ts';
import { isEdgehiveError } from '../../shared/errors/index.ts';
import { defaultOrtPath, OnnxSession, type OrtPath } from '../../shared/inference/index.ts';

/** A small MLP (Gemm, Relu, Gemm, Sigmoid) with seeded weights: 8 inputs, 3 outputs. */
function mlp(): Uint8Array {
  let s = 7;
  const rnd = (n: number) => Float32Array.from({ length: n }, () => { s = (s * 1103515245 + 12345) % 2 ** 31; return s / 2 ** 30 - 1; });
  return encodeModel({
    irVersion: IR_VERSION, opsetImport: [{ domain: '', version: OPSET }], producerName: 'edgehive-test',
    graph: {
      name: 'mlp',
      node: [
        node('Gemm', ['x', 'W1', 'b1'], ['h'], [attr('transB', 0)]), node('Relu', ['h'], ['r']),
        node('Gemm', ['r', 'W2', 'b2'], ['o']), node('Sigmoid', ['o'], ['y']),
      ],
      initializer: [floatTensor('W1', [8, 16], rnd(128)), floatTensor('b1', [16], rnd(16)), floatTensor('W2', [16, 3], rnd(48)), floatTensor('b2', [3], rnd(3))],
      input: [tensorValueInfo('x', DataType.FLOAT, ['batch', 8])],
      output: [tensorValueInfo('y', DataType.FLOAT, ['batch', 3])],
    },
  });
}

const PATHS: OrtPath[] = ['direct', 'public'];

test('the direct path is the default here, and both paths compute the same outputs bit for bit', async () => {
  assert.equal(defaultOrtPath(), process.env['EDGEHIVE_ORT_PATH'] === 'public' ? 'public' : 'direct', 'onnxruntime-node as pinned in package-lock has the native binding');
  const bytes = mlp();
  const x = Float32Array.from({ length: 5 * 8 }, (_, i) => Math.sin(i));
  const out: Record<string, number[]> = {};
  for (const path of PATHS) {
    const s = await OnnxSession.load(bytes, { path });
    try {
      assert.equal(s.path, path);
      assert.equal(s.inputName, 'x');
      assert.equal(s.outputName, 'y');
      const r = await s.run(x, [5, 8]);
      assert.deepEqual(r.dims, [5, 3]);
      out[path] = [...r.data];
    } finally {
      await s.close();
    }
  }
  assert.deepEqual(out['direct'], out['public']);
  assert.ok(out['direct']!.every((v) => v > 0 && v < 1), 'sigmoid outputs');
});

test('a model file on disk loads on both paths', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'eh-ort-'));
  try {
    const file = join(dir, 'm.onnx');
    writeFileSync(file, mlp());
    for (const path of PATHS) {
      const s = await OnnxSession.load(file, { path });
      assert.equal((await s.run(new Float32Array(8), [1, 8])).data.length, 3);
      await s.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('both paths refuse junk with EH_MODEL_INVALID and a wrong input shape with EH_INFERENCE_FAILED', async () => {
  for (const path of PATHS) {
    await assert.rejects(OnnxSession.load(new Uint8Array([8, 1, 2, 3]), { path }), (e) => isEdgehiveError(e, 'EH_MODEL_INVALID') && /ONNX Runtime cannot load the model/.test(e.message), path);
    const s = await OnnxSession.load(mlp(), { path });
    try {
      // Right number of values, wrong shape for the model: ORT itself refuses it.
      await assert.rejects(s.run(new Float32Array(16), [2, 2, 4]), (e) => isEdgehiveError(e, 'EH_INFERENCE_FAILED') && /input shape \[2, 2, 4\]/.test(e.message), path);
      await assert.rejects(s.run(new Float32Array(7), [1, 8]), (e) => isEdgehiveError(e, 'EH_INFERENCE_FAILED') && /needs 8/.test(e.message), path);
      // Still usable after a refused call.
      assert.equal((await s.run(new Float32Array(8), [1, 8])).data.length, 3);
    } finally {
      await s.close();
    }
  }
});

test('EDGEHIVE_ORT_PATH=public makes sessions take the public API', () => {
  const code = `import { OnnxSession } from './shared/inference/index.ts';
const s = await OnnxSession.load(new Uint8Array(${JSON.stringify([...mlp()])}));
console.log(s.path); await s.close();`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', env: { ...process.env, EDGEHIVE_ORT_PATH: 'public' } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'public');
});
