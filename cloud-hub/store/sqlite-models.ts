/**
 * ModelStore on the embedded SQLite database: models, versions, artefact records and jobs.
 * Structured fields are JSON text. A partial unique index lets the database itself refuse a
 * second active job for a model.
 */
import type Database from 'better-sqlite3';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Job, JobError } from '../jobs/schema.ts';
import type { Artefact } from '../registry/schema.ts';
import {
  activeJobConflict, type JobPatch, type JobQuery, type ModelRecord, type ModelStore, type NewJob, type NewVersion, type VersionPatch, versionPatchColumns,
  type VersionRecord,
} from './model-store.ts';

export const SQLITE_MODELS_SQL = `
CREATE TABLE IF NOT EXISTS models (
  name          TEXT PRIMARY KEY,
  task          TEXT NOT NULL,
  recipe        TEXT NOT NULL,          -- JSON: the recipe last accepted for training
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  last_version  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS model_versions (
  model         TEXT NOT NULL REFERENCES models (name),
  version       INTEGER NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('training', 'ready', 'failed', 'rejected')),
  status_reason TEXT,
  job_id        TEXT,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  recipe        TEXT NOT NULL,
  data_range    TEXT,
  preprocess    TEXT,
  metrics       TEXT NOT NULL,
  variants      TEXT NOT NULL,
  plan          TEXT NOT NULL,
  lineage       TEXT NOT NULL,
  PRIMARY KEY (model, version)
);
CREATE INDEX IF NOT EXISTS model_versions_training ON model_versions (job_id) WHERE status = 'training';

CREATE TABLE IF NOT EXISTS model_artefacts (
  model         TEXT NOT NULL,
  version       INTEGER NOT NULL,
  file          TEXT NOT NULL,
  sha256        TEXT NOT NULL,
  bytes         INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  PRIMARY KEY (model, version, file),
  FOREIGN KEY (model, version) REFERENCES model_versions (model, version)
);

CREATE TABLE IF NOT EXISTS jobs (
  id             TEXT PRIMARY KEY,
  model          TEXT NOT NULL REFERENCES models (name),
  state          TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  recipe         TEXT NOT NULL,
  data           TEXT NOT NULL,
  progress       TEXT,
  error          TEXT,
  version        INTEGER,
  actor          TEXT NOT NULL,
  created_at_ms  INTEGER NOT NULL,
  started_at_ms  INTEGER,
  finished_at_ms INTEGER
);
CREATE INDEX IF NOT EXISTS jobs_by_model ON jobs (model, created_at_ms);
CREATE UNIQUE INDEX IF NOT EXISTS jobs_one_active_per_model ON jobs (model) WHERE state IN ('queued', 'running');
`;

interface ModelRow { name: string; task: string; recipe: string; created_at_ms: number; updated_at_ms: number; last_version: number }
interface VersionRow {
  model: string; version: number; status: VersionRecord['status']; status_reason: string | null; job_id: string | null;
  created_at_ms: number; updated_at_ms: number; recipe: string; data_range: string | null; preprocess: string | null;
  metrics: string; variants: string; plan: string; lineage: string;
}
interface ArtefactRow { file: string; sha256: string; bytes: number; created_at_ms: number }
interface JobRow {
  id: string; model: string; state: Job['state']; recipe: string; data: string; progress: string | null; error: string | null;
  version: number | null; actor: string; created_at_ms: number; started_at_ms: number | null; finished_at_ms: number | null;
}

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));
const parse = <T>(s: string | null): T => (s === null ? null : JSON.parse(s)) as T;

export class SqliteModelStore implements ModelStore {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  async upsertModel(m: { name: string; task: string; recipe: unknown; atMs: number }): Promise<ModelRecord> {
    this.#db.prepare(`INSERT INTO models (name, task, recipe, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (name) DO UPDATE SET task = excluded.task, recipe = excluded.recipe, updated_at_ms = excluded.updated_at_ms`)
      .run(m.name, m.task, JSON.stringify(m.recipe), m.atMs, m.atMs);
    return (await this.getModel(m.name))!;
  }

