import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DriftReporter, REASON_EVERY_MS } from '../../edge-agent/drift/drift-reporter.ts';
import { parseWithSchema } from '../../shared/config/validate.ts';
import { DriftSettingsSchema, referenceStats, type DriftSettings } from '../../shared/drift/index.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { decode } from '../../shared/protocol/codec.ts';
import type { DriftReport } from '../../shared/protocol/messages.ts';
import { ManualClock } from '../../shared/time/clock.ts';

const T0 = 1_700_000_000_000;
const row = (i: number) => [i % 10, (i * 3) % 7];
const reference = referenceStats(Array.from({ length: 1000 }, (_, i) => row(i)), ['a', 'b'], Array.from({ length: 1000 }, (_, i) => (i % 20) / 20), { nowMs: T0 });
const model = { id: 'pump@1/fp32', model: 'pump', version: 1, stream: 'env', reference };

/** A reporter whose records are encoded and decoded as the outbox and hub would; seqs count up. */
function reporter(over: Partial<DriftSettings> = {}) {
  const clock = new ManualClock(T0);
  const reports: DriftReport[] = [];
  let seq = 0;
  const r = new DriftReporter({
    settings: parseWithSchema(DriftSettingsSchema, { baseline: 'bundle', minSamples: 100, schedule: '0 0 1 1 *', ...over }, 'drift'),
    append: (build) => { reports.push(decode('drift', build(++seq, clock.now()))); },
    clock, logger: silentLogger(),
  });
  return { r, clock, reports };
}

const readings = (n: number, shift = 0) => Array.from({ length: n }, (_, i) => ({ tsMs: T0 + i, values: [row(i)[0]! + shift, row(i)[1]!] }));
const score = (raw: number, modelId = model.id) => ({ stream: 'env', tsMs: T0, raw, score: 0, detection: false, modelId });

test('raw scores of the monitored model feed the output distance; other models\' scores and other streams do not count', () => {
  const { r } = reporter();
  r.activate(model);
  r.offer('other', ['a', 'b'], readings(50, 100));
  r.offer('env', ['b', 'a'], readings(100).map((x) => ({ ...x, values: [x.values[1]!, x.values[0]!] })));
  for (let i = 0; i < 100; i++) r.onScore(score((i % 20) / 20));
  for (let i = 0; i < 100; i++) r.onScore(score(50, 'pump@0/fp32'));
  const s = r.snapshot()!;
  assert.equal(s.readings, 100);
  assert.equal(s.outputSamples, 100);
  assert.ok(s.outputJs < 0.05, `output js ${s.outputJs}`);
  assert.ok(s.features.every((f) => f.psi < 0.05), 'the stream order was mapped by name');
  r.stop();
});

test('threshold reports go out at once, once per reason per minute, and again after a minute', () => {
  const { r, clock, reports } = reporter();
  r.activate(model);
  r.offer('env', ['a', 'b'], readings(63, 5));
  assert.equal(reports.length, 0, 'checked every 64 readings, and 63 are under minSamples anyway');
  r.offer('env', ['a', 'b'], readings(64, 5));
  assert.equal(reports.length, 1);
  assert.equal(reports[0]!.alarm, true);
  assert.equal(reports[0]!.model, 'pump');
  assert.equal(reports[0]!.modelVersion, '1');
  assert.equal(Number(reports[0]!.samples), 127);
  r.offer('env', ['a', 'b'], readings(640, 5));
  assert.equal(reports.length, 1, 'the same reasons within the minute send nothing');
  clock.advance(REASON_EVERY_MS);
  r.offer('env', ['a', 'b'], readings(64, 5));
  assert.equal(reports.length, 2);
  r.deactivate();
  r.offer('env', ['a', 'b'], readings(640, 50));
  assert.equal(reports.length, 2, 'no model, no monitoring');
});

test('a scheduled report starts a new window only once the window could be judged', async () => {
  const { r, reports } = reporter({ schedule: '*/1 * * * * *' });
  r.activate(model);
  r.offer('env', ['a', 'b'], readings(60));
  const until = async (n: number) => {
    const end = Date.now() + 3000;
    while (reports.length < n && Date.now() < end) await new Promise((res) => setTimeout(res, 20));
  };
  await until(1);
  assert.equal(Number(reports[0]!.samples), 60);
  r.offer('env', ['a', 'b'], readings(60));
  await until(2);
  assert.equal(Number(reports[1]!.samples), 120, '60 readings were under minSamples, so the window went on');
  await new Promise((res) => setTimeout(res, 1200));
  assert.equal(reports.length, 2, 'after a judged window is reported, an empty window sends nothing');
  r.stop();
});
