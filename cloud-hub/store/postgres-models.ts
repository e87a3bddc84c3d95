/**
 * ModelStore on PostgreSQL. Version numbers come from an UPDATE ... RETURNING on the model's row,
 * whose row lock serialises hub processes numbering the same model; a partial unique index
 * refuses a second active job for a model whichever hub process asks.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Job, JobError } from '../jobs/schema.ts';
import type { Artefact } from '../registry/schema.ts';
import {
  activeJobConflict, type JobPatch, type JobQuery, type ModelRecord, type ModelStore, type NewJob, type NewVersion, type VersionPatch, versionPatchColumns,
  type VersionRecord,
} from './model-store.ts';
import type { PgDb } from './postgres-db.ts';

/** Migration 2 of postgres-schema.ts. Never edit once shipped. */
export const postgresModelsMigration = (s: string): string => `
CREATE TABLE ${s}.models (
  name          text PRIMARY KEY,
  task          text NOT NULL,
  recipe        jsonb NOT NULL,
  created_at_ms int8 NOT NULL,
  updated_at_ms int8 NOT NULL,
  last_version  int4 NOT NULL DEFAULT 0
);

CREATE TABLE ${s}.model_versions (
  model         text NOT NULL REFERENCES ${s}.models (name),
  version       int4 NOT NULL,
  status        text NOT NULL CHECK (status IN ('training', 'ready', 'failed', 'rejected')),
  status_reason text,
  job_id        text,
  created_at_ms int8 NOT NULL,
  updated_at_ms int8 NOT NULL,
  recipe        jsonb NOT NULL,
  data_range    jsonb,
  preprocess    jsonb,
  metrics       jsonb NOT NULL,
  variants      jsonb NOT NULL,
  plan          jsonb NOT NULL,
  lineage       jsonb NOT NULL,
  PRIMARY KEY (model, version)
);
CREATE INDEX model_versions_training ON ${s}.model_versions (job_id) WHERE status = 'training';

CREATE TABLE ${s}.model_artefacts (
  model         text NOT NULL,
  version       int4 NOT NULL,
  file          text NOT NULL,
  sha256        text NOT NULL,
  bytes         int8 NOT NULL,
  created_at_ms int8 NOT NULL,
  PRIMARY KEY (model, version, file),
  FOREIGN KEY (model, version) REFERENCES ${s}.model_versions (model, version)
);

CREATE TABLE ${s}.jobs (
  seq            int8 GENERATED ALWAYS AS IDENTITY,
  id             text PRIMARY KEY,
  model          text NOT NULL REFERENCES ${s}.models (name),
  state          text NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  recipe         jsonb NOT NULL,
  data           jsonb NOT NULL,
  progress       jsonb,
  error          jsonb,
  version        int4,
  actor          text NOT NULL,
  created_at_ms  int8 NOT NULL,
  started_at_ms  int8,
  finished_at_ms int8
);
CREATE INDEX jobs_by_model ON ${s}.jobs (model, created_at_ms);
CREATE UNIQUE INDEX jobs_one_active_per_model ON ${s}.jobs (model) WHERE state IN ('queued', 'running');`;

interface ModelRow { name: string; task: string; recipe: unknown; created_at_ms: number; updated_at_ms: number; last_version: number }
interface VersionRow {
  model: string; version: number; status: VersionRecord['status']; status_reason: string | null; job_id: string | null;
  created_at_ms: number; updated_at_ms: number; recipe: unknown; data_range: VersionRecord['dataRange']; preprocess: unknown;
  metrics: VersionRecord['metrics']; variants: VersionRecord['variants']; plan: VersionRecord['plan']; lineage: VersionRecord['lineage'];
}
interface ArtefactRow { file: string; sha256: string; bytes: number; created_at_ms: number }
interface JobRow {
  id: string; model: string; state: Job['state']; recipe: unknown; data: Job['data']; progress: Job['progress']; error: Job['error'];
  version: number | null; actor: string; created_at_ms: number; started_at_ms: number | null; finished_at_ms: number | null;
}

/** jsonb parameters go as JSON text: pg would send a JS array as a PostgreSQL array. */
const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

export class PostgresModelStore implements ModelStore {
  readonly #db: () => PgDb;
  readonly #s: string;

  /** `db` is asked on each call, so the store can be closed and reopened underneath. */
  constructor(db: () => PgDb, quotedSchema: string) {
    this.#db = db;
    this.#s = quotedSchema;
  }

