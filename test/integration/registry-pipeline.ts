/**
 * A small but real training pipeline for the registry and job tests: it reads the selected
 * readings from the hub's store, fits per-feature z-score statistics, trains a per-feature
 * linear reconstruction by gradient descent (reporting loss each epoch), quantises the weights
 * to int8, evaluates both variants on the held-out tail, applies the recipe's int8 gate and
 * registers the version with its files. No TensorFlow.js, so the tests stay fast.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { TrainingPipeline } from '../../cloud-hub/jobs/schema.ts';
import type { Recipe } from '../../cloud-hub/recipes/schema.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';

export function testRecipe(name = 'pump-test', more: Partial<Recipe> = {}): Recipe {
  return {
    version: 1, name, task: 'anomaly',
    input: { features: ['f0', 'f1'], window: { length: 4, stride: 2 } },
    architecture: { layers: [{ type: 'flatten' }, { type: 'dense', units: 4, activation: 'relu' }] },
    training: { epochs: 5, batchSize: 8, learningRate: 0.3 },
    gates: { maxInt8Loss: 0.05 },
    ...more,
  };
}

export interface TinyPipelineOptions {
  /** Awaited after the data stage: lets a test hold a job in `running`. */
  gate?: () => Promise<void>;
  /** Pause between epochs, so progress events are spread out. */
  epochDelayMs?: number;
}

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

export function tinyPipeline(opts: TinyPipelineOptions = {}): TrainingPipeline {
  return async (ctx) => {
    const { recipe, dataSelector: sel, store } = ctx;
    const features = recipe.input.features;
    ctx.onProgress({ stage: 'data', message: 'reading stored readings' });
    const devices = sel.device ? [sel.device] : (await store.listDevices(sel.group ? { group: sel.group } : {})).map((d) => d.id);
    const rows: number[][] = [];
    let fromMs = Number.POSITIVE_INFINITY;
    let toMs = Number.NEGATIVE_INFINITY;
    for (const device of devices) {
      const page = await store.queryTelemetry(device, { limit: 10_000, ...(sel.fromMs !== undefined ? { fromMs: sel.fromMs } : {}), ...(sel.toMs !== undefined ? { toMs: sel.toMs } : {}) });
      for (const r of page.readings) {
        const names = page.features[r.stream] ?? [];
        const row = features.map((f) => r.values[names.indexOf(f)] ?? null);
        if (row.some((v) => v === null)) continue;
        rows.push(row as number[]);
        fromMs = Math.min(fromMs, r.tsMs);
        toMs = Math.max(toMs, r.tsMs);
      }
    }
    if (rows.length < recipe.input.window.length * 2) {
      throw new EdgehiveError('EH_DATA_INSUFFICIENT', `${rows.length} complete readings of ${features.join(', ')}; need at least ${recipe.input.window.length * 2}`);
    }
    if (opts.gate) {
      const aborted = new Promise<never>((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error), { once: true }));
      aborted.catch(() => undefined);
      await Promise.race([opts.gate(), aborted]);
    }
    ctx.signal.throwIfAborted();

    const mean = features.map((_, f) => rows.reduce((a, r) => a + r[f]!, 0) / rows.length);
    const std = features.map((_, f) => Math.sqrt(rows.reduce((a, r) => a + (r[f]! - mean[f]!) ** 2, 0) / rows.length) || 1);
    const z = rows.map((r) => r.map((v, f) => (v - mean[f]!) / std[f]!));
    const cut = Math.floor(z.length * 0.8);
    const train = z.slice(0, cut);
    const held = z.slice(cut);
    const loss = (w: ArrayLike<number>, data: number[][]) => data.reduce((a, r) => a + r.reduce((b, v, f) => b + (w[f]! * v - v) ** 2, 0), 0) / (data.length * features.length);

    const w = features.map(() => 0.1);
    const epochs = recipe.training.epochs;
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const t0 = performance.now();
      for (let f = 0; f < w.length; f++) {
        const grad = train.reduce((a, r) => a + 2 * (w[f]! * r[f]! - r[f]!) * r[f]!, 0) / train.length;
        w[f] = w[f]! - recipe.training.learningRate * grad;
      }
      ctx.onProgress({ stage: 'train', epoch, epochs, loss: loss(w, train), valLoss: loss(w, held), etaMs: (epochs - epoch) * (performance.now() - t0 + (opts.epochDelayMs ?? 0)) });
      if (opts.epochDelayMs) await sleep(opts.epochDelayMs, undefined, { signal: ctx.signal });
      ctx.signal.throwIfAborted();
    }

    ctx.onProgress({ stage: 'quantise' });
    const scale = Math.max(...w.map(Math.abs)) / 127;
    const q = Int8Array.from(w, (v) => Math.round(v / scale));
    ctx.onProgress({ stage: 'evaluate' });
    const fp32Loss = loss(w, held);
    const int8Loss = loss(Array.from(q, (v) => v * scale), held);
    const int8Ok = int8Loss - fp32Loss <= recipe.gates.maxInt8Loss;

    ctx.onProgress({ stage: 'register' });
    const v = await ctx.registry.register({
      recipe,
      dataRange: { source: 'store', ...(sel.device ? { device: sel.device } : {}), ...(sel.group ? { group: sel.group } : {}), fromMs, toMs, rows: rows.length },
      files: {
        'model.fp32.json': enc({ weights: w }),
        'model.int8.bin': new Uint8Array(q.buffer),
        'preprocess.json': enc({ features, mean, std, window: recipe.input.window }),
      },
      complete: {
        status: 'ready',
        preprocess: { features, mean, std },
        metrics: { fp32: { mse: fp32Loss }, int8: { mse: int8Loss, scale } },
        variants: [
          { variant: 'fp32', file: 'model.fp32.json', accepted: true },
          { variant: 'int8', file: 'model.int8.bin', accepted: int8Ok, ...(int8Ok ? {} : { reason: `int8 loss ${int8Loss} exceeds the gate` }) },
        ],
        plan: [{ profile: 'rpi4', variant: int8Ok ? 'int8' : 'fp32', reason: int8Ok ? 'int8 within its gate' : 'int8 refused by its gate', estimates: { int8: { sizeBytes: q.byteLength }, fp32: { sizeBytes: w.length * 4 } } }],
        quantisation: { mode: 'static', calibration: 'minmax', calibrationWindows: train.length, report: { quantisedNodes: 1, floatNodes: 0 } },
      },
    });
    return { version: v.version };
  };
}
