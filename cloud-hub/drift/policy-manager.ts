/**
 * Runs the drift policies (policy.ts): re-evaluates a model's groups when drift reports are
 * committed (`noteReports`, fed by the ingest) and on an unref'd timer, and on a trigger starts a
 * training job on the group's recent data (actor `drift-policy`), audits `drift.trigger` and
 * records the cool-down. node-cron runs scheduled retraining (`drift.scheduled-retrain`) on the
 * hub's wall clock; everything else reads the injected clock, so the simulator runs fleet time.
 *
 * Overrides and the last trigger live in store.driftPolicies, so a restart keeps the cool-down.
 * Only reports the hub received after the last trigger count: the drift that started a job is
 * not evidence for a second one once the cool-down ends.
 *
 * `onChallenger` says a triggered job registered a version; the hub hands it to the shadow
 * manager (cloud-hub/shadow), which compares it with the champion and promotes or retires it.
 */
import cron from 'node-cron';
import { EdgehiveError, isEdgehiveError } from '../../shared/errors/index.ts';
import type { Logger } from '../../shared/log/logger.ts';
import type { Clock } from '../../shared/time/clock.ts';
import type { JobManager } from '../jobs/job-manager.ts';
import { parseRecipe } from '../recipes/validate.ts';
import type { Recipe } from '../recipes/schema.ts';
import type { ModelRegistry } from '../registry/registry.ts';
import type { DriftPolicyStore, DriftTriggerRecord } from '../store/drift-policy-store.ts';
import type { Store } from '../store/types.ts';
import { evaluateDrift, type GroupVerdict } from './evaluate.ts';
import { mergePolicy, parsePolicyPatch, type DriftPolicy, type DriftPolicyPatch } from './policy.ts';

export const POLICY_ACTOR = 'drift-policy';
/** Drift rows read per evaluation at most (newest first). */
export const MAX_ROWS = 50_000;

/** Per model: the API override and the last trigger (implemented by store.driftPolicies). */
export type DriftPolicyState = DriftPolicyStore;

export interface LastTrigger { atMs: number; group: string; jobId: string | null; verdict: GroupVerdict }

export interface DriftStatus {
  model: string;
  policy: DriftPolicy;
  /** The latest evaluation of this hub process; empty until the model's first one. */
  verdicts: GroupVerdict[];
  evaluatedAtMs: number | null;
  lastTrigger: LastTrigger | null;
  cooldownUntilMs: number | null;
}

/** The effective policy and where its fields come from, later winning. */
export interface PolicySources {
  model: string;
  policy: DriftPolicy;
  defaults: DriftPolicy;
  recipe: DriftPolicyPatch | null;
  override: DriftPolicyPatch | null;
}

export interface ChallengerEvent { model: string; version: number; jobId: string; group: string }

export interface PolicyManagerDeps {
  store: Store;
  registry: ModelRegistry;
  jobs: Pick<JobManager, 'start' | 'subscribe'>;
  state: DriftPolicyState;
  clock: Clock;
  logger: Logger;
  /** Timer re-evaluation of every model; 0 turns it off. Default 30 s. */
  intervalMs?: number;
}

export class DriftPolicyManager {
  readonly #d: PolicyManagerDeps;
  readonly #evaluated = new Map<string, { verdicts: GroupVerdict[]; atMs: number }>();
  readonly #dirty = new Set<string>();
  readonly #listeners = new Set<(e: ChallengerEvent) => void>();
  readonly #crons = new Map<string, { expr: string; task: cron.ScheduledTask }>();
  #timer: NodeJS.Timeout | null = null;
  /** The one evaluation pass under way: passes never overlap, so two cannot both trigger a model. */
  #running: Promise<void> | null = null;
  #sweep = false;
  #started = false;
  #closed = false;

  constructor(deps: PolicyManagerDeps) {
    this.#d = deps;
  }

