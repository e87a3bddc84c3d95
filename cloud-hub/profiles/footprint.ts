/**
 * Measuring a model variant's footprint on the hub: batch-1 latency (p50/p99, single-threaded,
 * after warm-up) and peak memory. The per-profile estimates (plan.ts) scale these.
 *
 * Peak memory is MEASURED, not estimated from the graph: a fresh Node process loads
 * onnxruntime-node, reads the model file, creates a session with the agent's options and runs
 * batch-1 inferences; its peak resident set (getrusage maxRSS) is the figure. A separate process
 * because RSS in the hub's own process mixes in everything else the hub holds and never shrinks,
 * so the growth from one model there would be noise; and because ONNX Runtime's own allocations
 * (session state, pre-packed weights, the activation arena) are native memory that neither
 * `heapUsed` nor `external` sees. Measured this way a model costs a few times its file size
 * (the file buffer, the parsed initializers, pre-packed copies) on top of about 26 MiB for the
 * first session. The process is plain Node, so the figure includes Node's own baseline; the
 * agent's other modules are added by the planner (AGENT_OVERHEAD_BYTES).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { OnnxSession } from '../../shared/inference/index.ts';
import { quantile } from '../evaluate/metrics.ts';

export interface Footprint {
  /** Median latency of one batch-1 inference on the hub, single-threaded, after warm-up. */
  readonly hubLatencyMsP50: number;
  readonly hubLatencyMsP99: number;
  /** The variant's file size. */
  readonly modelBytes: number;
  /** Peak RSS of a bare Node process with onnxruntime-node and this model loaded and running (measured). */
  readonly peakMemoryBytes: number;
  /** Peak RSS of the same process with onnxruntime-node imported but no model: the part not due to the model. */
  readonly runtimeBaselineBytes: number;
}

export interface MeasureOptions {
  readonly warmupRuns?: number;
  /** Timed runs (default 200), fewer if `maxMeasureMs` runs out first (at least 20 are kept). */
  readonly runs?: number;
  readonly maxMeasureMs?: number;
}

// Mirrors OnnxSession.load's options (one intra-op thread, sequential, all optimisations): the
// child cannot import TypeScript, and the memory must be that of the session the agent creates.
const CHILD = `
const [ortPath, modelPath, shapeJson, runsArg] = process.argv.slice(1);
const kb = () => process.resourceUsage().maxRSS * 1024;
const ort = await import(ortPath);
const { readFileSync } = await import('node:fs');
const baseline = kb();
const bytes = readFileSync(modelPath);
const session = await ort.InferenceSession.create(bytes, {
  intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential',
});
const shape = JSON.parse(shapeJson);
const x = new Float32Array(shape.reduce((a, b) => a * b, 1)).map((_, i) => Math.sin(i));
for (let i = 0; i < Number(runsArg); i++) await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, shape) });
process.stdout.write(JSON.stringify({ baseline, peak: kb() }));
`;

function ortEntry(): string {
  // The child resolves onnxruntime-node exactly as this process does, whatever its cwd.
  return createRequire(import.meta.url).resolve('onnxruntime-node');
}

/** Peak and baseline RSS of a fresh process running the model (see the module comment). */
export async function measurePeakMemory(modelBytes: Uint8Array, sampleShape: readonly number[], runs = 5): Promise<{ peakMemoryBytes: number; runtimeBaselineBytes: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'edgehive-footprint-'));
  try {
    const file = join(dir, 'model.onnx');
    await writeFile(file, modelBytes);
    const args = ['--input-type=module', '-e', CHILD, ortEntry(), file, JSON.stringify([1, ...sampleShape]), String(runs)];
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = ''; let err = '';
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
      child.on('error', reject);
      child.on('close', (c) => resolve({ code: c, stdout: out, stderr: err }));
    });
    if (code !== 0) {
      const last = stderr.trim().split('\n').filter((l) => /Error|error/.test(l)).slice(-1)[0] ?? stderr.trim().slice(-300);
      throw new EdgehiveError('EH_INFERENCE_FAILED', `measuring the model's memory failed (exit ${code}): ${last}; check that the model loads and takes input [1, ${sampleShape.join(', ')}]`);
    }
    const r = JSON.parse(stdout) as { baseline: number; peak: number };
    return { peakMemoryBytes: r.peak, runtimeBaselineBytes: r.baseline };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Deterministic input values in [-1, 1], so repeated measurements run the same numbers. */
function sampleInput(n: number): Float32Array {
  const x = new Float32Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1103515245) + 12345) >>> 0; x[i] = (s / 2 ** 32) * 2 - 1; }
  return x;
}

/** Batch-1 latency on the hub through OnnxSession (one thread), p50 and p99 in ms. */
export async function measureLatency(modelBytes: Uint8Array, sampleShape: readonly number[], options: MeasureOptions = {}): Promise<{ p50: number; p99: number; runs: number }> {
  const warmup = options.warmupRuns ?? 10;
  const runs = options.runs ?? 200;
  const budget = options.maxMeasureMs ?? 2000;
  const dims = [1, ...sampleShape];
  const x = sampleInput(sampleShape.reduce((a, b) => a * b, 1));
  const session = await OnnxSession.load(modelBytes, { intraOpThreads: 1 });
  try {
    for (let i = 0; i < warmup; i++) await session.run(x, dims);
    const times: number[] = [];
    const start = performance.now();
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await session.run(x, dims);
      times.push(performance.now() - t0);
      if (times.length >= 20 && performance.now() - start > budget) break;
    }
    return { p50: quantile(times, 0.5), p99: quantile(times, 0.99), runs: times.length };
  } finally {
    await session.close();
  }
}

/**
 * The footprint of one variant: `sampleShape` is one sample without the batch axis (e.g.
 * [window length, features]). Latency is measured in this process (so it competes with whatever
 * else the hub runs: measure when the hub is quiet), memory in a child process.
 */
export async function measureFootprint(modelBytes: Uint8Array, sampleShape: readonly number[], options: MeasureOptions = {}): Promise<Footprint> {
  if (sampleShape.length === 0 || !sampleShape.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new EdgehiveError('EH_BAD_REQUEST', `sampleShape [${sampleShape.join(', ')}] must be one sample's shape without the batch axis, positive integers`);
  }
  const latency = await measureLatency(modelBytes, sampleShape, options);
  const memory = await measurePeakMemory(modelBytes, sampleShape);
  return {
    hubLatencyMsP50: latency.p50, hubLatencyMsP99: latency.p99, modelBytes: modelBytes.byteLength,
    peakMemoryBytes: memory.peakMemoryBytes, runtimeBaselineBytes: memory.runtimeBaselineBytes,
  };
}
