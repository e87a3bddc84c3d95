/**
 * The health check after a swap (DESIGN.md "Bundles and trust"): the model loads in ONNX Runtime,
 * the manifest's canned input gives the recorded output within the tolerance, and the median of
 * the timed runs, scaled by bundles.latencyScale, is within the target profile's latency budget.
 * Any failure is EH_BUNDLE_HEALTH saying which of the three failed and by how much.
 */
import type { HealthCheck } from '../../shared/bundle/index.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { OnnxSession } from '../../shared/inference/index.ts';

export interface HealthResult {
  /** Median of the timed runs, as measured, and after latencyScale. */
  readonly medianMs: number;
  readonly scaledMs: number;
  readonly budgetMs: number;
  /** Largest |got - recorded| / max(1, |recorded|). */
  readonly worstError: number;
}

export interface HealthOptions {
  readonly budgetMs: number;
  readonly latencyScale: number;
  readonly label: string;
  /** Called once the model has loaded, before the runs (where a kill during the check lands). */
  readonly onRunning?: () => void;
}

const fail = (message: string, details: Record<string, unknown>): never => {
  throw new EdgehiveError('EH_BUNDLE_HEALTH', message, details);
};

/** Compares a model output with the recorded one; returns the worst relative error and where. */
export function compareOutput(got: ArrayLike<number>, want: readonly number[]): { worst: number; at: number } {
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    const err = Number.isFinite(g) ? Math.abs(g - w) / Math.max(1, Math.abs(w)) : Number.POSITIVE_INFINITY;
    if (err > worst || at < 0) {
      worst = err;
      at = i;
    }
  }
  return { worst, at };
}

/**
 * The timed runs of one health check at a time per process. On a device that is the agent alone;
 * in the simulator, where hundreds of agents share one process and two cores, it stands in for
 * each device having its own CPU: without it an agent's runs queue behind its neighbours' in the
 * thread pool and it fails its latency budget for time it never spent.
 */
let timing: Promise<unknown> = Promise.resolve();
function timedExclusively<T>(run: () => Promise<T>): Promise<T> {
  const mine = timing.then(run, run);
  timing = mine.catch(() => undefined);
  return mine;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export async function runHealthCheck(model: Uint8Array, check: HealthCheck, o: HealthOptions): Promise<HealthResult> {
  let session: OnnxSession;
  try {
    session = await OnnxSession.load(model, { intraOpThreads: 1 });
  } catch (e) {
    return fail(`${o.label} failed its health check: the model does not load (${(e as Error).message}); the previous model keeps running`, { reason: 'load' });
  }
  try {
    o.onRunning?.();
    const input = Float32Array.from(check.input);
    let out;
    try {
      out = await session.run(input, check.inputDims);
    } catch (e) {
      return fail(`${o.label} failed its health check: the canned input [${check.inputDims.join(', ')}] does not run (${(e as Error).message})`, { reason: 'run' });
    }
    if (out.data.length !== check.output.length) {
      fail(`${o.label} failed its health check: output has ${out.data.length} values, the recorded output ${check.output.length}`, { reason: 'output', got: out.data.length, want: check.output.length });
    }
    const { worst, at } = compareOutput(out.data, check.output);
    if (!(worst <= check.tolerance)) {
      fail(`${o.label} failed its health check: output mismatch, value ${at} is ${out.data[at]} but was recorded as ${check.output[at]} (relative error ${worst.toPrecision(3)} > tolerance ${check.tolerance})`,
        { reason: 'output', index: at, got: out.data[at], want: check.output[at], worst, tolerance: check.tolerance });
    }
    const times = await timedExclusively(async () => {
      const ts: number[] = [];
      for (let r = 0; r < check.runs; r++) {
        const t0 = performance.now();
        await session.run(input, check.inputDims);
        ts.push(performance.now() - t0);
      }
      return ts;
    });
    const medianMs = median(times);
    const scaledMs = medianMs * o.latencyScale;
    if (scaledMs > o.budgetMs) {
      fail(`${o.label} failed its health check: latency ${scaledMs.toFixed(2)} ms > budget ${o.budgetMs} ms (median of ${check.runs} runs${o.latencyScale !== 1 ? `, ${medianMs.toFixed(2)} ms × latencyScale ${o.latencyScale}` : ''})`,
        { reason: 'latency', medianMs, scaledMs, budgetMs: o.budgetMs });
    }
    return { medianMs, scaledMs, budgetMs: o.budgetMs, worstError: worst };
  } finally {
    await session.close();
  }
}
