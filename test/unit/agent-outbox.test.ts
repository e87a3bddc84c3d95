import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Chunker } from '../../edge-agent/buffer/chunker.ts';
import { openBufferDb } from '../../edge-agent/buffer/open-db.ts';
import { decodeChunk } from '../../edge-agent/buffer/chunk-codec.ts';
import { Outbox, type OutboxRow } from '../../edge-agent/buffer/outbox.ts';
import { isEdgehiveError } from '../../shared/errors/index.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { encode } from '../../shared/protocol/codec.ts';
import { ManualClock } from '../../shared/time/clock.ts';

const T0 = 1_700_000_000_000;
const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'eh-outbox-'));
  dirs.push(d);
  return d;
}

function open(path: string, maxBytes = 64 * 1024 * 1024): Outbox {
  return new Outbox({ path, maxBytes, clock: new ManualClock(T0), logger: silentLogger() });
}

function fileBytes(path: string): number {
  const wal = `${path}-wal`;
  return statSync(path).size + (existsSync(wal) ? statSync(wal).size : 0);
}

/** Pushes `n` readings of `features` values each, ts T0 + start + i. */
function push(ch: Chunker, stream: string, start: number, n: number, features: number): void {
  const rs = [];
  for (let i = 0; i < n; i++) rs.push({ tsMs: T0 + start + i, values: Array.from({ length: features }, (_, f) => start + i + f / 100) });
  ch.push(stream, rs);
}

function chunker(ob: Outbox, chunkMaxReadings = 50): Chunker {
  return new Chunker(ob, { chunkMaxReadings, chunkMaxDelayMs: 60_000, logger: silentLogger() }, () => {});
}

function rows(ob: Outbox, stream: string): OutboxRow[] {
  return ob.readFrom(stream, 0, 1_000_000);
}

const eventRecord = (seq: number, tsMs: number) => encode('events', { seq, events: [{ tsMs, model: 'm', score: 0.5 }] });

