/**
 * Ctrl-C in `npm start` while the drift loop runs: the loop ends at its next wait, and its fleet
 * and hub are closed (nothing left listening, the process can exit).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../shared/log/logger.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { LOOP_DEFAULTS, runDriftLoop } from '../../simulators/fleet/drift-loop.ts';

test('aborting the drift loop ends it promptly with a clear error and closes its hub and fleet', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'eh-drift-stop-'));
  const stop = new AbortController();
  const lines: string[] = [];
  const handlesBefore = process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
  try {
    const run = runDriftLoop({
      ...LOOP_DEFAULTS, pumps: 3, dataDir: dir, logger: silentLogger(), signal: stop.signal,
      print: (l) => { lines.push(l); if (/^drift loop: \d+ pumps/.test(l)) setTimeout(() => stop.abort(), 500); },
    });
    const t0 = Date.now();
    await assert.rejects(run, (e: unknown) => e instanceof EdgehiveError && e.code === 'EH_STATE' && /stopped while waiting for/.test(e.message), lines.join('\n'));
    assert.ok(Date.now() - t0 < 20_000, `ended within seconds of the abort (${Date.now() - t0} ms)`);
    assert.ok(!lines.some((l) => /champion-ready/.test(l)), 'stopped before the champion was trained');
    const handlesAfter = process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
    assert.ok(handlesAfter <= handlesBefore, `the loop's broker and API stopped listening (${handlesBefore} → ${handlesAfter} servers)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
