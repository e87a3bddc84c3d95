/**
 * One result shape for every benchmark (DESIGN.md "Benchmarks"): a table on stdout and
 * bench/results/<name>.json for the README and for comparisons.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Metric { value: number; unit: string; better: 'higher' | 'lower'; target?: number; note?: string }

export interface BenchResult {
  bench: string;
  at: string;
  quick: boolean;
  machine: { cpu: string; cores: number; memGiB: number; node: string; platform: string };
  metrics: Record<string, Metric>;
  runs?: Record<string, number[]>;
}

export function machine(): BenchResult['machine'] {
  const c = cpus();
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

export const isQuick = (): boolean => process.argv.includes('--quick');

export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  return Number(v.toPrecision(4)).toString();
}

export function verdict(m: Metric): string {
  if (m.target === undefined) return '';
  const ok = m.better === 'higher' ? m.value >= m.target : m.value <= m.target;
  return ok ? 'meets target' : 'MISSES target';
}

export function printTable(result: BenchResult): void {
  const rows = Object.entries(result.metrics).map(([k, m]) => [k, fmt(m.value), m.unit, m.target === undefined ? '' : `${m.better === 'higher' ? '>=' : '<='} ${fmt(m.target)}`, verdict(m)]);
  const head = ['metric', 'value', 'unit', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  const m = result.machine;
  console.log(`\n${result.bench}${result.quick ? ' (quick)' : ''} on ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB, node ${m.node}`);
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

export function writeResult(bench: string, metrics: Record<string, Metric>, runs?: Record<string, number[]>): BenchResult {
  const result: BenchResult = { bench, at: new Date().toISOString(), quick: isQuick(), machine: machine(), metrics, ...(runs ? { runs } : {}) };
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${bench}${result.quick ? '.quick' : ''}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  printTable(result);
  console.log(`\nwritten ${file}`);
  return result;
}
