/**
 * The hub's training job: read the selected telemetry from the store, run the model pipeline in
 * a worker thread (the hub keeps ingesting and serving while it trains), register the version.
 */
import type { DeviceProfile } from '../../device-profiles/index.ts';
import type { PipelineContext, TrainingPipeline } from '../jobs/schema.ts';
import type { DataRange } from '../registry/schema.ts';
import { readStoreRows } from '../trainer/index.ts';
import { completeVersion, pipelineFiles } from './artefacts.ts';
import { runModelPipeline } from './model-pipeline.ts';

export interface HubPipelineOptions {
  /** Train on the calling thread instead of a worker (tests on tiny data). */
  readonly inWorker?: boolean;
  readonly profiles?: readonly DeviceProfile[];
  /** Newest readings per device to train on (default 200 000). */
  readonly maxRows?: number;
}

export function createTrainingPipeline(options: HubPipelineOptions = {}): TrainingPipeline {
  return async (ctx: PipelineContext) => {
    const { recipe, dataSelector: sel } = ctx;
    ctx.onProgress({ stage: 'data', message: 'reading telemetry from the store' });
    const columns = recipe.task === 'classify' && recipe.target?.label ? [...recipe.input.features, recipe.target.label] : [...recipe.input.features];
    const rows = await readStoreRows(ctx.store, {
      ...(sel.device !== undefined ? { device: sel.device } : {}),
      ...(sel.group !== undefined ? { group: sel.group } : {}),
      ...(sel.fromMs !== undefined ? { fromMs: sel.fromMs } : {}),
      ...(sel.toMs !== undefined ? { toMs: sel.toMs } : {}),
      features: columns,
      maxRows: options.maxRows ?? 200_000,
    });
    const first = rows.timestamps[0];
    const last = rows.timestamps[rows.timestamps.length - 1];
    const dataRange: DataRange = {
      source: 'store',
      ...(sel.device !== undefined ? { device: sel.device } : {}),
      ...(sel.group !== undefined ? { group: sel.group } : {}),
      fromMs: first ?? null,
      toMs: last ?? null,
      rows: rows.timestamps.length,
    };
    ctx.onProgress({ stage: 'data', message: `${rows.timestamps.length} readings` });
    const result = await runModelPipeline(recipe, rows, {
      inWorker: options.inWorker ?? true,
      signal: ctx.signal,
      log: (line) => ctx.logger.info(line),
      ...(options.profiles ? { profiles: options.profiles } : {}),
      onProgress: (p) => {
        if (p.train) {
          const t = p.train;
          ctx.onProgress({
            stage: 'train', epoch: t.epoch, epochs: t.epochs, loss: t.loss, etaMs: t.etaMs,
            samplesPerSecond: t.samplesPerSecond, backend: t.backend, ...(t.valLoss !== undefined ? { valLoss: t.valLoss } : {}),
          });
        } else {
          ctx.onProgress({ stage: p.stage, ...(p.message ? { message: p.message } : {}) });
        }
      },
    });
    ctx.onProgress({ stage: 'register', message: result.gate.reason });
    const version = await ctx.registry.register({ recipe, dataRange, files: pipelineFiles(result), complete: completeVersion(result, dataRange) });
    return { version: version.version };
  };
}
