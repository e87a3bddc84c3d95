/**
 * Latency of one engine on one model at one batch size: warm-up, then timed calls until a time
 * budget is spent (with a floor and a cap on the number of calls), each call timed on its own so
 * p50/p99 are of single calls; throughput is samples over the timed wall time.
 */
import { performance } from 'node:perf_hooks';
import type { OnnxSession } from '../../shared/inference/index.ts';
import type { TfPredictor } from '../../cloud-hub/trainer/index.ts';

export interface TimingBudget {
  /** Warm-up: at least `warmupCalls` calls and `warmupMs` of calls. */
  readonly warmupCalls: number;
  readonly warmupMs: number;
  /** Timed: calls until `budgetMs` is spent, at least `minCalls`, at most `maxCalls`. */
  readonly budgetMs: number;
  readonly minCalls: number;
  readonly maxCalls: number;
}

export interface Timing {
  readonly calls: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly samplesPerS: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export type Call = () => unknown;

export async function timeCalls(call: Call, batch: number, b: TimingBudget): Promise<Timing> {
  const w0 = performance.now();
  // A call slower than the whole budget (TF.js cpu on the CNN at batch 64) is warmed up once.
  for (let i = 0; i < b.warmupCalls || performance.now() - w0 < b.warmupMs; i++) {
    await call();
    if (performance.now() - w0 > b.budgetMs) break;
  }
  const lat: number[] = [];
  const t0 = performance.now();
  let last = t0;
  while (lat.length < b.maxCalls && (lat.length < b.minCalls || last - t0 < b.budgetMs)) {
    await call();
    const now = performance.now();
    lat.push(now - last);
    last = now;
  }
  const total = last - t0;
  const sorted = [...lat].sort((a, c) => a - c);
  return {
    calls: lat.length,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    meanMs: total / lat.length,
    samplesPerS: (batch * lat.length) / (total / 1000),
  };
}

/** `batch` samples from `x` ([n, …sample]), cycling when n < batch. */
export function batchOf(x: Float32Array, n: number, batch: number, offset = 0): Float32Array {
  const per = x.length / n;
  const out = new Float32Array(batch * per);
  for (let i = 0; i < batch; i++) {
    const k = (offset + i) % n;
    out.set(x.subarray(k * per, (k + 1) * per), i * per);
  }
  return out;
}

export const ortCall = (s: OnnxSession, data: Float32Array, dims: readonly number[]): Call => () => s.run(data, dims);
export const tfCall = (p: TfPredictor, data: Float32Array, dims: readonly number[]): Call => () => p.predict(data, dims);
