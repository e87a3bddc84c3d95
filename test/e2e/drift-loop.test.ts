/**
 * The closed drift loop end to end (issue 5) on the simulator's pump fleet with accelerated
 * time, real parts only: a hub with its embedded broker and SQLite, ten real agents in this
 * process, the hub's own training jobs, signed bundles, shadow evaluation and staged rollouts
 * (simulators/fleet/drift-loop.ts, the same driver `npm start` and `npm run bench:drift-loop` run).
 * A discharge-pressure offset on 30 % of the pumps must be detected, trigger retraining within
 * the policy's consecutive reports, produce a challenger that passes the held-out gate and the
 * shadow, is promoted through waves, and leaves the drifted pumps' reports under the thresholds.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../shared/log/logger.ts';
import { LOOP_DEFAULTS, runDriftLoop } from '../../simulators/fleet/drift-loop.ts';
import { LOOP_STEPS } from '../../simulators/fleet/drift-loop-steps.ts';

test('drift on 30 % of the pumps is detected, retrained, shadowed, promoted in waves, and back under threshold', { timeout: 170_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'eh-drift-loop-'));
  const lines: string[] = [];
  try {
    const r = await runDriftLoop({ ...LOOP_DEFAULTS, dataDir: dir, stepTimeoutMs: 60_000, logger: silentLogger(), print: (l) => lines.push(l) });
    const why = `\n${lines.join('\n')}`;

    assert.deepEqual(r.timeline.marks.map((m) => m.step), [...LOOP_STEPS], `every step, in order${why}`);
    for (let i = 1; i < r.timeline.marks.length; i++) {
      const [a, b] = [r.timeline.marks[i - 1]!, r.timeline.marks[i]!];
      assert.ok(b.wallMs >= a.wallMs, `${b.step} seen after ${a.step}${why}`);
    }
    assert.equal(r.devices.length, 10);
    assert.equal(r.drifted.length, 3, 'the offset is on 30 % of the group');

    assert.ok(r.trigger, why);
    assert.deepEqual([...r.trigger.drifting].sort(), [...r.drifted].sort(), `the trigger names exactly the drifted pumps${why}`);
    assert.ok(r.trigger.share >= 0.3);
    assert.equal(r.trigger.jobActor, 'drift-policy', 'the policy started the retraining');
    const consecutive = r.policy.consecutiveReports!;
    // Detected within the policy's number of reports: the trigger needs every drifted pump (the
    // share is 0.3) to be drifting for `consecutive` judged reports in a row, so it must fire on
    // the report that completes the last pump's run. Counted in reports, not time, this holds at
    // 25,920x however late the reports arrive; one report of slack for a report landing while an
    // evaluation runs. The first judged reports after the injection may be clean: their windows
    // straddle it.
    const trailing = (flags: boolean[]) => { let n = 0; for (let i = flags.length - 1; i >= 0 && flags[i]; i--) n++; return n; };
    const runs = r.drifted.map((d) => trailing(r.driftingBeforeTrigger[d] ?? []));
    const detail = `${JSON.stringify(r.driftingBeforeTrigger)}${why}`;
    for (const n of runs) assert.ok(n >= consecutive, `each drifted pump was drifting ${consecutive} reports in a row before the trigger: ${detail}`);
    assert.ok(Math.min(...runs) <= consecutive + 1, `the trigger came on the report that completed the last pump's run of ${consecutive}: ${detail}`);

    assert.ok(r.challenger !== null && r.challenger > r.champion, `a new version was trained${why}`);
    const s = r.shadow!;
    assert.equal(s.state, 'promoted', `shadow outcome: ${s.reason ?? ''} ${JSON.stringify(s.verdict)}${why}`);
    assert.equal(s.championVersion, r.champion);
    const gate = s.heldOut[0]!;
    // Usually fewer (0.04 against 0.12–0.15); equal once under CI load, when the champion's
    // training read a store still catching up and happened to flag the offset pumps no more.
    assert.ok(gate.passed && gate.challenger <= gate.champion, `on the recent (drifted) data the challenger raises no more false alarms than the champion: ${JSON.stringify(gate)}`);
    assert.ok(s.devices.length === 2 && s.devices.some((d) => r.drifted.includes(d.device)), 'one shadow device is a drifted pump');
    assert.equal(r.deploymentState, 'completed', why);

    const cleared = r.timeline.get('drift-cleared')!;
    for (const d of r.drifted) assert.match(cleared.detail, new RegExp(`${d} report \\d+`), 'each drifted pump reported clean on the new version');
    const injected = r.timeline.get('drift-injected')!;
    const promoted = r.timeline.get('promoted')!;
    assert.ok(promoted.fleetMs > injected.fleetMs && promoted.wallMs - injected.wallMs < 90_000, why);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
