/**
 * Runs shadow evaluations (decision 0013): a challenger version (from a drift-triggered job, or
 * an operator) is first compared with the champion on the same recent held-out readings and
 * refused if worse; otherwise a few devices per group get it as the shadow bundle beside the
 * champion, their reported ShadowStats are watched, and decideShadow's verdict promotes it (a
 * normal staged rollout to the group, actor `shadow`) or retires it. Every step is audited and
 * written into the challenger's lineage; evaluations live in store.shadows, so a restart resumes
 * the running ones. Decisions for one evaluation are taken one at a time (a lock per id).
 */
import { randomBytes } from 'node:crypto';
import { EdgehiveError, isEdgehiveError } from '../../shared/errors/index.ts';
import type { Logger } from '../../shared/log/logger.ts';
import type { Clock } from '../../shared/time/clock.ts';
import type { BundleService, DesiredPublisher, ReportedFeed } from '../bundles/bundle-api.ts';
import type { ChallengerEvent } from '../drift/policy-manager.ts';
import type { DriftPolicy } from '../drift/policy.ts';
import type { ModelRegistry } from '../registry/registry.ts';
import type { RolloutManager } from '../rollouts/rollout-manager.ts';
import type { BundleRecord, ReportedRecord } from '../store/rollout-store.ts';
import type { ShadowEvaluationRecord } from '../store/shadow-store.ts';
import type { Store } from '../store/types.ts';
import { decideShadow } from './decide.ts';
import { heldOutGate } from './held-out.ts';
import { writeShadowLineage } from './lineage.ts';
import { championOf, chooseShadowDevices } from './select.ts';

export const SHADOW_ACTOR = 'shadow';

export interface ShadowManagerDeps {
  store: Store;
  registry: ModelRegistry;
  bundles: BundleService;
  publisher: DesiredPublisher;
  reported: ReportedFeed;
  rollouts: Pick<RolloutManager, 'create'>;
  /** The model's effective drift policy (its `shadow` section is used). */
  policyOf: (model: string) => Promise<DriftPolicy>;
  clock: Clock;
  logger: Logger;
  /** Re-evaluation of running evaluations without a report, for deadlines (wall-clock ms). Default 10 000; 0: none. */
  tickMs?: number;
}

export interface StartRequest { model: string; version: number; groups?: string[]; actor: string; jobId?: string | null }

export class ShadowManager {
  readonly #d: ShadowManagerDeps;
  /** Running evaluation per device. */
  readonly #byDevice = new Map<string, string>();
  readonly #locks = new Map<string, Promise<unknown>>();
  /** Evaluations a report asked for while one of their steps ran: evaluated again after it. */
  readonly #again = new Set<string>();
  #timer: NodeJS.Timeout | null = null;
  #unsubscribe: (() => void) | null = null;
  #closed = false;

  constructor(deps: ShadowManagerDeps) {
    this.#d = deps;
  }

