/**
 * A pipeline result as a registry version: the files it stores and the record that completes it.
 * Pure, so `edgehive train` (which writes a folder) and the hub (which registers) agree on names
 * and contents.
 */
import { REFERENCE_STATS_FILE } from '../../shared/drift/index.ts';
import { serialisePreprocessSpec } from '../../shared/features/index.ts';
import { graphToJson } from '../model/serialise.ts';
import type { DataRange, ProfilePlanEntry } from '../registry/schema.ts';
import type { CompleteVersion } from '../registry/schema.ts';
import type { ProfilePlan } from '../profiles/index.ts';
import type { PipelineResult } from './model-pipeline.ts';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/**
 * Everything a version keeps, by file name: both variants, the spec, the trained graph, the
 * summary, and the reference statistics its bundles carry for the agents' drift monitors.
 */
export function pipelineFiles(r: PipelineResult): Record<string, Uint8Array> {
  return {
    [r.fp32.file]: r.fp32.bytes,
    [r.int8.file]: r.int8.bytes,
    'preprocess.json': text(serialisePreprocessSpec(r.trained.preprocess)),
    'graph.json': text(graphToJson(r.trained.graph)),
    'training.json': text(JSON.stringify(trainingSummary(r), null, 2)),
    'quantisation.json': text(JSON.stringify(r.quantisation, null, 2)),
    [REFERENCE_STATS_FILE]: text(JSON.stringify(r.reference)),
  };
}

/** What training did, for people: history, split, backend, parity, threshold. */
export function trainingSummary(r: PipelineResult): Record<string, unknown> {
  const t = r.trained;
  return {
    recipe: t.recipe.name,
    task: t.recipe.task,
    backend: t.backend,
    durationMs: t.durationMs,
    bestEpoch: t.bestEpoch,
    stoppedEarly: t.stoppedEarly,
    history: t.history,
    split: t.split,
    dataRange: t.dataRange,
    flops: t.plan.flops,
    parity: { maxAbsDiff: r.parity.maxAbsDiff, windows: r.parity.values },
    threshold: r.threshold,
    gate: { accepted: r.gate.accepted, fp32Accepted: r.gate.fp32Accepted, loss: r.gate.loss, lossMetric: r.gate.lossMetric, reason: r.gate.reason },
  };
}

/** A profile plan as the registry stores it (estimates per variant tried). */
export function planEntry(p: ProfilePlan): ProfilePlanEntry {
  const estimates: ProfilePlanEntry['estimates'] = {};
  for (const t of p.tried) {
    estimates[t.variant] = { latencyMs: t.estimates.latencyMs, peakMemoryBytes: t.estimates.memoryBytes, sizeBytes: t.estimates.bytes };
  }
  return { profile: p.profile, variant: p.variant, reason: p.reason, estimates };
}

/** The record that completes the version: `ready` when fp32 passed its floors, else `rejected`. */
export function completeVersion(r: PipelineResult, dataRange: DataRange): CompleteVersion {
  const metrics: Record<string, Record<string, unknown>> = {
    fp32: { ...r.fp32.evaluation.metrics, ...(r.fp32.footprint ? { footprint: r.fp32.footprint } : {}), bytes: r.fp32.bytes.length },
    int8: { ...r.int8.evaluation.metrics, ...(r.int8.footprint ? { footprint: r.int8.footprint } : {}), bytes: r.int8.bytes.length },
    gate: { accepted: r.gate.accepted, loss: r.gate.loss, lossMetric: r.gate.lossMetric, checks: r.gate.checks, skipped: r.gate.skipped },
    parity: { maxAbsDiff: r.parity.maxAbsDiff },
  };
  if (r.threshold) metrics['threshold'] = { ...r.threshold };
  return {
    status: r.gate.fp32Accepted ? 'ready' : 'rejected',
    statusReason: r.gate.reason,
    dataRange,
    preprocess: r.trained.preprocess,
    metrics,
    variants: [
      { variant: 'fp32', file: r.fp32.file, accepted: r.fp32.accepted, reason: r.fp32.reason },
      { variant: 'int8', file: r.int8.file, accepted: r.int8.accepted, reason: r.int8.reason },
    ],
    plan: r.plan.map(planEntry),
    quantisation: {
      mode: r.quantisation.mode,
      calibration: r.quantisation.method ?? null,
      calibrationWindows: r.quantisation.calibrationRows ?? null,
      report: {
        quantisedNodes: r.quantisation.quantisedNodes,
        floatNodes: r.quantisation.floatNodes,
        weightBits: r.quantisation.weightBits ?? null,
        bytesBefore: r.quantisation.bytesBefore,
        bytesAfter: r.quantisation.bytesAfter,
        float: r.quantisation.nodes.filter((n) => n.status === 'float').map((n) => `${n.name} (${n.opType}): ${n.detail}`),
      },
    },
  };
}
