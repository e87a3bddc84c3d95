/**
 * The sender against a real outbox and a publisher that records what it is given: how many rows
 * it reads for a batch, and that batches still fill up when the chunks are small.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Chunker } from '../../edge-agent/buffer/chunker.ts';
import { Outbox, type OutboxRow } from '../../edge-agent/buffer/outbox.ts';
import { Sender } from '../../edge-agent/uplink/sender.ts';
import { silentLogger } from '../../shared/log/logger.ts';
import { decode } from '../../shared/protocol/codec.ts';
import { topicsFor } from '../../shared/protocol/topics.ts';
import { ManualClock } from '../../shared/time/clock.ts';

const T0 = 1_700_000_000_000;
const dir = mkdtempSync(join(tmpdir(), 'eh-sender-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** An outbox holding `total` readings of one feature in chunks of `chunk`, and a counter of rows read. */
function filled(name: string, total: number, chunk: number): { outbox: Outbox; rowsRead: () => number } {
  const outbox = new Outbox({ path: join(dir, `${name}.db`), maxBytes: 64 << 20, clock: new ManualClock(T0), logger: silentLogger() });
  const ch = new Chunker(outbox, { chunkMaxReadings: chunk, chunkMaxDelayMs: 60_000, logger: silentLogger() }, () => {});
  ch.register('s', ['v']);
  for (let i = 0; i < total; i += chunk) {
    ch.push('s', Array.from({ length: Math.min(chunk, total - i) }, (_, k) => ({ tsMs: T0 + i + k, values: [i + k] })));
    ch.flush();
  }
  let read = 0;
  const readFrom = outbox.readFrom.bind(outbox);
  outbox.readFrom = (stream: string, from: number, limit: number): OutboxRow[] => {
    const rows = readFrom(stream, from, limit);
    read += rows.length;
    return rows;
  };
  return { outbox, rowsRead: () => read };
}

function sendAll(outbox: Outbox, opts: { batchMaxReadings: number; chunkMaxReadings: number; maxInFlight?: number }): Array<{ seqFrom: number; n: number }> {
  const sent: Array<{ seqFrom: number; n: number }> = [];
  const link = {
    connected: true,
    publish(_topic: string, payload: Uint8Array): boolean {
      const m = decode('telemetry', payload);
      sent.push({ seqFrom: Number(m.firstSeq), n: m.readings.length });
      return true;
    },
  };
  const sender = new Sender(outbox, link, topicsFor('f'), 'd', {
    batchMaxReadings: opts.batchMaxReadings, batchMaxBytes: 1 << 20, maxInFlight: opts.maxInFlight ?? 1000, ackTimeoutMs: 60_000, chunkMaxReadings: opts.chunkMaxReadings,
  }, silentLogger());
  sender.pump();
  return sent;
}

test('full chunks: a batch reads about as many rows as it uses, not a fixed 64', () => {
  const { outbox, rowsRead } = filled('full', 20 * 256, 256);
  const sent = sendAll(outbox, { batchMaxReadings: 2000, chunkMaxReadings: 256 });
  assert.deepEqual(sent.map((b) => b.n), [2000, 2000, 1120]);
  assert.deepEqual(sent.map((b) => b.seqFrom), [1, 2001, 4001]);
  // 9 rows per read (ceil(2000 / 256) + 1), three reads.
  assert.ok(rowsRead() <= 27, `read ${rowsRead()} rows for 20 chunks`);
  outbox.close();
});

test('small chunks (a slow sensor\'s backlog): batches still fill to batchMaxReadings', () => {
  const { outbox } = filled('small', 1000, 2);
  const sent = sendAll(outbox, { batchMaxReadings: 300, chunkMaxReadings: 256 });
  assert.deepEqual(sent.map((b) => b.n), [300, 300, 300, 100]);
  let next = 1;
  for (const b of sent) {
    assert.equal(b.seqFrom, next);
    next += b.n;
  }
  outbox.close();
});
