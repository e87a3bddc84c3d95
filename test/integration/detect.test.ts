/**
 * `edgehive detect` on a real NAB file: the whole loop (agent → MQTT → hub store → training job
 * in a worker → int8 model back to the agent → causal scoring), through the CLI.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveRecipe } from '../../cloud-hub/recipes/index.ts';
import { parseSeriesCsv } from '../../simulators/detect/series-csv.ts';
import { runDetect } from '../../simulators/detect/run-detect.ts';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'nab', 'iio_us-east-1_i-a2eb1cd9_NetworkIn.csv');
const CLI = join(import.meta.dirname, '..', '..', 'simulators', 'cli', 'edgehive.js');

describe('edgehive detect', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'edgehive-detect-test-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('scores a NAB file causally and writes timestamp,value,anomaly_score for every row', () => {
    const out = join(dir, 'scores.csv');
    const r = spawnSync(process.execPath, [CLI, 'detect', '--input', FIXTURE, '--output', out], { encoding: 'utf8', env: { ...process.env, EDGEHIVE_FROM_SOURCE: '1' } });
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /training nab-forecast on the hub from the 186 rows it stored/);
    assert.match(r.stdout, /scored 1243 rows \(186 probationary\) with nab-forecast v1 int8/);

    const input = readFileSync(FIXTURE, 'utf8').trim().split('\n');
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(lines[0], 'timestamp,value,anomaly_score');
    assert.equal(lines.length, input.length);
    const scores = lines.slice(1).map((l) => Number(l.split(',')[2]));
    for (let i = 1; i < input.length; i++) assert.ok(lines[i]!.startsWith(`${input[i]},`), `row ${i} keeps its timestamp and value`);
    assert.ok(scores.every((s) => s >= 0 && s <= 1));
    assert.ok(scores.slice(0, 186).every((s) => s === 0), 'probationary rows score 0');

    // The labelled windows (10:35–15:45 and 18:05–23:15 on 2013-10-10) hold the file's highest scores.
    const ts = input.slice(1).map((l) => l.split(',')[0]!);
    const inWindow = (t: string) => (t >= '2013-10-10 10:35' && t <= '2013-10-10 15:45') || (t >= '2013-10-10 18:05' && t <= '2013-10-10 23:15');
    const best = Math.max(...scores.filter((_, i) => inWindow(ts[i]!)));
    const outside = scores.filter((_, i) => !inWindow(ts[i]!)).sort((a, b) => b - a);
    assert.ok(best >= outside[Math.floor(outside.length * 0.02)]!, `window peak ${best} is in the top 2 % of the rest`);
  });

  it('never looks ahead: changing later rows leaves earlier scores unchanged', async () => {
    const series = parseSeriesCsv(readFileSync(FIXTURE, 'utf8'), 'fixture');
    const cut = 700;
    const changed = { ...series, rows: series.rows.map((r, i) => (i >= cut ? [r[0]! * 3 + 1e7] : r)) };
    const recipe = resolveRecipe('nab-forecast');
    const a = await runDetect({ recipe, series });
    const b = await runDetect({ recipe, series: changed });
    assert.deepEqual([...a.scores.subarray(0, cut)], [...b.scores.subarray(0, cut)]);
    assert.notDeepEqual([...a.scores.subarray(cut)], [...b.scores.subarray(cut)]);
    writeFileSync(join(dir, 'ok'), '');
  });
});
