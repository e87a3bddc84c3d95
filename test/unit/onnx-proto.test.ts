import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DataType, IR_VERSION, OPSET, attr, decodeModel, encodeModel, floatTensor, node, onnx, tensorValueInfo } from '../../cloud-hub/onnx/index.ts';
import { isEdgehiveError } from '../../shared/errors/index.ts';
import { OnnxSession } from '../../shared/inference/index.ts';
import { checkOnnxModel, onnxCheckerSkip } from '../support/onnx-checker.ts';

// The generated code is committed; this fails when someone edits onnx.proto without `npm run onnx:gen`.
test('generated ONNX code matches cloud-hub/onnx/onnx.proto', () => {
  const out = mkdtempSync(join(tmpdir(), 'eh-onnx-'));
  execFileSync(process.execPath, ['cloud-hub/onnx/generate.mjs', out]);
  for (const f of ['onnx.js', 'onnx.d.ts']) {
    assert.equal(readFileSync(join(out, f), 'utf8'), readFileSync(join('cloud-hub/onnx/generated', f), 'utf8'), `${f} is stale: run npm run onnx:gen`);
  }
});

function tinyModel(): Uint8Array {
  return encodeModel({
    irVersion: IR_VERSION, opsetImport: [{ domain: '', version: OPSET }], producerName: 'edgehive-test',
    graph: {
      name: 'tiny',
      node: [node('MatMul', ['x', 'W'], ['y']), node('Relu', ['y'], ['z']), node('Flatten', ['z'], ['out'], [attr('axis', 1)])],
      initializer: [floatTensor('W', [3, 2], new Float32Array([1, 2, 3, 4, 5, 6]))],
      input: [tensorValueInfo('x', DataType.FLOAT, ['batch', 3])],
      output: [tensorValueInfo('out', DataType.FLOAT, ['batch', 2])],
    },
  });
}

test('a model built with the schema subset is valid ONNX: the checker accepts it and ONNX Runtime computes it', async (t) => {
  const bytes = tinyModel();
  const skip = onnxCheckerSkip();
  if (skip) t.diagnostic(skip);
  else checkOnnxModel(bytes);
  const session = await OnnxSession.load(bytes);
  const r = await session.run(new Float32Array([1, 1, 1, -1, 0, 0]), [2, 3]);
  assert.deepEqual([...r.data], [9, 12, 0, 0]);
  assert.deepEqual(r.dims, [2, 2]);
  await session.close();
});

test('fields outside the schema subset survive a decode/encode round trip', () => {
  const bytes = tinyModel();
  // Field 99 (varint) is not in our subset: an upload from a newer exporter may carry such fields.
  const extra = new Uint8Array([...bytes, (99 << 3) | 0, 0x07]);
  const model = decodeModel(extra);
  const again = encodeModel(model);
  assert.equal(again.length, extra.length);
  assert.deepEqual(onnx.ModelProto.decode(again).graph?.node?.length, 3);
});

test('bytes that are not an ONNX model are refused with EH_MODEL_INVALID', () => {
  for (const junk of [new Uint8Array([0xff, 0xff, 0xff]), new TextEncoder().encode('{"not":"onnx"}'), new Uint8Array()]) {
    assert.throws(() => decodeModel(junk, 'upload'), (e) => isEdgehiveError(e, 'EH_MODEL_INVALID') && /upload/.test(e.message));
  }
});