describe('agent outbox', () => {
  test('assigns contiguous seqs per stream, also after reopening the file', () => {
    const path = join(tmp(), 'agent.db');
    let ob = open(path);
    let ch = chunker(ob);
    ch.register('a', ['x', 'y']);
    ch.register('b', ['z']);
    push(ch, 'a', 0, 120, 2);
    push(ch, 'b', 0, 7, 1);
    ch.flush();
    ob.close();

    ob = open(path);
    ch = chunker(ob);
    ch.register('a', ['x', 'y']);
    ch.register('b', ['z']);
    assert.equal(ob.state('a').last_seq, 120);
    assert.equal(ob.state('a').last_ts, T0 + 119);
    push(ch, 'a', 120, 33, 2);
    push(ch, 'b', 7, 1, 1);
    ch.flush();
    for (const [stream, total] of [['a', 153], ['b', 8]] as const) {
      let next = 1;
      for (const r of rows(ob, stream)) {
        assert.equal(r.seq_from, next, `${stream} continues at ${next}`);
        const c = decodeChunk(r.payload);
        assert.equal(c.readings, r.seq_to - r.seq_from + 1);
        // The first value of reading seq s is s - 1 (pushed in order from 0).
        assert.equal(c.data[1], r.seq_from - 1);
        next = r.seq_to + 1;
      }
      assert.equal(next, total + 1);
    }
    assert.equal(ob.counters().readings, 161);
    ob.close();
  });

  test('deletes rows only when acks cover them wholly', () => {
    const ob = open(join(tmp(), 'agent.db'));
    const ch = chunker(ob, 10);
    ch.register('s', ['v']);
    push(ch, 's', 0, 30, 1); // rows 1-10, 11-20, 21-30
    ch.flush();
    assert.deepEqual(ob.ack('s', 1, 5), { rows: 0, readings: 0 }, 'half a row stays');
    assert.deepEqual(ob.ack('s', 6, 10), { rows: 1, readings: 10 }, 'the two halves together delete it');
    assert.deepEqual(ob.ack('s', 100, 200), { rows: 0, readings: 0 }, 'an unknown range deletes nothing');
    assert.deepEqual(ob.ack('other', 1, 30), { rows: 0, readings: 0 });
    assert.deepEqual(ob.ack('s', 31, 40), { rows: 0, readings: 0 }, 'an ack beyond the last seq is ignored');
    push(ch, 's', 30, 10, 1); // row 31-40
    ch.flush();
    assert.deepEqual(ob.ack('s', 11, 30), { rows: 2, readings: 20 }, 'one ack may cover several rows');
    assert.deepEqual(rows(ob, 's').map((r) => r.seq_from), [31], 'the early ack for 31-40 was not remembered');
    assert.deepEqual(ob.ack('s', 31, 40), { rows: 1, readings: 10 });
    assert.equal(ob.counters().records, 0);
    assert.equal(ob.counters().readingsAcked, 40);
    ob.close();
  });

  test('records get their own stream seqs and leave only on ack', () => {
    const path = join(tmp(), 'agent.db');
    const ob = open(path);
    assert.equal(ob.appendRecord('events', eventRecord), 1);
    assert.equal(ob.appendRecord('events', eventRecord), 2);
    assert.equal(ob.appendRecord('drift', (seq, ts) => encode('drift', { seq, tsMs: ts })), 1);
    const r = rows(ob, 'events');
    assert.deepEqual(r.map((x) => [x.seq_from, x.kind]), [[1, 'record'], [2, 'record']]);
    ob.ack('events', 2, 2);
    assert.deepEqual(rows(ob, 'events').map((x) => x.seq_from), [1]);
    ob.close();
  });

  test('a flood stays inside maxBytes: oldest telemetry goes first, records stay, drops are counted and persisted', () => {
    const maxBytes = 256 * 1024;
    const path = join(tmp(), 'agent.db');
    let ob = open(path, maxBytes);
    const ch = chunker(ob, 256);
    ch.register('a', ['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7']);
    ch.register('b', ['g']);
    const recordSeqs: number[] = [];
    let pushed = 0;
    for (let round = 0; round < 200; round++) {
      push(ch, 'a', pushed, 500, 8);
      push(ch, 'b', pushed, 50, 1);
      pushed += 500;
      ch.flush();
      if (round % 40 === 0) recordSeqs.push(ob.appendRecord('events', eventRecord));
      assert.ok(fileBytes(path) <= maxBytes, `round ${round}: ${fileBytes(path)} bytes on disk > ${maxBytes}`);
    }
    const k = ob.counters();
    assert.ok(k.droppedReadings > 50_000, `dropped ${k.droppedReadings}`);
    assert.equal(k.droppedNewReadings, 0);
    // Telemetry left is the newest: a suffix of each stream, and dropped + kept = assigned.
    for (const s of ['a', 'b']) {
      const left = rows(ob, s);
      const st = ob.state(s);
      assert.ok(left.length > 0);
      assert.equal(left.at(-1)!.seq_to, st.last_seq, `${s}: the newest reading is kept`);
      const kept = left.reduce((n, r) => n + r.seq_to - r.seq_from + 1, 0);
      assert.equal(kept, st.last_seq - left[0]!.seq_from + 1, `${s}: what is left is contiguous`);
      assert.equal(st.dropped_total, st.last_seq - kept, `${s}: dropped = assigned - kept`);
    }
    assert.deepEqual(rows(ob, 'events').map((r) => r.seq_from), recordSeqs, 'every record is kept');
    const dropped = { a: ob.state('a').dropped_total, b: ob.state('b').dropped_total };
    ob.close();
    ob = open(path, maxBytes);
    assert.deepEqual({ a: ob.state('a').dropped_total, b: ob.state('b').dropped_total }, dropped, 'drop counters survive a reopen');
    ob.close();
  });

  test('when only records are left, new telemetry is dropped (counted, seqs used) and a record that cannot fit is refused', () => {
    const maxBytes = 256 * 1024;
    const path = join(tmp(), 'agent.db');
    const ob = open(path, maxBytes);
    const big = (seq: number) => encode('fl', { seq, roundId: 'r1', samples: 1, maskedDelta: new Uint8Array(8000).fill(seq % 251) });
    let refused = 0;
    for (let i = 0; i < 100; i++) {
      try {
        ob.appendRecord('fl', big);
      } catch (e) {
        assert.ok(isEdgehiveError(e, 'EH_STORE_FULL'), String(e));
        refused += 1;
      }
    }
    assert.ok(refused > 0, 'the file filled up with records');
    const kept = rows(ob, 'fl').length;
    assert.ok(kept > 10);
    const ch = chunker(ob, 100);
    ch.register('t', ['v']);
    push(ch, 't', 0, 100, 1);
    ch.flush();
    assert.equal(ob.state('t').last_seq, 100);
    assert.equal(ob.state('t').dropped_total, 100);
    assert.equal(ob.counters().droppedNewReadings, 100);
    assert.equal(rows(ob, 't').length, 0);
    assert.equal(rows(ob, 'fl').length, kept, 'no record was dropped');
    assert.ok(fileBytes(path) <= maxBytes);
    ob.close();
  });

  test('readings with a bad timestamp or the wrong number of values are refused and counted', () => {
    const ob = open(join(tmp(), 'agent.db'));
    const ch = chunker(ob);
    ch.register('s', ['a', 'b']);
    ch.push('s', [
      { tsMs: T0, values: [1, 2] },
      { tsMs: NaN, values: [1, 2] },
      { tsMs: 5, values: [1, 2] },
      { tsMs: T0 + 1, values: [1] },
      { tsMs: T0 + 2, values: [Infinity, NaN] },
    ]);
    ch.flush();
    assert.equal(ch.rejected, 3);
    const [row] = rows(ob, 's');
    const c = decodeChunk(row!.payload);
    assert.equal(c.readings, 2);
    assert.ok(Number.isNaN(c.data[4]) && Number.isNaN(c.data[5]), 'non-finite values are stored as missing');
    ob.close();
  });
});