  /** Installs the schedules and the timer, and evaluates what was noted before. */
  async start(): Promise<void> {
    if (this.#started || this.#closed) return;
    this.#started = true;
    await this.refreshSchedules();
    const every = this.#d.intervalMs ?? 30_000;
    if (every > 0) {
      this.#timer = setInterval(() => { this.#sweep = true; this.#kick(); }, every);
      this.#timer.unref();
    }
    this.#kick();
  }

  /** Models of committed drift rows: evaluated on the next turn (noted only, before start()). */
  noteReports(models: Iterable<string>): void {
    for (const m of models) if (m !== '') this.#dirty.add(m);
    this.#kick();
  }

  /** Resolves once no evaluation is under way or waiting (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  onChallenger(fn: (e: ChallengerEvent) => void): () => void {
    this.#listeners.add(fn);
    return () => { this.#listeners.delete(fn); };
  }

  /** The model's policy and its sources: defaults, its recipe's driftPolicy, the API override. */
  async sources(model: string): Promise<PolicySources> {
    const recipe = (await this.#recipe(model)).driftPolicy ?? null;
    const override = await this.#override(model);
    return { model, policy: mergePolicy(recipe, override), defaults: mergePolicy(), recipe, override };
  }

  async policyOf(model: string): Promise<DriftPolicy> {
    return (await this.sources(model)).policy;
  }

  /** Replaces the model's override (null or {}: none), audited as `drift-policy.set`. */
  async setOverride(model: string, patch: DriftPolicyPatch | null, actor: string): Promise<PolicySources> {
    const checked = patch === null || Object.keys(patch).length === 0 ? null : parsePolicyPatch(patch, 'drift policy');
    if (checked?.schedule && !cron.validate(checked.schedule)) {
      throw new EdgehiveError('EH_BAD_REQUEST', `drift policy: /schedule ${JSON.stringify(checked.schedule)} is not a cron expression (e.g. "0 3 * * 0")`);
    }
    await this.#recipe(model); // the model must exist
    const now = this.#d.clock.now();
    await this.#d.state.setOverride(model, checked, now);
    await this.#d.store.appendAudit({ atMs: now, actor, action: 'drift-policy.set', target: model, details: { override: checked } });
    await this.refreshSchedules();
    return this.sources(model);
  }

  async status(model: string): Promise<DriftStatus> {
    const policy = await this.policyOf(model);
    const trigger = (await this.#d.state.get(model))?.trigger ?? null;
    const e = this.#evaluated.get(model);
    return { model, policy, verdicts: e?.verdicts ?? [], evaluatedAtMs: e?.atMs ?? null, lastTrigger: lastOf(trigger), cooldownUntilMs: trigger?.untilMs ?? null };
  }

  /** Evaluates one model now; starts at most one job (the first triggering group). */
  async evaluate(model: string): Promise<DriftStatus> {
    const policy = await this.policyOf(model);
    const now = this.#d.clock.now();
    let trigger = (await this.#d.state.get(model))?.trigger ?? null;
    const lookback = Math.max(policy.trainingWindowMs, policy.cooldownMs);
    const after = trigger?.atMs ?? Number.NEGATIVE_INFINITY;
    const rows = (await this.#d.store.drift.queryDrift({ model, fromMs: now - lookback, limit: MAX_ROWS })).filter((r) => r.receivedMs > after);
    const groups = new Map<string, string | null>();
    for (const dev of new Set(rows.map((r) => r.device))) groups.set(dev, (await this.#d.store.getDevice(dev))?.group ?? null);
    const verdicts = evaluateDrift({ rows, groupOf: (dv) => groups.get(dv) ?? null, policy, nowMs: now, cooldownUntilMs: trigger?.untilMs ?? null });
    this.#evaluated.set(model, { verdicts, atMs: now });
    const hit = verdicts.find((v) => v.trigger);
    if (hit) trigger = await this.#trigger(model, policy, hit);
    return { model, policy, verdicts, evaluatedAtMs: now, lastTrigger: lastOf(trigger), cooldownUntilMs: trigger?.untilMs ?? null };
  }

  async #trigger(model: string, policy: DriftPolicy, v: GroupVerdict): Promise<DriftTriggerRecord> {
    const now = this.#d.clock.now();
    const recipe = await this.#recipe(model);
    let jobId: string | null = null;
    let noJob: string | null = null;
    try {
      const job = await this.#d.jobs.start({ recipe, data: { group: v.group, fromMs: now - policy.trainingWindowMs }, actor: POLICY_ACTOR });
      jobId = job.id;
      this.#watch(model, job.id, v.group);
    } catch (e) {
      // A job already running for the model trains on recent data anyway; a hub without training
      // cannot start one. Either way the cool-down starts, or every report would try again.
      if (!isEdgehiveError(e) || (e.code !== 'EH_CONFLICT' && e.code !== 'EH_STATE')) throw e;
      noJob = `${e.code}: ${e.message}`;
      this.#d.logger.warn({ model, code: e.code, err: e.message }, 'drift trigger: no job started');
    }
    const t: DriftTriggerRecord = { atMs: now, untilMs: now + policy.cooldownMs, group: v.group, jobId, verdict: { ...v } };
    await this.#d.state.setTrigger(model, t, now);
    await this.#d.store.appendAudit({ atMs: now, actor: POLICY_ACTOR, action: 'drift.trigger', target: model, details: { verdict: v, jobId, cooldownUntilMs: t.untilMs, ...(noJob ? { noJob } : {}) } });
    this.#d.logger.info({ model, group: v.group, drifting: v.drifting, share: v.share, jobId }, 'drift policy triggered retraining');
    return t;
  }

  #watch(model: string, jobId: string, group: string): void {
    const sub = this.#d.jobs.subscribe(jobId, (kind, job) => {
      if (kind !== 'end') return;
      sub?.unsubscribe();
      if (job.state === 'succeeded' && job.version !== null) {
        for (const fn of this.#listeners) fn({ model, version: job.version, jobId, group });
      }
    });
  }

  /** (Re)installs node-cron tasks for the models whose policy has a schedule. */
  async refreshSchedules(): Promise<void> {
    const want = new Map<string, string>();
    for (const m of await this.#d.registry.listModels()) {
      const p = await this.policyOf(m.name).catch((e: unknown) => {
        this.#d.logger.warn({ model: m.name, err: e }, 'drift policy unreadable; no scheduled retraining for the model');
        return null;
      });
      if (p?.enabled && p.schedule) want.set(m.name, p.schedule);
    }
    for (const [name, c] of this.#crons) {
      if (want.get(name) !== c.expr) { c.task.stop(); this.#crons.delete(name); }
    }
    for (const [name, expr] of want) {
      if (this.#crons.has(name) || this.#closed) continue;
      if (!cron.validate(expr)) { this.#d.logger.error({ model: name, schedule: expr }, 'drift policy schedule is not a cron expression; no scheduled retraining'); continue; }
      this.#crons.set(name, { expr, task: cron.schedule(expr, () => { void this.#scheduled(name); }) });
    }
  }

  async #scheduled(model: string): Promise<void> {
    try {
      const policy = await this.policyOf(model);
      const recipe = await this.#recipe(model);
      const now = this.#d.clock.now();
      const job = await this.#d.jobs.start({ recipe, data: { fromMs: now - policy.trainingWindowMs }, actor: POLICY_ACTOR });
      await this.#d.store.appendAudit({ atMs: now, actor: POLICY_ACTOR, action: 'drift.scheduled-retrain', target: model, details: { schedule: policy.schedule, jobId: job.id } });
    } catch (e) {
      this.#d.logger.warn({ model, err: e }, 'scheduled retraining did not start');
    }
  }

  /** The model's latest recipe (the one POST .../train would use). */
  async #recipe(model: string): Promise<Recipe> {
    const m = await this.#d.registry.getModel(model);
    if (!m) throw new EdgehiveError('EH_NOT_FOUND', `model ${model} is not in the registry; GET /api/v1/models lists those that are`, { model });
    return parseRecipe(m.recipe, `model ${model}'s recipe`);
  }

  async #override(model: string): Promise<DriftPolicyPatch | null> {
    const o = (await this.#d.state.get(model))?.override ?? null;
    // Checked again: a policy field may have changed since the override was stored.
    return o === null ? null : parsePolicyPatch(o, `model ${model}'s stored drift policy override (PUT a new one)`);
  }

  #kick(): void {
    if (!this.#started || this.#closed || this.#running) return;
    if (this.#dirty.size === 0 && !this.#sweep) return;
    this.#running = this.#pass().finally(() => {
      this.#running = null;
      this.#kick(); // reports noted during the pass
    });
  }

  async #pass(): Promise<void> {
    const sweep = this.#sweep;
    this.#sweep = false;
    try {
      if (sweep) await this.refreshSchedules();
      const models = sweep ? (await this.#d.registry.listModels()).map((m) => m.name) : [...this.#dirty];
      this.#dirty.clear();
      for (const m of models) {
        if (this.#closed) return;
        await this.evaluate(m).catch((e: unknown) => {
          // Reports about a model this hub never registered (a bundle built elsewhere) have no policy.
          if (isEdgehiveError(e) && e.code === 'EH_NOT_FOUND') this.#d.logger.debug({ model: m }, 'drift reports for a model not in the registry; no policy');
          else this.#d.logger.warn({ model: m, err: e }, 'drift policy evaluation failed');
        });
      }
    } catch (e) {
      this.#d.logger.warn({ err: e }, 'drift policy pass failed; the next report or timer tick tries again');
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    for (const c of this.#crons.values()) c.task.stop();
    this.#crons.clear();
    await this.settled();
  }
}

function lastOf(t: DriftTriggerRecord | null): LastTrigger | null {
  return t && { atMs: t.atMs, group: t.group, jobId: t.jobId, verdict: t.verdict as unknown as GroupVerdict };
}
