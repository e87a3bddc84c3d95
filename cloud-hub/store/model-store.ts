/**
 * The registry's and the job manager's storage: models, their versions, the artefacts of each
 * version (hash and size; the bytes live on disk, see registry/artefact-files.ts) and training
 * jobs. Reached as `store.models`; SQLite (sqlite-models.ts) and PostgreSQL (postgres-models.ts)
 * pass one suite, test/integration/registry-contract.ts.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { DataSelector, Job, JobError, JobProgress, JobState } from '../jobs/schema.ts';
import type { Artefact, DataRange, Lineage, Metrics, ProfilePlanEntry, Variant, VersionStatus } from '../registry/schema.ts';

export interface ModelRecord {
  name: string;
  task: string;
  /** The recipe last accepted for training: what POST .../train uses when the body has none. */
  recipe: unknown;
  createdAtMs: number;
  updatedAtMs: number;
  /** Highest version number handed out (0: none yet). */
  lastVersion: number;
}

/** A version row; `artefacts` are joined in by the registry. */
export interface VersionRecord {
  model: string;
  version: number;
  status: VersionStatus;
  statusReason: string | null;
  jobId: string | null;
  createdAtMs: number;
  updatedAtMs: number;
  recipe: unknown;
  dataRange: DataRange | null;
  preprocess: unknown;
  metrics: Metrics;
  variants: Variant[];
  plan: ProfilePlanEntry[];
  lineage: Lineage;
}

export type NewVersion = Omit<VersionRecord, 'version' | 'updatedAtMs'>;

export type VersionPatch = Partial<Pick<VersionRecord, 'status' | 'statusReason' | 'dataRange' | 'preprocess' | 'metrics' | 'variants' | 'plan' | 'lineage'>>;

/** The columns a patch sets, with their stored values (JSON text for the JSON columns): one mapping for both stores. */
export function versionPatchColumns(patch: VersionPatch): Array<[column: string, value: unknown]> {
  const out: Array<[string, unknown]> = [];
  const nullableJson = (v: unknown): string | null => (v === null ? null : JSON.stringify(v));
  if (patch.status !== undefined) out.push(['status', patch.status]);
  if (patch.statusReason !== undefined) out.push(['status_reason', patch.statusReason]);
  if (patch.dataRange !== undefined) out.push(['data_range', nullableJson(patch.dataRange)]);
  if (patch.preprocess !== undefined) out.push(['preprocess', nullableJson(patch.preprocess)]);
  if (patch.metrics !== undefined) out.push(['metrics', JSON.stringify(patch.metrics)]);
  if (patch.variants !== undefined) out.push(['variants', JSON.stringify(patch.variants)]);
  if (patch.plan !== undefined) out.push(['plan', JSON.stringify(patch.plan)]);
  if (patch.lineage !== undefined) out.push(['lineage', JSON.stringify(patch.lineage)]);
  return out;
}

export interface JobPatch {
  state?: JobState;
  progress?: JobProgress | null;
  error?: JobError | null;
  version?: number | null;
  startedAtMs?: number | null;
  finishedAtMs?: number | null;
}

export interface NewJob { id: string; model: string; recipe: unknown; data: DataSelector; actor: string; createdAtMs: number }

export interface JobQuery { model?: string; states?: readonly JobState[]; limit: number }

export interface ModelStore {
  /** Creates the model, or records `recipe` as its latest one. Returns the stored record. */
  upsertModel(m: { name: string; task: string; recipe: unknown; atMs: number }): Promise<ModelRecord>;
  getModel(name: string): Promise<ModelRecord | null>;
  /** By name. */
  listModels(): Promise<ModelRecord[]>;

  /**
   * Takes the model's next version number (1, 2, ...; never reused, even across hub processes)
   * and stores the version. EH_NOT_FOUND when the model does not exist.
   */
  createVersion(v: NewVersion): Promise<VersionRecord>;
  /** EH_NOT_FOUND when there is no such version. */
  updateVersion(model: string, version: number, patch: VersionPatch, atMs: number): Promise<VersionRecord>;
  getVersion(model: string, version: number): Promise<VersionRecord | null>;
  /** Oldest first. */
  listVersions(model: string): Promise<VersionRecord[]>;
  /** Versions still `training` (of `jobId` only, when given) become `failed` with `reason`. Returns how many. */
  failTrainingVersions(reason: string, atMs: number, jobId?: string): Promise<number>;

  /** Inserts or replaces the record of one file of a version. */
  putArtefact(model: string, version: number, a: Artefact): Promise<void>;
  getArtefact(model: string, version: number, file: string): Promise<Artefact | null>;
  /** By file name. */
  listArtefacts(model: string, version: number): Promise<Artefact[]>;

  /** EH_CONFLICT when the model already has a queued or running job (checked by the database, so across hubs too). */
  createJob(j: NewJob): Promise<Job>;
  /** EH_NOT_FOUND when there is no such job. */
  updateJob(id: string, patch: JobPatch): Promise<Job>;
  getJob(id: string): Promise<Job | null>;
  /** Newest first. */
  listJobs(q: JobQuery): Promise<Job[]>;
  /** Every queued or running job becomes failed with `error`; for a hub that starts after a crash. Returns their ids. */
  failActiveJobs(error: JobError, atMs: number): Promise<string[]>;
}

/** The one message for "this model is already training", whichever backend noticed. */
export function activeJobConflict(model: string, jobId: string): EdgehiveError {
  return new EdgehiveError('EH_CONFLICT', `model ${model} already has a training job in progress (${jobId}); wait for it (GET /api/v1/jobs/${jobId}) or cancel it first`, { model, jobId });
}
