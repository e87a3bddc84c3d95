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
    // sampleEveryMs 0: these tests feed readings a millisecond apart; sampling has its own test.
    settings: parseWithSchema(DriftSettingsSchema, { baseline: 'bundle', minSamples: 100, schedule: '0 0 1 1 *', sampleEveryMs: 0, ...over }, 'drift'),
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

test('at most one reading and one score per sampleEveryMs of reading time reach the monitor, so a window spans the same time at any rate', () => {
  const { r } = reporter({ sampleEveryMs: 60_000 });
  r.activate(model);
  // Two hours from a whole minute of a device reading every second (7,200 readings), with a score for every 8th.
  const M0 = Math.ceil(T0 / 60_000) * 60_000;
  const second = Array.from({ length: 7200 }, (_, i) => ({ tsMs: M0 + i * 1000, values: row(i) }));
  for (let k = 0; k < second.length; k += 600) {
    r.offer('env', ['a', 'b'], second.slice(k, k + 600));
    for (let i = k; i < k + 600; i += 8) r.onScore({ ...score((i % 20) / 20), tsMs: M0 + i * 1000 });
  }
  const s = r.snapshot()!;
  assert.equal(s.readings, 120, 'one reading a minute: 120 in two hours');
  assert.equal(s.outputSamples, 120, 'one score a minute, on its own buckets (the taken reading of a minute is rarely a scored one)');
  // NaN scores (no window completed) take no bucket.
  const { r: r2 } = reporter({ sampleEveryMs: 60_000 });
  r2.activate(model);
  r2.onScore({ ...score(Number.NaN), tsMs: T0 });
  r2.onScore({ ...score(0.5), tsMs: T0 + 1000 });
  assert.equal(r2.snapshot()!.outputSamples, 1);
  // A clock that steps back is followed, not stalled on.
  r2.offer('env', ['a', 'b'], [{ tsMs: T0 + 3_600_000, values: row(1) }, { tsMs: T0, values: row(2) }, { tsMs: T0 + 30_000, values: row(3) }]);
  assert.equal(r2.snapshot()!.readings, 2, 'the step back starts a new bucket; 30 s later is the same bucket');
  r.stop();
  r2.stop();
});

test('sampleEveryMs 0 takes every reading', () => {
  const { r } = reporter({ sampleEveryMs: 0 });
  r.activate(model);
  r.offer('env', ['a', 'b'], Array.from({ length: 500 }, (_, i) => ({ tsMs: T0, values: row(i) })));
  assert.equal(r.snapshot()!.readings, 500);
  r.stop();
});
