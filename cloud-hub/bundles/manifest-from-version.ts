/**
 * What a registry model version becomes in a bundle: the manifest body (everything but format
 * and the artefact list, which buildBundle fills in) and the artefacts, in file order. Pure: the
 * bundle service reads the bytes, runs the health check and hands everything in.
 */
import type { BuildInput } from '../../shared/bundle/index.ts';
import type { BundleTarget, HealthCheck, Manifest } from '../../shared/bundle/schema.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { ModelVersion, Variant } from '../registry/schema.ts';
import type { ModelIo } from './model-io.ts';

const TASKS: ReadonlySet<string> = new Set(['anomaly', 'forecast', 'classify']);

export interface VersionManifestInput {
  fleet: string;
  version: ModelVersion;
  variant: Variant;
  targets: readonly BundleTarget[];
  stream: string;
  io: ModelIo;
  check: HealthCheck;
  createdMs: number;
  ttlMs: number;
  minAgentVersion: string;
}

export function taskOf(version: ModelVersion): Manifest['task'] {
  const task = (version.recipe as { task?: unknown } | null)?.task;
  if (typeof task !== 'string' || !TASKS.has(task)) {
    throw new EdgehiveError('EH_STATE', `model ${version.model} version ${version.version} has no known task in its recipe (${JSON.stringify(task)}); it cannot be bundled`, { model: version.model, version: version.version });
  }
  return task as Manifest['task'];
}

export function manifestFor(i: VersionManifestInput): BuildInput['manifest'] {
  const v = i.version;
  return {
    fleet: i.fleet,
    model: v.model,
    version: v.version,
    createdMs: i.createdMs,
    expiresMs: i.createdMs + i.ttlMs,
    targets: [...i.targets].sort((a, b) => (a.profile < b.profile ? -1 : a.profile > b.profile ? 1 : 0)),
    minAgentVersion: i.minAgentVersion,
    variant: i.variant.variant,
    task: taskOf(v),
    stream: i.stream,
    inputs: i.io.inputs,
    outputs: i.io.outputs,
    metrics: finiteOnly(v.metrics) as Manifest['metrics'],
    check: i.check,
    source: { modelVersion: v.version, jobId: v.jobId ?? v.lineage.trainingJobId ?? null },
  };
}

/**
 * Canonical JSON refuses non-finite numbers; a metric that is NaN (an undefined AUC on a test
 * split with one class, say) is carried as null rather than failing the bundle.
 */
function finiteOnly(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(finiteOnly);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, x]) => x !== undefined).map(([k, x]) => [k, finiteOnly(x)]));
  }
  return value;
}

/** A short human-readable card: what the model is, how it did, where it came from. */
export function modelCard(v: ModelVersion, variant: Variant, stream: string): string {
  const lines = [
    `# ${v.model} v${v.version} (${variant.variant})`,
    '',
    `Task: ${taskOf(v)}. Reads stream \`${stream}\`. Built from registry version ${v.version}${v.jobId ? ` (training job ${v.jobId})` : ''}.`,
    '',
    '## Metrics',
    '',
  ];
  const metrics = Object.entries(v.metrics);
  if (metrics.length === 0) lines.push('none recorded');
  for (const [name, m] of metrics) {
    const shown = Object.entries(m).filter(([, x]) => typeof x === 'number' || typeof x === 'boolean' || typeof x === 'string');
    lines.push(`- ${name}: ${shown.map(([k, x]) => `${k} ${typeof x === 'number' ? +x.toPrecision(6) : String(x)}`).join(', ') || '(structured)'}`);
  }
  const l = v.lineage;
  lines.push('', '## Lineage', '');
  if (l.dataRange) {
    const r = l.dataRange;
    const when = (ms: number | null) => (ms === null ? 'open' : new Date(ms).toISOString());
    lines.push(`- data: ${r.rows} rows from ${r.source}${r.device ? ` device ${r.device}` : ''}${r.group ? ` group ${r.group}` : ''}, ${when(r.fromMs)} to ${when(r.toMs)}`);
  }
  if (l.parentVersion) lines.push(`- parent version: ${l.parentVersion}`);
  if (l.quantisation) lines.push(`- quantisation: ${l.quantisation.mode}${l.quantisation.calibration ? `, ${l.quantisation.calibration} calibration` : ''}`);
  if (variant.reason) lines.push(`- variant note: ${variant.reason}`);
  return `${lines.join('\n')}\n`;
}
