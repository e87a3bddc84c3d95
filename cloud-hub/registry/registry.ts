/**
 * The model registry: models, their numbered versions (recipe, data range, preprocessing spec,
 * metrics, variants, per-profile plan, lineage) and the artefact files of each version. A version
 * is created `training` when a job starts it and completed once (`ready`, `rejected` or
 * `failed`); after that only its artefacts can be read.
 */
import { parseWithSchema } from '../../shared/config/validate.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Clock } from '../../shared/time/clock.ts';
import type { Recipe } from '../recipes/schema.ts';
import type { ModelRecord, ModelStore, VersionRecord } from '../store/model-store.ts';
import type { ArtefactFiles } from './artefact-files.ts';
import {
  CompleteVersionSchema, DataRangeSchema, type Artefact, type CompleteVersion, type DataRange, type ModelSummary, type ModelVersion, type Variant,
} from './schema.ts';

export interface NewVersionInput {
  recipe: Recipe;
  dataRange?: DataRange | null;
  parentVersion?: number;
}

/** Everything at once: what a pipeline that has finished hands over in its `register` stage. */
export interface RegisterInput extends NewVersionInput {
  /** File name → bytes: the ONNX variants, preprocess.json, graph.json, ... */
  files: Record<string, Uint8Array>;
  complete: CompleteVersion;
}

export interface RegistryOptions { store: ModelStore; files: ArtefactFiles; clock: Clock }

export class ModelRegistry {
  readonly #store: ModelStore;
  readonly #files: ArtefactFiles;
  readonly #clock: Clock;

  constructor(opts: RegistryOptions) {
    this.#store = opts.store;
    this.#files = opts.files;
    this.#clock = opts.clock;
  }

  /** Creates the model from its recipe, or records the recipe as its latest. A model keeps its task. */
  async ensureModel(recipe: Recipe): Promise<ModelRecord> {
    const existing = await this.#store.getModel(recipe.name);
    if (existing && existing.task !== recipe.task) {
      throw new EdgehiveError('EH_CONFLICT', `model ${recipe.name} is a ${existing.task} model; a ${recipe.task} recipe needs another model name`, { model: recipe.name, task: existing.task });
    }
    return this.#store.upsertModel({ name: recipe.name, task: recipe.task, recipe, atMs: this.#clock.now() });
  }

  async getModel(name: string): Promise<ModelRecord | null> {
    return this.#store.getModel(name);
  }

