/**
 * Runs training jobs: persists each one, runs the injected pipeline for it, reports progress to
 * listeners (the API's GET and SSE) and records how it ended. One active job per model (the store
 * refuses a second), and at most `maxConcurrent` running at once on this hub, since training
 * takes the CPU; the rest wait `queued`.
 */
import { randomBytes } from 'node:crypto';
import { Value } from '@sinclair/typebox/value';
import { EdgehiveError, isEdgehiveError } from '../../shared/errors/index.ts';
import type { Logger } from '../../shared/log/logger.ts';
import type { Clock } from '../../shared/time/clock.ts';
import type { Recipe } from '../recipes/schema.ts';
import type { ModelRegistry } from '../registry/registry.ts';
import type { JobPatch, JobQuery } from '../store/model-store.ts';
import type { Store } from '../store/types.ts';
import { LatestWriter } from './latest-writer.ts';
import { JobProgressSchema, type DataSelector, type Job, type JobError, type JobProgress, type TrainingPipeline } from './schema.ts';

export type JobEventKind = 'state' | 'progress' | 'end';
export type JobListener = (kind: JobEventKind, job: Job) => void;

export interface JobManagerOptions {
  store: Store;
  registry: ModelRegistry;
  /** Null: training is not enabled on this hub, and start() refuses. */
  pipeline: TrainingPipeline | null;
  clock: Clock;
  logger: Logger;
  /** Jobs running at once on this hub. Default 1. */
  maxConcurrent?: number;
  /** How long close() waits for aborted pipelines to return. Default 10 s. */
  closeTimeoutMs?: number;
}

export const RESTART_ERROR: JobError = { code: 'EH_STATE', message: 'hub restarted while the job was queued or running; start the job again' };
const STOP_ERROR: JobError = { code: 'EH_STATE', message: 'the hub stopped while the job ran; start the job again' };

interface Live {
  job: Job;
  recipe: Recipe;
  readonly controller: AbortController;
  readonly listeners: Set<JobListener>;
  readonly done: Promise<Job>;
  resolve(j: Job): void;
  /** Set by cancel() or close(): how the job ends once its pipeline returns. */
  stop: { state: 'cancelled' | 'failed'; error: JobError } | null;
}

export class JobManager {
  readonly #o: Required<JobManagerOptions>;
  readonly #live = new Map<string, Live>();
  readonly #queue: string[] = [];
  #running = 0;
  #closed = false;

  constructor(opts: JobManagerOptions) {
    this.#o = { maxConcurrent: 1, closeTimeoutMs: 10_000, ...opts };
  }

  get enabled(): boolean {
    return this.#o.pipeline !== null;
  }

  /** At hub start: jobs a previous run left queued or running can never finish; mark them failed. */
  async recover(): Promise<string[]> {
    const ids = await this.#o.store.models.failActiveJobs(RESTART_ERROR, this.#o.clock.now());
    const versions = await this.#o.registry.failTrainingVersions('hub restarted while the version was training');
    if (ids.length > 0 || versions > 0) this.#o.logger.warn({ jobs: ids, versions }, 'marked jobs and versions left unfinished by the previous run as failed');
    return ids;
  }

  /** Accepts a job: EH_CONFLICT while the model has one queued or running, EH_STATE when training is not enabled. */
  async start(input: { recipe: Recipe; data: DataSelector; actor: string }): Promise<Job> {
    if (!this.#o.pipeline) throw new EdgehiveError('EH_STATE', 'training is not enabled on this hub: it was started without a training pipeline');
    if (this.#closed) throw new EdgehiveError('EH_STATE', 'the hub is stopping; start the job again once it is back');
    await this.#o.registry.ensureModel(input.recipe);
    const job = await this.#o.store.models.createJob({
      id: `job-${randomBytes(8).toString('hex')}`, model: input.recipe.name, recipe: input.recipe, data: input.data, actor: input.actor, createdAtMs: this.#o.clock.now(),
    });
    let resolve!: (j: Job) => void;
    const done = new Promise<Job>((r) => { resolve = r; });
    this.#live.set(job.id, { job, recipe: input.recipe, controller: new AbortController(), listeners: new Set(), done, resolve, stop: null });
    this.#queue.push(job.id);
    this.#pump();
    return job;
  }

  /** The job as it is now: live state for jobs of this hub, else the stored record. */
  async get(id: string): Promise<Job | null> {
    return this.#live.get(id)?.job ?? this.#o.store.models.getJob(id);
  }

