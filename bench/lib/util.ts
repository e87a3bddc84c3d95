/**
 * Small helpers the benchmarks share: temp directories that go away, waiting on a condition,
 * free ports, a quiet logger, and formatting.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export { silentLogger } from '../../shared/log/logger.ts';
export { freePort } from '../../test/support/net.ts';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface TempDir { dir: string; remove(): void }

/** A fresh directory under the OS temp dir (EDGEHIVE_BENCH_TMP overrides the parent). */
export function tempDir(prefix: string): TempDir {
  const dir = mkdtempSync(join(process.env.EDGEHIVE_BENCH_TMP ?? tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Polls `cond` every `everyMs` until it holds; throws naming `what` after `timeoutMs`. */
export async function waitUntil(what: string, cond: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 20): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!(await cond())) {
    if (performance.now() > end) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await sleep(everyMs);
  }
}


/** 12345.6 → "12,346"; small numbers keep 3 significant digits. */
export function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : Number(v.toPrecision(3)).toString();
}

/** A log line on stderr, so stdout keeps the table. */
export function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Integer flag value (`--name 123`), or the default. */
export function intArg(value: string | undefined, dflt: number, name: string): number {
  if (value === undefined) return dflt;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

export const FEATURES_16: readonly string[] = Array.from({ length: 16 }, (_, i) => `f${String(i).padStart(2, '0')}`);

/** Epoch ms used as the first reading's timestamp in generated data. */
export const T0 = Date.UTC(2026, 0, 1);
