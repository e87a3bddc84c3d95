/**
 * ONNX's own validator (`onnx.checker.check_model(..., full_check=True)` from Debian's
 * python3-onnx, which .ci/run installs) as a test helper. Where python3 or its onnx module is
 * missing, `onnxCheckerSkip` says why and the caller skips with that message.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PYTHON = process.env.EDGEHIVE_PYTHON ?? '/usr/bin/python3';

let cached: string | false | undefined;

/** false when the checker is available, otherwise the reason a test should give for skipping. */
export function onnxCheckerSkip(): string | false {
  if (cached !== undefined) return cached;
  try {
    execFileSync(PYTHON, ['-c', 'import onnx.checker'], { stdio: 'ignore' });
    cached = false;
  } catch {
    cached = `onnx.checker not available (${PYTHON} with python3-onnx; apt-get install python3-onnx): skipping the ONNX checker`;
  }
  return cached;
}

const SCRIPT = [
  'import sys, onnx',
  'm = onnx.load(sys.argv[1])',
  'onnx.checker.check_model(m, full_check=True)',
  'print("ok", m.ir_version, [(o.domain, o.version) for o in m.opset_import])',
].join('\n');

/** Runs the full ONNX check on a serialised model; throws with the checker's message when it fails. */
export function checkOnnxModel(model: Uint8Array): void {
  const dir = mkdtempSync(join(tmpdir(), 'eh-onnx-check-'));
  try {
    const file = join(dir, 'model.onnx');
    writeFileSync(file, model);
    const r = spawnSync(PYTHON, ['-c', SCRIPT, file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`onnx.checker rejected the model: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
