/**
 * The closed drift loop when its first challenger loses (issue 5, decision 0013): the first
 * challenger's shadow is held to a latency ratio no model can meet, so the hub retires it; the
 * drift persists, the policy triggers again once its cool-down ends, and the second challenger,
 * trained on fresher data, is shadowed, promoted in waves, and clears the drift. What the demo
 * shows when the held-out gate or the shadow refuses a challenger.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../shared/log/logger.ts';
import { LOOP_DEFAULTS, runDriftLoop } from '../../simulators/fleet/drift-loop.ts';
import { LOOP_STEPS } from '../../simulators/fleet/drift-loop-steps.ts';

test('a retired first challenger: the policy retrains after its cool-down and the second one is promoted and clears the drift', { timeout: 200_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'eh-drift-retry-'));
  const lines: string[] = [];
  try {
    const r = await runDriftLoop({ ...LOOP_DEFAULTS, dataDir: dir, stepTimeoutMs: 60_000, logger: silentLogger(), print: (l) => lines.push(l), firstShadow: { maxLatencyRatio: 0.01 } });
    const why = `\n${lines.join('\n')}`;
    assert.equal(r.attempts.length, 2, `two challengers decided${why}`);
    assert.equal(r.attempts[0]!.state, 'retired', why);
    assert.match(r.attempts[0]!.reason ?? '', /maxLatencyRatio 0\.01/, why);
    assert.equal(r.attempts[1]!.state, 'promoted', why);
    assert.ok(r.attempts[1]!.version > r.attempts[0]!.version, 'the second challenger is a new version');
    assert.equal(r.challenger, r.attempts[1]!.version);
    assert.ok(lines.some((l) => /policy triggered again: .*training job/.test(l)), `the policy, not the loop, started the second training${why}`);
    assert.deepEqual(r.timeline.marks.map((m) => m.step), [...LOOP_STEPS], `every step once, the last challenger's${why}`);
    assert.equal(r.deploymentState, 'completed', why);
    assert.match(r.timeline.get('drift-cleared')!.detail, new RegExp(`on v${r.challenger}`), why);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
