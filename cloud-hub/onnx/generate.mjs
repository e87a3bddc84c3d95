// Regenerates cloud-hub/onnx/generated/ from onnx.proto. The output is committed;
// test/unit/onnx-proto.test.ts fails when it is stale.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = process.argv[2] ?? join(here, 'generated');
mkdirSync(outDir, { recursive: true });
const bin = (name) => join(here, '..', '..', 'node_modules', '.bin', name);
const js = join(outDir, 'onnx.js');
execFileSync(bin('pbjs'), ['-t', 'static-module', '-w', 'es6', '--es6', '--force-number',
  '--no-verify', '--no-delimited', '--no-beautify', '--no-convert', '-o', js, join(here, 'onnx.proto')]);
// pbjs emits a bare 'protobufjs/minimal' import; Node's ESM resolver needs the extension.
writeFileSync(js, readFileSync(js, 'utf8').replace(/from "protobufjs\/minimal"/g, 'from "protobufjs/minimal.js"'));
execFileSync(bin('pbts'), ['--no-comments', '-o', join(outDir, 'onnx.d.ts'), js]);