  async start(): Promise<void> {
    for (const r of await this.#d.store.shadows.list({ states: ['running'] })) this.#own(r);
    this.#unsubscribe = this.#d.reported.onReported((r) => this.#onReported(r));
    const every = this.#d.tickMs ?? 10_000;
    if (every > 0) {
      this.#timer = setInterval(() => { for (const id of new Set(this.#byDevice.values())) this.#schedule(id); }, every);
      this.#timer.unref();
    }
    for (const id of new Set(this.#byDevice.values())) this.#schedule(id);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#unsubscribe?.();
    await Promise.allSettled([...this.#locks.values()]);
  }

  /** For DriftPolicyManager.onChallenger: failures are logged (and audited as refusals), never thrown. */
  onChallenger(e: ChallengerEvent): void {
    this.begin({ model: e.model, version: e.version, groups: [e.group], actor: SHADOW_ACTOR, jobId: e.jobId })
      .catch((err: unknown) => this.#d.logger.warn({ model: e.model, version: e.version, err }, 'shadow evaluation did not start'));
  }

  /** The model's running evaluation, else its newest; null when it never had one. */
  async current(model: string): Promise<ShadowEvaluationRecord | null> {
    const running = await this.#d.store.shadows.list({ model, states: ['running'], limit: 1 });
    return running[0] ?? (await this.#d.store.shadows.list({ model, limit: 1 }))[0] ?? null;
  }

  /**
   * Starts a shadow evaluation, or refuses the challenger (state `refused`, with the reason) when
   * it fails the held-out gate or no device can run it. Throws EH_CONFLICT while the model has a
   * running evaluation, EH_NOT_FOUND / EH_STATE for an unknown or unready version or a model
   * without champion.
   */
  async begin(req: StartRequest): Promise<ShadowEvaluationRecord> {
    const { model, version } = req;
    const running = (await this.#d.store.shadows.list({ model, states: ['running'], limit: 1 }))[0];
    if (running) throw new EdgehiveError('EH_CONFLICT', `model ${model} already has shadow evaluation ${running.id} of version ${running.version}; stop it first (POST /api/v1/models/${model}/shadow/stop)`, { id: running.id });
    const challenger = await this.#d.registry.getVersion(model, version);
    if (challenger.status !== 'ready') throw new EdgehiveError('EH_STATE', `model ${model} version ${version} is ${challenger.status}; only a ready version can run in shadow`, { model, version });
    const r = this.#d.store.rollouts;
    const championVersion = championOf(model, version, await r.listDeployments({ states: ['completed'], limit: 200 }), await this.#d.registry.listVersions(model));
    if (championVersion === null) throw new EdgehiveError('EH_STATE', `model ${model} has no champion before version ${version} (no completed deployment, no earlier ready version); deploy version ${version} directly`, { model, version });
    const champion = await this.#d.registry.getVersion(model, championVersion);
    const policy = (await this.#d.policyOf(model)).shadow;
    const now = this.#d.clock.now();
    const rec: ShadowEvaluationRecord = {
      id: `shadow-${now.toString(36)}-${randomBytes(4).toString('hex')}`, model, version, championVersion, groups: req.groups ?? [], state: 'running',
      actor: req.actor, jobId: req.jobId ?? null, startedMs: now, updatedMs: now, deadlineMs: now + policy.maxDurationMs, endedMs: null,
      heldOut: [], devices: [], stats: {}, verdict: null, deployments: [], reason: null,
    };

    // Devices first (no desired state is touched yet): the held-out gate runs on their groups.
    const devices = await this.#d.store.listDevices();
    const reports = new Map((await r.listReported(devices.map((d) => d.id))).map((x) => [x.device, x]));
    const owned = new Set<string>();
    for (const dep of await r.listDeployments({ states: ['running', 'halted'] })) for (const m of await r.listDeploymentDevices(dep.id)) owned.add(m.device);
    const championBundles = new Set((await r.listBundles({ model })).filter((b) => b.version === championVersion).map((b) => b.id));
    const challengerBundles = new Map<string, BundleRecord | null>();
    for (const p of new Set(devices.map((d) => d.profile))) challengerBundles.set(p, await this.#bundleFor(model, version, p));
    const chosen = chooseShadowDevices({
      model, championBundles, devices, reports, owned, groups: req.groups ?? null, perGroup: policy.devices, fits: (p) => Boolean(challengerBundles.get(p)),
    });
    rec.groups = [...chosen.keys()].sort();
    const empty = rec.groups.filter((g) => chosen.get(g)!.length === 0);
    if (rec.groups.length === 0 || empty.length > 0) {
      return this.#refuse(rec, `no online device ${empty.length > 0 ? `of group ${empty.join(', ')} ` : ''}runs version ${championVersion} healthy outside a running deployment with a profile version ${version} fits`);
    }
    for (const g of rec.groups) {
      try {
        const h = await heldOutGate({ store: this.#d.store, registry: this.#d.registry, champion, challenger, group: g, fromMs: now - policy.heldOutMs, toMs: now, tolerance: policy.heldOutTolerance });
        rec.heldOut.push(h);
        if (!h.passed) return this.#refuse(rec, h.reason);
      } catch (e) {
        if (!isEdgehiveError(e)) throw e;
        return this.#refuse(rec, `held-out gate on group ${g}: ${e.code}: ${e.message}`);
      }
    }

    for (const g of rec.groups) {
      for (const c of chosen.get(g)!) {
        const shadow = challengerBundles.get(c.profile)!;
        const desired = await r.getDesired(c.device);
        const keep = desired?.bundleId ?? c.championBundle;
        const bundle = await this.#d.bundles.get(keep);
        await this.#d.publisher.setDesired(c.device, bundle, desired?.deploymentId ?? null, shadow);
        rec.devices.push({ ...c, challengerBundle: shadow.id, championBundle: keep, deploymentId: desired?.deploymentId ?? null });
      }
    }
    await this.#d.store.shadows.put(rec);
    this.#own(rec);
    await this.#record(rec, 'shadow.start', { version, championVersion, devices: rec.devices, heldOut: rec.heldOut, deadlineMs: rec.deadlineMs, jobId: rec.jobId });
    this.#d.logger.info({ model, version, championVersion, devices: rec.devices.map((d) => d.device) }, 'shadow evaluation started');
    return rec;
  }

  /** Ends the model's running evaluation by hand: shadows cleared, state `stopped`. */
  async stop(model: string, actor: string, reason?: string): Promise<ShadowEvaluationRecord> {
    const running = (await this.#d.store.shadows.list({ model, states: ['running'], limit: 1 }))[0];
    if (!running) throw new EdgehiveError('EH_NOT_FOUND', `model ${model} has no running shadow evaluation; GET /api/v1/models/${model}/shadow shows the latest`, { model });
    return this.#lock(running.id, async () => {
      const rec = (await this.#d.store.shadows.get(running.id))!;
      if (rec.state !== 'running') return rec;
      return this.#end(rec, 'stopped', reason ? `stopped by ${actor}: ${reason}` : `stopped by ${actor}`, actor);
    });
  }

  /** Re-evaluates one running evaluation now (tests; the timer and reports do it otherwise). */
  evaluate(id: string): Promise<ShadowEvaluationRecord | null> {
    return this.#lock(id, () => this.#evaluate(id));
  }

  // --- internals --------------------------------------------------------------------------------

  async #bundleFor(model: string, version: number, profile: string): Promise<BundleRecord | null> {
    try {
      return (await this.#d.bundles.bundlesForVersion(model, version, [profile])).get(profile) ?? null;
    } catch (e) {
      if (isEdgehiveError(e) && e.code === 'EH_PROFILE_UNFIT') return null;
      throw e;
    }
  }

  async #refuse(rec: ShadowEvaluationRecord, reason: string): Promise<ShadowEvaluationRecord> {
    const now = this.#d.clock.now();
    const done: ShadowEvaluationRecord = { ...rec, state: 'refused', reason, updatedMs: now, endedMs: now };
    await this.#d.store.shadows.put(done);
    await this.#record(done, 'shadow.refused', { version: rec.version, championVersion: rec.championVersion, reason, heldOut: rec.heldOut, jobId: rec.jobId });
    this.#d.logger.info({ model: rec.model, version: rec.version, reason }, 'challenger refused before shadow');
    return done;
  }

  async #evaluate(id: string): Promise<ShadowEvaluationRecord | null> {
    const rec = await this.#d.store.shadows.get(id);
    if (!rec || rec.state !== 'running' || this.#closed) return rec;
    const policy = (await this.#d.policyOf(rec.model)).shadow;
    const reports = await this.#d.store.rollouts.listReported(rec.devices.map((d) => d.device));
    for (const rep of reports) if (rep.shadow) rec.stats[rep.device] = rep.shadow;
    const verdict = decideShadow({ policy, devices: rec.devices, stats: rec.stats, deadlineMs: rec.deadlineMs, nowMs: this.#d.clock.now() });
    rec.verdict = verdict;
    if (verdict.decision === 'undecided') {
      rec.updatedMs = this.#d.clock.now();
      await this.#d.store.shadows.put(rec);
      return rec;
    }
    if (verdict.decision === 'retire') return this.#end(rec, 'retired', verdict.reasons.join('; '), SHADOW_ACTOR);
    return this.#promote(rec);
  }

  async #promote(rec: ShadowEvaluationRecord): Promise<ShadowEvaluationRecord> {
    await this.#clearShadows(rec);
    const failures: string[] = [];
    for (const group of rec.groups) {
      try {
        const dep = await this.#d.rollouts.create({ model: rec.model, version: rec.version, target: { group } }, SHADOW_ACTOR);
        rec.deployments.push(dep.id);
      } catch (e) {
        if (!isEdgehiveError(e)) throw e;
        failures.push(`group ${group}: ${e.code}: ${e.message}`);
      }
    }
    // The challenger won either way; a group whose rollout could not start says why.
    return this.#end(rec, 'promoted', failures.length > 0 ? `rollout not started for ${failures.join('; ')}` : null, SHADOW_ACTOR, true);
  }

  async #end(rec: ShadowEvaluationRecord, state: 'promoted' | 'retired' | 'stopped', reason: string | null, actor: string, cleared = false): Promise<ShadowEvaluationRecord> {
    if (!cleared) await this.#clearShadows(rec);
    const now = this.#d.clock.now();
    const done: ShadowEvaluationRecord = { ...rec, state, reason, updatedMs: now, endedMs: now };
    await this.#d.store.shadows.put(done);
    for (const d of rec.devices) if (this.#byDevice.get(d.device) === rec.id) this.#byDevice.delete(d.device);
    await this.#record(done, `shadow.${state}`, {
      version: rec.version, championVersion: rec.championVersion, verdict: rec.verdict, deployments: done.deployments, reason, by: actor,
    }, actor);
    this.#d.logger.info({ model: rec.model, version: rec.version, state, reason, deployments: done.deployments }, `shadow evaluation ${state}`);
    return done;
  }

  /** Takes the challenger off its devices, keeping whatever bundle and deployment their desired state names now. */
  async #clearShadows(rec: ShadowEvaluationRecord): Promise<void> {
    for (const d of rec.devices) {
      const desired = await this.#d.store.rollouts.getDesired(d.device);
      if (!desired || desired.shadowBundleId !== d.challengerBundle) continue;
      const bundle = desired.bundleId ? await this.#d.bundles.get(desired.bundleId) : null;
      await this.#d.publisher.setDesired(d.device, bundle, desired.deploymentId, null);
    }
    await this.#d.publisher.collectGarbage().catch((e: unknown) => this.#d.logger.warn({ err: e }, 'shadow: chunk garbage collection failed; the next one clears them'));
  }

  async #record(rec: ShadowEvaluationRecord, action: string, details: Record<string, unknown>, actor = rec.actor): Promise<void> {
    await this.#d.store.appendAudit({ atMs: rec.updatedMs, actor, action, target: `${rec.model}@${rec.version}`, details: { evaluation: rec.id, ...details } });
    await writeShadowLineage(this.#d.store, rec);
  }

  #own(rec: ShadowEvaluationRecord): void {
    for (const d of rec.devices) this.#byDevice.set(d.device, rec.id);
  }

  #onReported(r: ReportedRecord): void {
    const id = this.#byDevice.get(r.device);
    if (id && r.shadow) this.#schedule(id);
  }

  #schedule(id: string): void {
    if (this.#closed) return;
    if (this.#locks.has(id)) { this.#again.add(id); return; }
    void this.#lock(id, () => this.#evaluate(id))
      .catch((e: unknown) => this.#d.logger.warn({ evaluation: id, err: e }, 'shadow evaluation step failed; the next report or tick tries again'))
      .finally(() => { if (this.#again.delete(id)) setImmediate(() => this.#schedule(id)); });
  }

  #lock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#locks.get(id) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(fn);
    const tail = next.finally(() => { if (this.#locks.get(id) === tail) this.#locks.delete(id); });
    this.#locks.set(id, tail);
    return next;
  }
}
