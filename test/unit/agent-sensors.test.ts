import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, describe, test } from 'node:test';
import { parseAgentConfig, type JsonlSensorConfig, type SensorConfig } from '../../shared/config/agent-config.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { ManualClock } from '../../shared/time/clock.ts';
import { JsonlAdapter } from '../../edge-agent/sensors/jsonl/jsonl-adapter.ts';
import { parseReadingLine } from '../../edge-agent/sensors/jsonl/parse-line.ts';
import { SensorRegistry } from '../../edge-agent/sensors/registry.ts';
import { SYSTEM_FEATURES, SystemAdapter, cpuTemperatureC } from '../../edge-agent/sensors/system-adapter.ts';
import type { SensorReading, SensorSink } from '../../edge-agent/sensors/types.ts';

const T0 = 1_700_000_000_000;
const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'eh-sensors-'));
  dirs.push(d);
  return d;
}

const ctx = { clock: new ManualClock(T0), logger: silentLogger(), deviceId: 'dev-1' };

class CollectingSink implements SensorSink {
  readings: SensorReading[] = [];
  errors: Error[] = [];
  push(rs: SensorReading[]): void { this.readings.push(...rs); }
  error(e: Error): void { this.errors.push(e); }
  async until(pred: () => boolean, ms = 5000): Promise<void> {
    const end = performance.now() + ms;
    while (!pred()) {
      if (performance.now() > end) throw new Error(`timed out; have ${this.readings.length} readings, errors: ${this.errors.map((e) => e.message).join('; ')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

function jsonl(over: Partial<JsonlSensorConfig>): JsonlSensorConfig {
  const cfg = parseAgentConfig({
    fleet: 'f', deviceId: 'd', profile: 'p', dataDir: '/tmp/x', hub: { mqttUrl: 'mqtt://127.0.0.1:1' },
    sensors: [{ kind: 'jsonl', stream: 'env', features: ['temp', 'rh'], ...over }],
  });
  return cfg.sensors[0] as JsonlSensorConfig;
}

describe('jsonl line format', () => {
  const features = ['temp', 'rh'];
  const index = new Map(features.map((f, i) => [f, i]));
  const parse = (line: string) => parseReadingLine(line, features, index, () => T0);

  test('reads values by name, null or absent as missing, ts in epoch ms or ISO-8601', () => {
    assert.deepEqual(parse('{"ts": 1700000000123, "values": {"temp": 21.5, "rh": null}}'), { ok: true, reading: { tsMs: 1700000000123, values: [21.5, NaN] } });
    assert.deepEqual(parse('{"ts": "2023-11-14T22:13:20.000Z", "values": {"rh": 40}}'), { ok: true, reading: { tsMs: T0, values: [NaN, 40] } });
    assert.deepEqual(parse('{"ts": 1700000000000, "v": [1, 2]}'), { ok: true, reading: { tsMs: T0, values: [1, 2] } });
    assert.deepEqual(parse('{"v": [1, null]}'), { ok: true, reading: { tsMs: T0, values: [1, NaN] } }, 'no ts: stamped on arrival');
  });

  test('says why a line is bad', () => {
    for (const [line, why] of [
      ['not json', /not JSON/],
      ['[1,2]', /not a JSON object/],
      ['{"ts": "yesterday", "v": [1, 2]}', /ISO-8601/],
      ['{"ts": 1, "v": [1]}', /1 values for 2 features/],
      ['{"ts": 1, "v": [1, "2"]}', /v\[1\]/],
      ['{"ts": 1, "values": {"pressure": 3}}', /unknown feature/],
      ['{"ts": 1, "values": {"temp": true}}', /values.temp/],
      ['{"ts": 1}', /needs "values"/],
    ] as const) {
      const r = parse(line);
      assert.equal(r.ok, false, line);
      if (!r.ok) assert.match(r.reason, why, line);
    }
  });
});

describe('jsonl sensor', () => {
  test('reads a file, skipping and counting bad lines, and a last line without newline', async () => {
    const file = join(tmp(), 'env.jsonl');
    writeFileSync(file, [
      '{"ts": 1700000000000, "values": {"temp": 20, "rh": 50}}',
      'garbage',
      '',
      '{"ts": 1700000001000, "v": [21, null]}',
      '{"ts": 1700000002000, "v": [1]}',
      '{"ts": 1700000003000, "v": [22, 52]}',
    ].join('\n'));
    const a = new JsonlAdapter(jsonl({ file, follow: false }), ctx);
    const sink = new CollectingSink();
    a.start(sink, { lastTsMs: null });
    await sink.until(() => sink.readings.length === 3);
    await a.stop();
    assert.deepEqual(sink.readings.map((r) => r.tsMs), [T0, T0 + 1000, T0 + 3000]);
    assert.ok(Number.isNaN(sink.readings[1]!.values[1]));
    assert.equal(a.badLines, 2);
    assert.deepEqual(sink.errors, []);
  });

  test('follows a growing file and resumes after what the buffer already has', async () => {
    const file = join(tmp(), 'env.jsonl');
    writeFileSync(file, '{"ts": 1700000000000, "v": [1, 1]}\n{"ts": 1700000001000, "v": [2, 2]}\n');
    const a = new JsonlAdapter(jsonl({ file, follow: true }), ctx);
    const sink = new CollectingSink();
    a.start(sink, { lastTsMs: T0 });
    await sink.until(() => sink.readings.length === 1);
    appendFileSync(file, '{"ts": 1700000002000, "v": [3, 3]}\n{"ts": 17000000');
    await sink.until(() => sink.readings.length === 2);
    appendFileSync(file, '03000, "v": [4, 4]}\n');
    await sink.until(() => sink.readings.length === 3);
    await a.stop();
    assert.deepEqual(sink.readings.map((r) => r.values[0]), [2, 3, 4]);
  });

  test("reads a command's stdout and reports a failing command", async () => {
    const script = 'for (let i = 0; i < 5; i++) console.log(JSON.stringify({ ts: 1700000000000 + i, v: [i, i * 2] })); console.log("oops"); process.exit(3)';
    const a = new JsonlAdapter(jsonl({ command: [process.execPath, '-e', script] }), ctx);
    const sink = new CollectingSink();
    a.start(sink, { lastTsMs: null });
    await sink.until(() => sink.errors.length === 1);
    await a.stop();
    assert.deepEqual(sink.readings.map((r) => r.values[1]), [0, 2, 4, 6, 8]);
    assert.equal(a.badLines, 1);
    assert.match(sink.errors[0]!.message, /exited with code 3/);
  });

  test('stops a long-running command', async () => {
    const script = 'setInterval(() => console.log(JSON.stringify({ v: [1, 2] })), 5)';
    const a = new JsonlAdapter(jsonl({ command: [process.execPath, '-e', script] }), ctx);
    const sink = new CollectingSink();
    a.start(sink, { lastTsMs: null });
    await sink.until(() => sink.readings.length >= 3);
    await a.stop();
    assert.deepEqual(sink.errors, []);
    assert.equal(sink.readings[0]!.tsMs, T0, 'lines without ts get the agent clock');
  });

  test('reads a named pipe whose writers come and go', async (t) => {
    const fifo = join(tmp(), 'env.pipe');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      t.skip('mkfifo is not available');
      return;
    }
    const a = new JsonlAdapter(jsonl({ file: fifo, follow: true }), ctx);
    const sink = new CollectingSink();
    a.start(sink, { lastTsMs: null });
    for (let w = 0; w < 2; w++) {
      const fh = await open(fifo, 'w');
      await fh.write(`{"ts": ${T0 + w}, "v": [${w}, 0]}\n`);
      await fh.close();
      await sink.until(() => sink.readings.length === w + 1);
    }
    await a.stop();
    assert.deepEqual(sink.readings.map((r) => r.values[0]), [0, 1]);
    // The pipe's descriptor has one owner: garbage collection after stop must not close it again
    // (Node 20 crashes the process with EBADF when a collected FileHandle's close fails).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    for (let i = 0; i < 5; i++) { gc(); await new Promise((r) => setTimeout(r, 20)); }
  });
});

describe('system sensor', () => {
  test("produces this machine's load, memory and temperature", async () => {
    const a = new SystemAdapter({ kind: 'system', stream: 'sys', intervalMs: 100 }, ctx);
    const sink = new CollectingSink();
    a.start(sink);
    await sink.until(() => sink.readings.length >= 2);
    await a.stop();
    const [load, used, freeMb, temp] = sink.readings[0]!.values;
    assert.equal(sink.readings[0]!.values.length, SYSTEM_FEATURES.length);
    assert.ok(load! >= 0);
    assert.ok(used! > 0 && used! < 1);
    assert.ok(freeMb! > 0);
    assert.ok(Number.isNaN(temp) || (temp! > 0 && temp! < 200));
    assert.ok(Number.isNaN(cpuTemperatureC(join(tmp(), 'no-thermal'))), 'no thermal zones: missing');
  });

  test('reads the hottest thermal zone, ignoring unreadable ones', () => {
    const root = tmp();
    for (const [zone, milli] of [['thermal_zone0', '41000'], ['thermal_zone1', '55500'], ['thermal_zone2', '-273000'], ['cooling_device0', '99000']]) {
      execFileSync('mkdir', ['-p', join(root, zone!)]);
      writeFileSync(join(root, zone!, 'temp'), `${milli}\n`);
    }
    assert.equal(cpuTemperatureC(root), 55.5);
  });
});

describe('sensor registry', () => {
  test('builds jsonl and system sensors, takes extra kinds, and names an unknown one', () => {
    const made: string[] = [];
    const reg = new SensorRegistry({ sim: (c) => { made.push(c.stream); return new SystemAdapter({ kind: 'system', stream: c.stream, intervalMs: 1000 }, ctx); } });
    const sensors: SensorConfig[] = [
      { kind: 'system', stream: 'sys', intervalMs: 1000 },
      { kind: 'sim', stream: 'pump', model: 'pump', seed: 1, periodMs: 1000, originMs: T0, clock: { fleetEpochMs: T0, wallEpochMs: T0, speed: 1 } },
    ];
    assert.deepEqual(reg.createAll(sensors, ctx).map((a) => a.stream), ['sys', 'pump']);
    assert.deepEqual(made, ['pump']);
    assert.throws(() => new SensorRegistry().create(sensors[1]!, ctx), /sensor kind "sim" is not available here/);
    assert.throws(() => reg.createAll([sensors[0]!, sensors[0]!], ctx), /two sensors use stream "sys"/);
  });
});