  async upsertModel(m: { name: string; task: string; recipe: unknown; atMs: number }): Promise<ModelRecord> {
    const { rows } = await this.#db().query<ModelRow>('recording a model', `INSERT INTO ${this.#s}.models (name, task, recipe, created_at_ms, updated_at_ms)
      VALUES ($1, $2, $3, $4, $4) ON CONFLICT (name) DO UPDATE SET task = excluded.task, recipe = excluded.recipe, updated_at_ms = excluded.updated_at_ms
      RETURNING *`, [m.name, m.task, JSON.stringify(m.recipe), m.atMs]);
    return toModel(rows[0]!);
  }

  async getModel(name: string): Promise<ModelRecord | null> {
    const { rows } = await this.#db().query<ModelRow>('reading a model', `SELECT * FROM ${this.#s}.models WHERE name = $1`, [name]);
    return rows[0] ? toModel(rows[0]) : null;
  }

  async listModels(): Promise<ModelRecord[]> {
    const { rows } = await this.#db().query<ModelRow>('listing models', `SELECT * FROM ${this.#s}.models ORDER BY name`);
    return rows.map(toModel);
  }

  async createVersion(v: NewVersion): Promise<VersionRecord> {
    return this.#db().tx('creating a model version', async (c) => {
      const next = await c.query<{ last_version: number }>(`UPDATE ${this.#s}.models SET last_version = last_version + 1, updated_at_ms = $1
        WHERE name = $2 RETURNING last_version`, [v.createdAtMs, v.model]);
      const version = next.rows[0]?.last_version;
      if (version === undefined) throw new EdgehiveError('EH_NOT_FOUND', `model ${v.model} does not exist; create it (upsertModel) before its versions`, { model: v.model });
      const { rows } = await c.query<VersionRow>(`INSERT INTO ${this.#s}.model_versions (model, version, status, status_reason, job_id, created_at_ms,
        updated_at_ms, recipe, data_range, preprocess, metrics, variants, plan, lineage) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10, $11, $12, $13)
        RETURNING *`, [v.model, version, v.status, v.statusReason, v.jobId, v.createdAtMs, JSON.stringify(v.recipe), json(v.dataRange), json(v.preprocess),
        JSON.stringify(v.metrics), JSON.stringify(v.variants), JSON.stringify(v.plan), JSON.stringify(v.lineage)]);
      return toVersion(rows[0]!);
    });
  }

  async updateVersion(model: string, version: number, patch: VersionPatch, atMs: number): Promise<VersionRecord> {
    const args: unknown[] = [model, version, atMs];
    const sets: string[] = ['updated_at_ms = $3'];
    const set = (col: string, v: unknown) => { args.push(v); sets.push(`${col} = $${args.length}`); };
    for (const [col, v] of versionPatchColumns(patch)) set(col, v);
    const { rows } = await this.#db().query<VersionRow>('updating a model version',
      `UPDATE ${this.#s}.model_versions SET ${sets.join(', ')} WHERE model = $1 AND version = $2 RETURNING *`, args);
    if (!rows[0]) throw new EdgehiveError('EH_NOT_FOUND', `model ${model} has no version ${version}`, { model, version });
    return toVersion(rows[0]);
  }

  async getVersion(model: string, version: number): Promise<VersionRecord | null> {
    const { rows } = await this.#db().query<VersionRow>('reading a model version',
      `SELECT * FROM ${this.#s}.model_versions WHERE model = $1 AND version = $2`, [model, version]);
    return rows[0] ? toVersion(rows[0]) : null;
  }

  async listVersions(model: string): Promise<VersionRecord[]> {
    const { rows } = await this.#db().query<VersionRow>('listing model versions',
      `SELECT * FROM ${this.#s}.model_versions WHERE model = $1 ORDER BY version`, [model]);
    return rows.map(toVersion);
  }

  async failTrainingVersions(reason: string, atMs: number, jobId?: string): Promise<number> {
    const r = await this.#db().query('failing unfinished model versions', `UPDATE ${this.#s}.model_versions SET status = 'failed', status_reason = $1,
      updated_at_ms = $2 WHERE status = 'training' AND ($3::text IS NULL OR job_id = $3)`, [reason, atMs, jobId ?? null]);
    return r.rowCount ?? 0;
  }

  async putArtefact(model: string, version: number, a: Artefact): Promise<void> {
    await this.#db().query('recording a model artefact', `INSERT INTO ${this.#s}.model_artefacts (model, version, file, sha256, bytes, created_at_ms)
      VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (model, version, file)
      DO UPDATE SET sha256 = excluded.sha256, bytes = excluded.bytes, created_at_ms = excluded.created_at_ms`,
    [model, version, a.file, a.sha256, a.bytes, a.createdAtMs]);
  }

  async getArtefact(model: string, version: number, file: string): Promise<Artefact | null> {
    const { rows } = await this.#db().query<ArtefactRow>('reading a model artefact record',
      `SELECT file, sha256, bytes, created_at_ms FROM ${this.#s}.model_artefacts WHERE model = $1 AND version = $2 AND file = $3`, [model, version, file]);
    return rows[0] ? toArtefact(rows[0]) : null;
  }

  async listArtefacts(model: string, version: number): Promise<Artefact[]> {
    const { rows } = await this.#db().query<ArtefactRow>('listing model artefacts',
      `SELECT file, sha256, bytes, created_at_ms FROM ${this.#s}.model_artefacts WHERE model = $1 AND version = $2 ORDER BY file`, [model, version]);
    return rows.map(toArtefact);
  }

  async createJob(j: NewJob): Promise<Job> {
    try {
      const { rows } = await this.#db().query<JobRow>('creating a training job', `INSERT INTO ${this.#s}.jobs (id, model, state, recipe, data, actor, created_at_ms)
        VALUES ($1, $2, 'queued', $3, $4, $5, $6) RETURNING *`, [j.id, j.model, JSON.stringify(j.recipe), JSON.stringify(j.data), j.actor, j.createdAtMs]);
      return toJob(rows[0]!);
    } catch (e) {
      if (!(e instanceof EdgehiveError) || e.details?.code !== '23505') throw e;
      const active = await this.listJobs({ model: j.model, states: ['queued', 'running'], limit: 1 });
      throw activeJobConflict(j.model, active[0]?.id ?? '(unknown)');
    }
  }

  async updateJob(id: string, patch: JobPatch): Promise<Job> {
    const args: unknown[] = [id];
    const sets: string[] = [];
    const set = (col: string, v: unknown) => { args.push(v); sets.push(`${col} = $${args.length}`); };
    if (patch.state !== undefined) set('state', patch.state);
    if (patch.progress !== undefined) set('progress', json(patch.progress));
    if (patch.error !== undefined) set('error', json(patch.error));
    if (patch.version !== undefined) set('version', patch.version);
    if (patch.startedAtMs !== undefined) set('started_at_ms', patch.startedAtMs);
    if (patch.finishedAtMs !== undefined) set('finished_at_ms', patch.finishedAtMs);
    const sql = sets.length > 0
      ? `UPDATE ${this.#s}.jobs SET ${sets.join(', ')} WHERE id = $1 RETURNING *`
      : `SELECT * FROM ${this.#s}.jobs WHERE id = $1`;
    const { rows } = await this.#db().query<JobRow>('updating a training job', sql, args);
    if (!rows[0]) throw new EdgehiveError('EH_NOT_FOUND', `no training job ${id}`, { id });
    return toJob(rows[0]);
  }

  async getJob(id: string): Promise<Job | null> {
    const { rows } = await this.#db().query<JobRow>('reading a training job', `SELECT * FROM ${this.#s}.jobs WHERE id = $1`, [id]);
    return rows[0] ? toJob(rows[0]) : null;
  }

  async listJobs(q: JobQuery): Promise<Job[]> {
    const { rows } = await this.#db().query<JobRow>('listing training jobs', `SELECT * FROM ${this.#s}.jobs
      WHERE ($1::text IS NULL OR model = $1) AND ($2::text[] IS NULL OR state = ANY ($2))
      ORDER BY created_at_ms DESC, seq DESC LIMIT $3`, [q.model ?? null, q.states ? [...q.states] : null, q.limit]);
    return rows.map(toJob);
  }

  async failActiveJobs(error: JobError, atMs: number): Promise<string[]> {
    const { rows } = await this.#db().query<{ id: string }>('failing unfinished training jobs',
      `UPDATE ${this.#s}.jobs SET state = 'failed', error = $1, finished_at_ms = $2 WHERE state IN ('queued', 'running') RETURNING id`,
      [JSON.stringify(error), atMs]);
    return rows.map((r) => r.id);
  }
}

function toModel(r: ModelRow): ModelRecord {
  return { name: r.name, task: r.task, recipe: r.recipe, createdAtMs: r.created_at_ms, updatedAtMs: r.updated_at_ms, lastVersion: r.last_version };
}

function toVersion(r: VersionRow): VersionRecord {
  return {
    model: r.model, version: r.version, status: r.status, statusReason: r.status_reason, jobId: r.job_id,
    createdAtMs: r.created_at_ms, updatedAtMs: r.updated_at_ms, recipe: r.recipe, dataRange: r.data_range, preprocess: r.preprocess,
    metrics: r.metrics, variants: r.variants, plan: r.plan, lineage: r.lineage,
  };
}

function toArtefact(r: ArtefactRow): Artefact {
  return { file: r.file, sha256: r.sha256, bytes: r.bytes, createdAtMs: r.created_at_ms };
}

function toJob(r: JobRow): Job {
  return {
    id: r.id, model: r.model, state: r.state, recipe: r.recipe, data: r.data, progress: r.progress, error: r.error,
    version: r.version, actor: r.actor, createdAtMs: r.created_at_ms, startedAtMs: r.started_at_ms, finishedAtMs: r.finished_at_ms,
  };
}