  async #model(name: string): Promise<ModelRecord> {
    const m = await this.#store.getModel(name);
    if (!m) throw new EdgehiveError('EH_NOT_FOUND', `model ${name} is not in the registry; GET /api/v1/models lists those that are, and POST /api/v1/models/${name}/train with a recipe creates it`, { model: name });
    return m;
  }

  async listModels(): Promise<ModelSummary[]> {
    const out: ModelSummary[] = [];
    for (const m of await this.#store.listModels()) {
      const latest = m.lastVersion > 0 ? await this.#store.getVersion(m.name, m.lastVersion) : null;
      out.push({
        name: m.name, task: m.task, createdAtMs: m.createdAtMs, updatedAtMs: m.updatedAtMs, versions: m.lastVersion,
        latest: latest && {
          version: latest.version, status: latest.status, createdAtMs: latest.createdAtMs, metrics: latest.metrics,
          variants: latest.variants.map((v) => ({ variant: v.variant, accepted: v.accepted, bytes: v.bytes })),
        },
      });
    }
    return out;
  }

  async listVersions(name: string): Promise<ModelVersion[]> {
    await this.#model(name);
    const versions = await this.#store.listVersions(name);
    return Promise.all(versions.map((v) => this.#withArtefacts(v)));
  }

  async getVersion(name: string, version: number): Promise<ModelVersion> {
    const v = await this.#store.getVersion(name, version);
    if (!v) {
      await this.#model(name);
      throw new EdgehiveError('EH_NOT_FOUND', `model ${name} has no version ${version}; GET /api/v1/models/${name}/versions lists them`, { model: name, version });
    }
    return this.#withArtefacts(v);
  }

  async #withArtefacts(v: VersionRecord): Promise<ModelVersion> {
    return { ...v, artefacts: await this.#store.listArtefacts(v.model, v.version) };
  }

  /** A new version, `training`, numbered after the model's last. */
  async createVersion(input: NewVersionInput, jobId: string | null = null): Promise<ModelVersion> {
    const dataRange = input.dataRange ? parseWithSchema(DataRangeSchema, input.dataRange, 'data range', 'EH_BAD_REQUEST') : null;
    await this.ensureModel(input.recipe);
    const v = await this.#store.createVersion({
      model: input.recipe.name, status: 'training', statusReason: null, jobId, createdAtMs: this.#clock.now(),
      recipe: input.recipe, dataRange, preprocess: null, metrics: {}, variants: [], plan: [],
      lineage: { trainingJobId: jobId, dataRange, ...(input.parentVersion ? { parentVersion: input.parentVersion } : {}), quantisation: null },
    });
    return { ...v, artefacts: [] };
  }

  /** Stores one file of a version (atomically, on disk) and records its hash. */
  async writeArtefact(model: string, version: number, file: string, bytes: Uint8Array): Promise<Artefact> {
    const v = await this.#store.getVersion(model, version);
    if (!v) throw new EdgehiveError('EH_NOT_FOUND', `model ${model} has no version ${version} to add ${file} to`, { model, version });
    if (v.status !== 'training') throw new EdgehiveError('EH_STATE', `model ${model} version ${version} is ${v.status}; a finished version's files cannot change`, { model, version });
    const written = await this.#files.write(model, version, file, bytes);
    const a: Artefact = { file, ...written, createdAtMs: this.#clock.now() };
    await this.#store.putArtefact(model, version, a);
    return a;
  }

  /** Finishes a `training` version: status, metrics, variants (files must be written first), plan, lineage. */
  async completeVersion(model: string, version: number, input: CompleteVersion): Promise<ModelVersion> {
    const c = parseWithSchema(CompleteVersionSchema, input, `completion of ${model} version ${version}`, 'EH_BAD_REQUEST');
    const v = await this.#store.getVersion(model, version);
    if (!v) throw new EdgehiveError('EH_NOT_FOUND', `model ${model} has no version ${version}`, { model, version });
    if (v.status !== 'training') throw new EdgehiveError('EH_STATE', `model ${model} version ${version} is already ${v.status}`, { model, version });
    const variants: Variant[] = [];
    for (const vi of c.variants ?? []) {
      const a = await this.#store.getArtefact(model, version, vi.file);
      if (!a) throw new EdgehiveError('EH_STATE', `variant ${vi.variant} names ${vi.file}, which ${model} version ${version} has not stored; write the artefact first`, { file: vi.file });
      variants.push({ ...vi, sha256: a.sha256, bytes: a.bytes });
    }
    const dataRange = c.dataRange ?? v.dataRange;
    const updated = await this.#store.updateVersion(model, version, {
      status: c.status,
      statusReason: c.statusReason ?? null,
      dataRange,
      ...(c.preprocess !== undefined ? { preprocess: c.preprocess } : {}),
      ...(c.metrics ? { metrics: c.metrics } : {}),
      ...(c.variants ? { variants } : {}),
      ...(c.plan ? { plan: c.plan } : {}),
      lineage: {
        ...v.lineage, dataRange,
        ...(c.parentVersion ? { parentVersion: c.parentVersion } : {}),
        ...(c.quantisation ? { quantisation: c.quantisation } : {}),
      },
    }, this.#clock.now());
    return this.#withArtefacts(updated);
  }

  /** createVersion + writeArtefact for each file + completeVersion. */
  async register(input: RegisterInput, jobId: string | null = null): Promise<ModelVersion> {
    const v = await this.createVersion(input, jobId);
    try {
      for (const [file, bytes] of Object.entries(input.files)) await this.writeArtefact(v.model, v.version, file, bytes);
      return await this.completeVersion(v.model, v.version, input.complete);
    } catch (e) {
      await this.failVersion(v.model, v.version, `registering failed: ${(e as Error).message}`).catch(() => undefined);
      throw e;
    }
  }

  /** Marks a `training` version failed (a finished one is left as it is). */
  async failVersion(model: string, version: number, reason: string): Promise<void> {
    const v = await this.#store.getVersion(model, version);
    if (v?.status === 'training') await this.#store.updateVersion(model, version, { status: 'failed', statusReason: reason }, this.#clock.now());
  }

  /** Versions a job left `training` (it failed, or the hub stopped under it). */
  async failTrainingVersions(reason: string, jobId?: string): Promise<number> {
    return this.#store.failTrainingVersions(reason, this.#clock.now(), jobId);
  }

  /** A file of a version, checked against its recorded sha256. */
  async readArtefact(model: string, version: number, file: string): Promise<{ artefact: Artefact; bytes: Buffer }> {
    const a = await this.#store.getArtefact(model, version, file);
    if (!a) {
      const v = await this.getVersion(model, version);
      throw new EdgehiveError('EH_NOT_FOUND', `model ${model} version ${version} has no artefact ${file}; it has ${v.artefacts.map((x) => x.file).join(', ') || 'none'}`, { model, version, file });
    }
    return { artefact: a, bytes: await this.#files.read(model, version, file, a.sha256) };
  }

  forJob(jobId: string): JobRegistry {
    return new JobRegistry(this, jobId);
  }
}

/** The registry as a pipeline sees it: versions it creates carry its job's id. */
export class JobRegistry {
  readonly jobId: string;
  readonly #r: ModelRegistry;

  constructor(registry: ModelRegistry, jobId: string) {
    this.#r = registry;
    this.jobId = jobId;
  }

  createVersion(input: NewVersionInput): Promise<ModelVersion> { return this.#r.createVersion(input, this.jobId); }
  writeArtefact(model: string, version: number, file: string, bytes: Uint8Array): Promise<Artefact> { return this.#r.writeArtefact(model, version, file, bytes); }
  completeVersion(model: string, version: number, c: CompleteVersion): Promise<ModelVersion> { return this.#r.completeVersion(model, version, c); }
  register(input: RegisterInput): Promise<ModelVersion> { return this.#r.register(input, this.jobId); }
  getVersion(model: string, version: number): Promise<ModelVersion> { return this.#r.getVersion(model, version); }
  listVersions(model: string): Promise<ModelVersion[]> { return this.#r.listVersions(model); }
  readArtefact(model: string, version: number, file: string): Promise<{ artefact: Artefact; bytes: Buffer }> { return this.#r.readArtefact(model, version, file); }
}