  async list(q: JobQuery): Promise<Job[]> {
    const stored = await this.#o.store.models.listJobs(q);
    return stored.map((j) => this.#live.get(j.id)?.job ?? j);
  }

  /**
   * Calls `fn` on each change of a live job until it ends (the last call is 'end'). Returns the
   * job as it is at the moment of subscribing, or null when it is not live (finished, or unknown).
   */
  subscribe(id: string, fn: JobListener): { job: Job; unsubscribe: () => void } | null {
    const live = this.#live.get(id);
    if (!live) return null;
    live.listeners.add(fn);
    return { job: live.job, unsubscribe: () => { live.listeners.delete(fn); } };
  }

  /** Resolves with the job once it has ended. */
  async wait(id: string): Promise<Job> {
    const live = this.#live.get(id);
    if (live) return live.done;
    const j = await this.#o.store.models.getJob(id);
    if (!j) throw new EdgehiveError('EH_NOT_FOUND', `no training job ${id}`, { id });
    return j;
  }

  async cancel(id: string, actor: string): Promise<Job> {
    const live = this.#live.get(id);
    if (!live) {
      const j = await this.#o.store.models.getJob(id);
      if (!j) throw new EdgehiveError('EH_NOT_FOUND', `no training job ${id}; GET /api/v1/jobs lists them`, { id });
      throw new EdgehiveError('EH_STATE', `job ${id} has already ${j.state === 'cancelled' ? 'been cancelled' : j.state}`, { id, state: j.state });
    }
    live.stop ??= { state: 'cancelled', error: { code: 'EH_STATE', message: `cancelled by ${actor}` } };
    const queued = this.#queue.indexOf(id);
    if (queued >= 0) {
      this.#queue.splice(queued, 1);
      await this.#finish(live, null, null);
    } else {
      live.controller.abort(new EdgehiveError('EH_STATE', live.stop.error.message));
    }
    return live.done;
  }

  /** Aborts running pipelines, waits a while for them, and records every live job as failed. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const id of this.#queue.splice(0)) {
      const live = this.#live.get(id)!;
      live.stop ??= { state: 'failed', error: STOP_ERROR };
      await this.#finish(live, null, null);
    }
    const running = [...this.#live.values()];
    for (const live of running) {
      live.stop ??= { state: 'failed', error: STOP_ERROR };
      live.controller.abort(new EdgehiveError('EH_STATE', STOP_ERROR.message));
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((r) => { timer = setTimeout(r, this.#o.closeTimeoutMs); });
    await Promise.race([Promise.all(running.map((l) => l.done)), timeout]);
    clearTimeout(timer);
  }

  #pump(): void {
    while (!this.#closed && this.#running < this.#o.maxConcurrent && this.#queue.length > 0) {
      const live = this.#live.get(this.#queue.shift()!)!;
      this.#running++;
      void this.#run(live).catch((e: unknown) => this.#o.logger.error({ err: e, job: live.job.id }, 'training job bookkeeping failed')).finally(() => {
        this.#running--;
        this.#pump();
      });
    }
  }

  async #update(live: Live, patch: JobPatch, kind: JobEventKind): Promise<void> {
    live.job = { ...live.job, ...patch };
    this.#emit(live, kind);
    try {
      live.job = await this.#o.store.models.updateJob(live.job.id, patch);
    } catch (e) {
      // The next start marks a job the store still shows as running failed ("hub restarted").
      this.#o.logger.error({ err: e, job: live.job.id }, 'could not record a training job\'s state; it stays in memory');
    }
  }

  #emit(live: Live, kind: JobEventKind): void {
    for (const fn of live.listeners) {
      try {
        fn(kind, live.job);
      } catch (e) {
        this.#o.logger.warn({ err: e, job: live.job.id }, 'a job listener threw');
      }
    }
  }

  async #run(live: Live): Promise<void> {
    const { id, model } = live.job;
    const log = this.#o.logger.child({ job: id, model });
    const progress = new LatestWriter<JobProgress>(
      async (p) => { await this.#o.store.models.updateJob(id, { progress: p }); },
      (e) => log.warn({ err: e }, 'could not record job progress'),
    );
    await this.#update(live, { state: 'running', startedAtMs: this.#o.clock.now() }, 'state');
    log.info('training job started');
    let version: number | null = null;
    let error: JobError | null = null;
    try {
      const out = await Promise.resolve().then(() => this.#o.pipeline!({
        jobId: id, model, recipe: live.recipe, dataSelector: live.job.data,
        registry: this.#o.registry.forJob(id), store: this.#o.store, clock: this.#o.clock, logger: log,
        signal: live.controller.signal,
        onProgress: (p) => {
          if (live.job.finishedAtMs !== null) return;
          // Extra fields (a TrainProgress spread in) are dropped; a wrong one is ignored, not fatal.
          const clean = Value.Clean(JobProgressSchema, Value.Clone(p));
          if (!Value.Check(JobProgressSchema, clean)) {
            log.warn({ progress: p }, 'the pipeline reported progress that does not match JobProgressSchema; ignored');
            return;
          }
          live.job = { ...live.job, progress: clean };
          this.#emit(live, 'progress');
          progress.push(live.job.progress!);
        },
      }));
      await this.#o.registry.getVersion(model, out.version);
      version = out.version;
    } catch (e) {
      error = isEdgehiveError(e) ? { code: e.code, message: e.message } : { code: 'EH_TRAINING_FAILED', message: (e as Error)?.message ?? String(e) };
      if (!live.stop) log.warn({ err: e }, 'training job failed');
    }
    await progress.flush();
    await this.#finish(live, version, error);
  }

  /** Records the end: `stop` (cancel/close) wins over what the pipeline did; then tells listeners and forgets the job. */
  async #finish(live: Live, version: number | null, error: JobError | null): Promise<void> {
    const stop = live.stop;
    const state = stop && version === null ? stop.state : error ? 'failed' : version !== null ? 'succeeded' : 'failed';
    const err = state === 'succeeded' ? null : stop && version === null ? stop.error : error ?? { code: 'EH_TRAINING_FAILED', message: 'the pipeline returned no version' };
    if (state !== 'succeeded') {
      await this.#o.registry.failTrainingVersions(`job ${live.job.id} ${state}: ${err!.message}`, live.job.id)
        .catch((e: unknown) => this.#o.logger.warn({ err: e, job: live.job.id }, 'could not mark the job\'s versions failed'));
    }
    await this.#update(live, { state, error: err, version, finishedAtMs: this.#o.clock.now() }, 'end');
    this.#o.logger.info({ job: live.job.id, model: live.job.model, state, version, error: err }, 'training job ended');
    this.#live.delete(live.job.id);
    live.listeners.clear();
    live.resolve(live.job);
  }
}
