import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

// The generated protobuf code is committed; this fails when someone edits edgehive.proto
// without running `npm run proto:gen`.
test('generated protobuf code matches shared/proto/edgehive.proto', () => {
  const out = mkdtempSync(join(tmpdir(), 'eh-proto-'));
  execFileSync(process.execPath, ['shared/proto/generate.mjs', out]);
  for (const f of ['edgehive.js', 'edgehive.d.ts']) {
    assert.equal(readFileSync(join(out, f), 'utf8'), readFileSync(join('shared/proto/generated', f), 'utf8'), `${f} is stale: run npm run proto:gen`);
  }
});