test('the buffer syncs every commit by default, so a reading with a seq survives a power cut', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eh-sync-'));
  const full = openBufferDb(join(dir, 'a.db'), 1 << 20, silentLogger());
  assert.equal(full.db.pragma('synchronous', { simple: true }), 2, 'FULL');
  full.db.close();
  const normal = openBufferDb(join(dir, 'b.db'), 1 << 20, silentLogger(), 'normal');
  assert.equal(normal.db.pragma('synchronous', { simple: true }), 1, 'NORMAL only when asked for');
  normal.db.close();
});

test('the ack delete alone skips the sync; appends stay synced, and seqs never come from the rows left', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eh-acksync-'));
  try {
    const path = join(dir, 'agent.db');
    let ob = open(path);
    let ch = chunker(ob, 10);
    ch.register('s', ['v']);
    push(ch, 's', 0, 30, 1);
    ch.flush();
    // A power cut that loses the (unsynced) delete leaves the file as it was before the ack:
    // keep a copy of that state.
    ob.checkpoint();
    copyFileSync(path, join(dir, 'before-ack.db'));
    assert.deepEqual(ob.ack('s', 1, 30), { rows: 3, readings: 30 });
    push(ch, 's', 30, 10, 1);
    ch.flush();
    assert.deepEqual(rows(ob, 's').map((r) => r.seq_from), [31], 'an empty outbox still continues the stream at 31');
    ob.close(true);
    ob = open(path);
    assert.equal(ob.state('s').last_seq, 40, 'after a restart too');
    ob.close();

    // The delete lost: the acked rows are back, and the next seq is still the next one.
    ob = open(join(dir, 'before-ack.db'));
    ch = chunker(ob, 10);
    ch.register('s', ['v']);
    assert.deepEqual(rows(ob, 's').map((r) => r.seq_from), [1, 11, 21], 'the acked rows come back (they are resent; the hub has them)');
    push(ch, 's', 30, 5, 1);
    ch.flush();
    assert.deepEqual(rows(ob, 's').map((r) => r.seq_from), [1, 11, 21, 31]);
    ob.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('synchronous is FULL again after an ack (default) and stays NORMAL when configured', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eh-acksync2-'));
  try {
    for (const synchronous of ['full', 'normal'] as const) {
      const path = join(dir, `${synchronous}.db`);
      const ob = new Outbox({ path, maxBytes: 1 << 22, clock: new ManualClock(T0), logger: silentLogger(), synchronous });
      const ch = chunker(ob, 10);
      ch.register('s', ['v']);
      push(ch, 's', 0, 20, 1);
      ch.flush();
      assert.equal(ob.synchronousNow(), synchronous);
      ob.ack('s', 1, 10);
      assert.equal(ob.synchronousNow(), synchronous, `${synchronous} after the ack`);
      ob.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
