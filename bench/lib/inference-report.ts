/**
 * bench:inference's output: a latency table (one row per model × engine × batch), a per-model
 * table of sizes and accuracy deltas, the verdict lines, and bench/results/inference.json in the
 * shared result shape (lib/report.ts) with the rows, the machine's load and ORT's profiles added.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, printTable, type BenchResult, type Metric } from './report.ts';
import type { AccuracyDelta } from './inference-accuracy.ts';
import type { LayersCheck } from './inference-tf-layers.ts';
import type { OpProfile } from './inference-profile.ts';
import type { SizeBreakdown } from './inference-size.ts';
import type { Timing } from './inference-timing.ts';

/**
 * tfjs-ours-*: the trainer's own TF.js forward pass (createTfPredictor); tfjs-layers-*: the same
 * weights as a standard tf.LayersModel (model.predict), lib/inference-tf-layers.ts.
 */
export type Engine = 'ort-fp32' | 'ort-int8' | 'ort-fp32-public' | 'tfjs-ours-cpu' | 'tfjs-ours-wasm' | 'tfjs-layers-cpu' | 'tfjs-layers-wasm';

export interface Row extends Timing {
  readonly model: string;
  readonly engine: Engine;
  readonly batch: number;
  /** onnxruntime intra-op threads (TF.js: 1, its kernels are single-threaded here). */
  readonly threads: number;
}

export interface ModelSummary {
  readonly model: string;
  readonly task: string;
  readonly mflopPerInference: number;
  readonly inputShape: readonly number[];
  readonly fp32Bytes: number;
  readonly int8Bytes: number;
  readonly sizeRatio: number;
  readonly quantisedNodes: number;
  readonly floatNodes: number;
  readonly sizes: { readonly fp32: SizeBreakdown; readonly int8: SizeBreakdown };
  readonly accuracy: AccuracyDelta;
  readonly data: string;
  readonly trainS: number;
  readonly quantiseS: number;
  readonly profiles?: { fp32: OpProfile; int8: OpProfile };
  /** The tf.LayersModel column's parity check against ORT fp32, per TF.js backend. */
  readonly tfLayers: readonly LayersCheck[];
}

export interface Verdict { readonly target: string; readonly value: number; readonly limit: number; readonly better: 'higher' | 'lower'; readonly met: boolean; readonly detail: string }

function pad(cells: string[][], right: ReadonlySet<number>): string[] {
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)];
}

export const f3 = (v: number): string => (!Number.isFinite(v) ? String(v) : Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : Number(v.toPrecision(3)).toString());

export function printRows(rows: readonly Row[]): void {
  const cells = [['model', 'engine', 'threads', 'batch', 'p50 ms', 'p99 ms', 'samples/s', 'calls']];
  for (const r of rows) cells.push([r.model, r.engine, String(r.threads), String(r.batch), f3(r.p50Ms), f3(r.p99Ms), f3(r.samplesPerS), String(r.calls)]);
  console.log('\nlatency (p50/p99 of single calls) and throughput');
  for (const l of pad(cells, new Set([2, 3, 4, 5, 6, 7]))) console.log(l);
}

export function printModels(models: readonly ModelSummary[]): void {
  const cells = [['model', 'MFLOP', 'fp32 B', 'int8 B', 'int8/fp32', 'metric', 'fp32', 'int8', 'gate loss (limit)', 'max|Δ|', 'mean|Δ|']];
  for (const m of models) {
    const a = m.accuracy;
    cells.push([
      m.model, f3(m.mflopPerInference), String(m.fp32Bytes), String(m.int8Bytes), m.sizeRatio.toFixed(3), a.metric,
      a.fp32 === null ? '-' : f3(a.fp32), a.int8 === null ? '-' : f3(a.int8), `${f3(a.gateLoss)} (${f3(a.gateLimit)}) ${a.accepted ? 'ok' : 'REFUSED'}`,
      f3(a.maxAbsDiff), f3(a.meanAbsDiff),
    ]);
  }
  console.log('\nsize on disk and accuracy delta (held-out set, onnxruntime-node)');
  for (const l of pad(cells, new Set([1, 2, 3, 4, 6, 7, 9, 10]))) console.log(l);
}

export function printVerdicts(verdicts: readonly Verdict[]): void {
  console.log('\ntargets');
  for (const v of verdicts) {
    console.log(`${v.met ? 'MET   ' : 'MISSED'} ${v.target}: ${f3(v.value)} (${v.better === 'higher' ? '>=' : '<='} ${v.limit}) — ${v.detail}`);
  }
}

export interface InferenceResult extends BenchResult {
  readonly load: { readonly before: number[]; readonly after: number[]; readonly note: string };
  readonly settings: Record<string, unknown>;
  /** onnxruntime-node's fixed cost per call (one-node model, batch 1). */
  readonly ortCallFloor: { readonly sessionP50Us: number; readonly rawP50Us: number };
  readonly models: readonly ModelSummary[];
  readonly rows: readonly Row[];
  readonly verdicts: readonly Verdict[];
}

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/** Prints the headline metrics (lib/report.ts's table) and writes bench/results/inference[.quick].json. */
export function writeInferenceResult(
  quick: boolean, metrics: Record<string, Metric>, extra: Omit<InferenceResult, keyof BenchResult | 'load'> & { loadBefore: number[] },
): string {
  const after = loadavg();
  const { loadBefore, ...rest } = extra;
  const result: InferenceResult = {
    bench: 'inference', at: new Date().toISOString(), quick, machine: machine(), metrics,
    load: {
      before: loadBefore.map((v) => Math.round(v * 100) / 100), after: after.map((v) => Math.round(v * 100) / 100),
      note: `1/5/15-minute load averages on ${machine().cores} cores; above the core count other work shared the CPU and the latencies are pessimistic`,
    },
    ...rest,
  };
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `inference${quick ? '.quick' : ''}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  printTable(result);
  return file;
}