  async getModel(name: string): Promise<ModelRecord | null> {
    const row = this.#db.prepare('SELECT * FROM models WHERE name = ?').get(name) as ModelRow | undefined;
    return row ? toModel(row) : null;
  }

  async listModels(): Promise<ModelRecord[]> {
    return (this.#db.prepare('SELECT * FROM models ORDER BY name').all() as ModelRow[]).map(toModel);
  }

  async createVersion(v: NewVersion): Promise<VersionRecord> {
    return this.#db.transaction(() => {
      const next = this.#db.prepare('UPDATE models SET last_version = last_version + 1, updated_at_ms = ? WHERE name = ? RETURNING last_version')
        .get(v.createdAtMs, v.model) as { last_version: number } | undefined;
      if (!next) throw new EdgehiveError('EH_NOT_FOUND', `model ${v.model} does not exist; create it (upsertModel) before its versions`, { model: v.model });
      this.#db.prepare(`INSERT INTO model_versions (model, version, status, status_reason, job_id, created_at_ms, updated_at_ms, recipe,
        data_range, preprocess, metrics, variants, plan, lineage) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(v.model, next.last_version, v.status, v.statusReason, v.jobId, v.createdAtMs, v.createdAtMs, JSON.stringify(v.recipe),
          json(v.dataRange), json(v.preprocess), JSON.stringify(v.metrics), JSON.stringify(v.variants), JSON.stringify(v.plan), JSON.stringify(v.lineage));
      return this.#getVersion(v.model, next.last_version)!;
    })();
  }

  async updateVersion(model: string, version: number, patch: VersionPatch, atMs: number): Promise<VersionRecord> {
    const sets: string[] = ['updated_at_ms = ?'];
    const args: unknown[] = [atMs];
    const set = (col: string, v: unknown) => { sets.push(`${col} = ?`); args.push(v); };
    for (const [col, v] of versionPatchColumns(patch)) set(col, v);
    const r = this.#db.prepare(`UPDATE model_versions SET ${sets.join(', ')} WHERE model = ? AND version = ?`).run(...args, model, version);
    if (r.changes === 0) throw new EdgehiveError('EH_NOT_FOUND', `model ${model} has no version ${version}`, { model, version });
    return this.#getVersion(model, version)!;
  }

  async getVersion(model: string, version: number): Promise<VersionRecord | null> {
    return this.#getVersion(model, version);
  }

  #getVersion(model: string, version: number): VersionRecord | null {
    const row = this.#db.prepare('SELECT * FROM model_versions WHERE model = ? AND version = ?').get(model, version) as VersionRow | undefined;
    return row ? toVersion(row) : null;
  }

  async listVersions(model: string): Promise<VersionRecord[]> {
    return (this.#db.prepare('SELECT * FROM model_versions WHERE model = ? ORDER BY version').all(model) as VersionRow[]).map(toVersion);
  }

  async failTrainingVersions(reason: string, atMs: number, jobId?: string): Promise<number> {
    const r = this.#db.prepare(`UPDATE model_versions SET status = 'failed', status_reason = ?, updated_at_ms = ?
      WHERE status = 'training' AND (? IS NULL OR job_id = ?)`).run(reason, atMs, jobId ?? null, jobId ?? null);
    return r.changes;
  }

  async putArtefact(model: string, version: number, a: Artefact): Promise<void> {
    this.#db.prepare(`INSERT INTO model_artefacts (model, version, file, sha256, bytes, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (model, version, file) DO UPDATE SET sha256 = excluded.sha256, bytes = excluded.bytes, created_at_ms = excluded.created_at_ms`)
      .run(model, version, a.file, a.sha256, a.bytes, a.createdAtMs);
  }

  async getArtefact(model: string, version: number, file: string): Promise<Artefact | null> {
    const row = this.#db.prepare('SELECT file, sha256, bytes, created_at_ms FROM model_artefacts WHERE model = ? AND version = ? AND file = ?')
      .get(model, version, file) as ArtefactRow | undefined;
    return row ? toArtefact(row) : null;
  }

  async listArtefacts(model: string, version: number): Promise<Artefact[]> {
    return (this.#db.prepare('SELECT file, sha256, bytes, created_at_ms FROM model_artefacts WHERE model = ? AND version = ? ORDER BY file')
      .all(model, version) as ArtefactRow[]).map(toArtefact);
  }

  async createJob(j: NewJob): Promise<Job> {
    return this.#db.transaction(() => {
      const active = this.#db.prepare("SELECT id FROM jobs WHERE model = ? AND state IN ('queued', 'running')").get(j.model) as { id: string } | undefined;
      if (active) throw activeJobConflict(j.model, active.id);
      this.#db.prepare('INSERT INTO jobs (id, model, state, recipe, data, actor, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(j.id, j.model, 'queued', JSON.stringify(j.recipe), JSON.stringify(j.data), j.actor, j.createdAtMs);
      return this.#getJob(j.id)!;
    })();
  }

  async updateJob(id: string, patch: JobPatch): Promise<Job> {
    const sets: string[] = [];
    const args: unknown[] = [];
    const set = (col: string, v: unknown) => { sets.push(`${col} = ?`); args.push(v); };
    if (patch.state !== undefined) set('state', patch.state);
    if (patch.progress !== undefined) set('progress', json(patch.progress));
    if (patch.error !== undefined) set('error', json(patch.error));
    if (patch.version !== undefined) set('version', patch.version);
    if (patch.startedAtMs !== undefined) set('started_at_ms', patch.startedAtMs);
    if (patch.finishedAtMs !== undefined) set('finished_at_ms', patch.finishedAtMs);
    if (sets.length > 0) this.#db.prepare(`UPDATE jobs SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
    const job = this.#getJob(id);
    if (!job) throw new EdgehiveError('EH_NOT_FOUND', `no training job ${id}`, { id });
    return job;
  }

  async getJob(id: string): Promise<Job | null> {
    return this.#getJob(id);
  }

  #getJob(id: string): Job | null {
    const row = this.#db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  async listJobs(q: JobQuery): Promise<Job[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.model !== undefined) { where.push('model = ?'); args.push(q.model); }
    if (q.states !== undefined) { where.push(`state IN (${q.states.map(() => '?').join(', ') || 'NULL'})`); args.push(...q.states); }
    const sql = `SELECT * FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at_ms DESC, rowid DESC LIMIT ?`;
    return (this.#db.prepare(sql).all(...args, q.limit) as JobRow[]).map(toJob);
  }

  async failActiveJobs(error: JobError, atMs: number): Promise<string[]> {
    const rows = this.#db.prepare(`UPDATE jobs SET state = 'failed', error = ?, finished_at_ms = ? WHERE state IN ('queued', 'running') RETURNING id`)
      .all(JSON.stringify(error), atMs) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }
}

function toModel(r: ModelRow): ModelRecord {
  return { name: r.name, task: r.task, recipe: JSON.parse(r.recipe), createdAtMs: r.created_at_ms, updatedAtMs: r.updated_at_ms, lastVersion: r.last_version };
}

function toVersion(r: VersionRow): VersionRecord {
  return {
    model: r.model, version: r.version, status: r.status, statusReason: r.status_reason, jobId: r.job_id,
    createdAtMs: r.created_at_ms, updatedAtMs: r.updated_at_ms, recipe: JSON.parse(r.recipe),
    dataRange: parse(r.data_range), preprocess: parse(r.preprocess), metrics: JSON.parse(r.metrics),
    variants: JSON.parse(r.variants), plan: JSON.parse(r.plan), lineage: JSON.parse(r.lineage),
  };
}

function toArtefact(r: ArtefactRow): Artefact {
  return { file: r.file, sha256: r.sha256, bytes: r.bytes, createdAtMs: r.created_at_ms };
}

function toJob(r: JobRow): Job {
  return {
    id: r.id, model: r.model, state: r.state, recipe: JSON.parse(r.recipe), data: JSON.parse(r.data),
    progress: parse(r.progress), error: parse(r.error), version: r.version, actor: r.actor,
    createdAtMs: r.created_at_ms, startedAtMs: r.started_at_ms, finishedAtMs: r.finished_at_ms,
  };
}
