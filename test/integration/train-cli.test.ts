/**
 * `edgehive train` end to end (a real CLI process, a few epochs) and the store as a data
 * source (a real SQLite store on a temp file).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseGraph } from '../../cloud-hub/model/serialise.ts';
import { SqliteStore } from '../../cloud-hub/store/sqlite-store.ts';
import type { TelemetryWrite } from '../../cloud-hub/store/types.ts';
import { readStoreRows } from '../../cloud-hub/trainer/store-source.ts';
import { isEdgehiveError } from '../../shared/errors/index.ts';
import { loadPreprocessSpec } from '../../shared/features/index.ts';
import { formatProgress, runTrainCommand } from '../../simulators/cli/train-command.ts';
import { usage } from '../../simulators/cli/usage.ts';

const CLI = fileURLToPath(new URL('../../simulators/cli/edgehive.js', import.meta.url));
const T0 = Date.UTC(2026, 0, 1);

function run(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
}

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'eh-train-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('edgehive train on a CSV writes the graph, the spec and the training record', async (t) => {
  const dir = tempDir(t);
  const csv = join(dir, 'series.csv');
  const lines = ['timestamp,value'];
  for (let i = 0; i < 400; i++) lines.push(`${new Date(T0 + i * 300_000).toISOString().replace('T', ' ').slice(0, 19)},${(Math.sin(i / 6) + (i % 7) * 0.01).toFixed(4)}`);
  writeFileSync(csv, `${lines.join('\n')}\n`);
  const out = join(dir, 'out');

  const r = run('train', '--recipe', 'nab-univariate', '--data', csv, '--epochs', '3', '--out', out, '--backend', 'cpu');
  assert.equal(r.status, 0, r.stderr + r.stdout);
  // Not a terminal: one plain progress line per epoch, then a summary. nab-univariate is a seed
  // ensemble of 8: the count runs over every member's epochs, each line names its member.
  const progress = r.stdout.match(/^epoch \d+\/24 \(member \d\/8\) loss [\d.e-]+ val [\d.e-]+ .* eta /gm) ?? [];
  assert.equal(progress.length, 24, r.stdout);
  assert.match(progress[23]!, /^epoch 24\/24 \(member 8\/8\)/);
  assert.match(r.stdout, /trained nab-univariate on cpu/);

  const graph = parseGraph(readFileSync(join(out, 'graph.json'), 'utf8'));
  assert.deepEqual(graph.inputShape, [16, 1]);
  assert.deepEqual(graph.outputShape, [16, 1]);
  // The merged ensemble: 8 members' 16-unit first layers side by side.
  assert.equal(graph.layers.find((l) => l.kind === 'dense')?.kernel.shape.join('x'), '16x128');
  const spec = await loadPreprocessSpec(join(out, 'preprocess.json'));
  const training = JSON.parse(readFileSync(join(out, 'training.json'), 'utf8'));
  assert.equal(training.backend, 'cpu');
  assert.equal(training.history.length, 24);
  assert.ok(training.split.train.toMs < training.split.validation.fromMs && training.split.validation.toMs < training.split.test.fromMs);
  assert.equal(training.data.fromMs, T0);
  assert.deepEqual(spec.features, ['value']);
  assert.equal(spec.normalisation[0]!.method, 'robust');
  // Fitted on the train rows only: as many rows as the train windows span.
  assert.equal(spec.fitted.rows, (training.split.train.toMs - training.split.train.fromMs) / 300_000 + 1);

  // The rest of the pipeline: both ONNX variants, their metrics, the gate and the per-profile plan.
  assert.match(r.stdout, /ONNX parity with TensorFlow\.js: max \|diff\|/);
  assert.match(r.stdout, /gate: /);
  const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
  assert.deepEqual(metrics.variants.map((v: { variant: string }) => v.variant), ['fp32', 'int8']);
  assert.equal(metrics.plan.length, 5);
  assert.ok(metrics.metrics.parity.maxAbsDiff <= 1e-4);
  assert.ok(readFileSync(join(out, 'model.int8.onnx')).length > 0);
  assert.ok(readFileSync(join(out, 'model.fp32.onnx')).length > 0);
});

test('edgehive train refuses a bad recipe, missing data and unknown sources with a clear message', async (t) => {
  const dir = tempDir(t);
  const refuses = (argv: string[], code: string, re: RegExp) =>
    assert.rejects(runTrainCommand(argv), (e) => isEdgehiveError(e, code as never) && re.test((e as Error).message), re.source);
  await refuses(['--recipe', 'pump-anomaly'], 'EH_CONFIG_INVALID', /needs its data: --data FILE\.csv/);
  await refuses(['--recipe', 'pump-anomaly', '--data', 'sim:nope'], 'EH_CONFIG_INVALID', /no generated data set "nope"; there are: sim:pump-states/);
  await refuses(['--recipe', 'pump-anomaly', '--store', 'mysql://x', '--device', 'a'], 'EH_CONFIG_INVALID', /--store must be sqlite:PATH or postgres/);
  await refuses(['--recipe', 'pump-anomaly', '--data', 'x.csv', '--backend', 'tpu'], 'EH_CONFIG_INVALID', /--backend must be one of/);
  writeFileSync(join(dir, 'r.json'), JSON.stringify({ version: 1, name: 'x', task: 'classify' }));
  await refuses(['--recipe', join(dir, 'r.json'), '--data', 'sim:pump-states'], 'EH_RECIPE_INVALID', /recipe r\.json is invalid: .*\/input/);
  await refuses(['--recipe', 'pump-anomaly', '--data', join(dir, 'none.csv')], 'EH_NOT_FOUND', /cannot read data file/);
  assert.match(usage('train'), /--data sim:NAME/);
});

test('progress shows a bar with loss and ETA on a terminal, a plain line otherwise', () => {
  const p = { epoch: 3, epochs: 12, loss: 0.123456, valLoss: 0.2, samplesPerSecond: 812.4, etaMs: 95_000, backend: 'wasm' as const };
  assert.equal(formatProgress(p, true), 'epoch  3/12 [######------------------] loss 0.1235 val 0.2000  ETA 1m35s  812 samples/s (wasm)');
  assert.equal(formatProgress(p, false), 'epoch 3/12 loss 0.1235 val 0.2000 812 samples/s eta 1m35s');
});

function batch(device: string, stream: string, features: string[], firstSeq: number, n: number, f: (seq: number) => number[]): TelemetryWrite {
  const readings = Array.from({ length: n }, (_, i) => ({ tsMs: T0 + (firstSeq + i) * 1000, values: f(firstSeq + i) }));
  return { device, stream, firstSeq, features, readings, droppedTotal: 0, backlog: 0, receivedAtMs: T0 };
}

test('training rows come from the store: one stream with the features, in time order, page by page; a group is one series per device', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'hub.db');
  const store = new SqliteStore({ path });
  await store.init();
  t.after(() => store.close());
  for (const id of ['p1', 'p2']) await store.createDevice({ id, group: 'g', profile: 'pi4', publicKey: new Uint8Array(32).fill(id === 'p1' ? 1 : 2), createdAtMs: T0 });
  await store.writeTelemetry([
    batch('p1', 'status', ['uptime'], 1, 50, (s) => [s]),
    batch('p1', 'telemetry', ['b', 'a'], 1, 120, (s) => [s * 10, s]),
    batch('p2', 'telemetry', ['a', 'b'], 1, 30, (s) => [-s, s % 5 === 0 ? NaN : -10 * s]),
  ]);

  const one = await readStoreRows(store, { device: 'p1', features: ['a', 'b'], pageSize: 16 });
  assert.equal(one.timestamps.length, 120);
  assert.deepEqual(Array.from((one.rows as Float64Array).subarray(0, 4)), [1, 10, 2, 20]);
  assert.equal(one.segments, undefined);

  const group = await readStoreRows(store, { group: 'g', features: ['a', 'b'], maxRows: 100 });
  assert.deepEqual(group.segments, [0, 100]);
  assert.equal(group.timestamps.length, 130);
  assert.equal(group.timestamps[0], T0 + 21_000, 'maxRows keeps the newest readings');
  assert.ok(Number.isNaN((group.rows as Float64Array)[(100 + 4) * 2 + 1]!), 'a missing value stays NaN');

  await assert.rejects(readStoreRows(store, { device: 'p1', features: ['a', 'c'] }), (e) => isEdgehiveError(e, 'EH_DATA_INSUFFICIENT') && /no telemetry stream with all of a, c/.test((e as Error).message));
  await assert.rejects(readStoreRows(store, { device: 'p9', features: ['a'] }), (e) => isEdgehiveError(e, 'EH_NOT_FOUND'));

  const recipe = join(dir, 'r.json');
  writeFileSync(recipe, JSON.stringify({
    version: 1, name: 'store-ae', task: 'anomaly',
    input: { features: ['a', 'b'], window: { length: 8, stride: 2 } },
    architecture: { layers: [{ type: 'flatten' }, { type: 'dense', units: 4, activation: 'relu' }] },
    training: { epochs: 2, batchSize: 8, learningRate: 0.01 },
    gates: { maxInt8Loss: 0.05 },
  }));
  await store.close();
  assert.equal(await runTrainCommand(['--recipe', recipe, '--store', `sqlite:${path}`, '--device', 'p1', '--out', join(dir, 'out'), '--backend', 'cpu', '--train-only']), 0);
  const training = JSON.parse(readFileSync(join(dir, 'out', 'training.json'), 'utf8'));
  assert.equal(training.data.rows, 120);
});
