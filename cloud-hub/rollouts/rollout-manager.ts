/**
 * Runs deployments: takes requests from the API, feeds the pure engine (engine.ts) with what the
 * store and the devices' reports say, and carries out what it decides: records first, then the
 * devices' desired states (through the DesiredPublisher), then the audit log. Decisions for one
 * deployment are taken one at a time (a lock per deployment); reports are coalesced, so a
 * thousand devices reporting progress cost one evaluation per turn of the event loop, not a
 * thousand. A timer (tickMs, unref'd) re-evaluates running deployments so soaks end on time.
 */
import { randomBytes } from 'node:crypto';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Logger } from '../../shared/log/logger.ts';
import type { Clock } from '../../shared/time/clock.ts';
import type { BundleService, DesiredPublisher, ReportedFeed } from '../bundles/bundle-api.ts';
import type {
  BundleRecord, DeploymentDeviceRecord, DeploymentRecord, DeploymentState, ReportedRecord,
} from '../store/rollout-store.ts';
import type { Store } from '../store/types.ts';
import {
  abort, type Action, type DeviceView, type EngineInput, type EngineStep, evaluate, expectedDesired, fail, halt, resume, startDeployment,
} from './engine.ts';
import { resolveBundles, resolveTarget, sourceOf } from './plan-deployment.ts';
import type { DeploymentRequest, DeploymentStatus } from './schema.ts';
import { deploymentStatus } from './status.ts';
import { assignWaves, planWaves } from './waves.ts';

export interface RolloutManagerDeps {
  store: Store;
  bundles: BundleService;
  publisher: DesiredPublisher;
  reported: ReportedFeed;
  clock: Clock;
  logger: Logger;
  /** How often running deployments are re-evaluated without a report (wall-clock ms). Default 1000. */
  tickMs?: number;
}

export type ChangeListener = (s: DeploymentStatus, event: string) => void;

const ACTIVE: readonly DeploymentState[] = ['running', 'halted'];
/** Aborted deployments looked at after a restart, for desired states an interrupted abort left. */
const RECONCILE_ENDED = 20;
/** Desired states published at once. */
const PUBLISH_PARALLEL = 32;

export class RolloutManager {
  readonly #d: RolloutManagerDeps;
  /** Device → the running or halted deployment that owns it. */
  readonly #owner = new Map<string, string>();
  /** Latest report per owned device as the feed delivered it (the store may lag a write behind). */
  readonly #latest = new Map<string, ReportedRecord>();
  readonly #locks = new Map<string, Promise<unknown>>();
  readonly #dirty = new Set<string>();
  readonly #listeners = new Set<ChangeListener>();
  /** Bundles seen to exist: checked once, not on every evaluation. */
  readonly #knownBundles = new Set<string>();
  /** setDesired actions that failed (broker down?), tried again on the next evaluation. */
  readonly #retry = new Map<string, Action[]>();
  #flushing = false;
  #timer: NodeJS.Timeout | null = null;
  #unsubscribe: (() => void) | null = null;
  #closed = false;

  constructor(deps: RolloutManagerDeps) {
    this.#d = deps;
  }

  /** Picks up running and halted deployments (a hub restart), finishes interrupted work, starts listening and ticking. */
  async start(): Promise<void> {
    const r = this.#d.store.rollouts;
    const active = await r.listDeployments({ states: ACTIVE });
    for (const d of active) {
      for (const m of await r.listDeploymentDevices(d.id)) this.#owner.set(m.device, d.id);
    }
    this.#unsubscribe = this.#d.reported.onReported((rep) => this.#onReported(rep));
    for (const d of [...active, ...await r.listDeployments({ states: ['aborted'], limit: RECONCILE_ENDED })]) {
      await this.#lock(d.id, () => this.#reconcile(d.id));
    }
    for (const d of active) this.#schedule(d.id);
    const tickMs = this.#d.tickMs ?? 1000;
    this.#timer = setInterval(() => { for (const id of new Set(this.#owner.values())) this.#schedule(id); }, tickMs);
    this.#timer.unref();
    if (active.length > 0) this.#d.logger.info({ deployments: active.map((d) => d.id) }, 'rollouts: carrying on with deployments after restart');
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    await Promise.allSettled([...this.#locks.values()]);
    this.#listeners.clear();
  }

  async create(req: DeploymentRequest, actor: string): Promise<DeploymentStatus> {
    const source = sourceOf(req);
    const waves = planWaves(req.waves);
    const targets = resolveTarget(await this.#d.store.listDevices(), req.target);
    const taken = targets.find((t) => this.#owner.has(t.id));
    if (taken) {
      const other = this.#owner.get(taken.id)!;
      throw new EdgehiveError('EH_CONFLICT', `device ${taken.id} already belongs to deployment ${other}; abort that deployment or wait until it completes, or leave the device out of the target`,
        { device: taken.id, deployment: other });
    }
    const bundles = await resolveBundles(this.#d.bundles, source, targets);
    const now = this.#d.clock.now();
    const id = `dep-${now.toString(36)}-${randomBytes(4).toString('hex')}`;
    const waveOf = assignWaves(id, targets.map((t) => t.id), waves.map((w) => w.percent));
    const devices: DeploymentDeviceRecord[] = targets.map((t, i) => ({
      deploymentId: id, device: t.id, profile: t.profile, wave: waveOf[i]!, bundleId: bundles.get(t.profile)!.id,
      previousBundle: null, state: 'pending', error: null, updatedMs: now,
    }));
    const record: DeploymentRecord = {
      id, state: 'running', source, target: req.target, bundles: Object.fromEntries([...bundles].map(([p, b]) => [p, b.id])),
      waves, currentWave: 0, autoAdvance: req.autoAdvance ?? true, createdMs: now, updatedMs: now, actor, reason: null,
    };
    return this.#lock(id, async () => {
      const input = await this.#input(record, devices);
      const step = startDeployment(input);
      await this.#d.store.rollouts.createDeployment(step.deployment, step.devices);
      for (const m of devices) this.#owner.set(m.device, id);
      await this.#audit({ type: 'audit', actor, action: 'deployment.create', target: id, details: {
        source, target: req.target, bundles: record.bundles, devices: devices.length, waves: waves.map((w) => w.percent), autoAdvance: record.autoAdvance,
      } });
      this.#d.logger.info({ deployment: id, devices: devices.length, bundles: record.bundles }, 'rollouts: deployment created');
      return this.#apply(step, input.view, ['deployment.create', ...step.events], { persisted: true });
    });
  }

  async status(id: string): Promise<DeploymentStatus> {
    const d = await this.#get(id);
    const devices = await this.#d.store.rollouts.listDeploymentDevices(id);
    return deploymentStatus(d, devices, (await this.#input(d, devices)).view, this.#d.clock.now());
  }

  /** Newest first. */
  async list(q: { state?: DeploymentState; limit?: number } = {}): Promise<DeploymentStatus[]> {
    const ds = await this.#d.store.rollouts.listDeployments({ limit: q.limit ?? 100, ...(q.state ? { states: [q.state] } : {}) });
    return Promise.all(ds.map(async (d) => {
      const devices = await this.#d.store.rollouts.listDeploymentDevices(d.id);
      return deploymentStatus(d, devices, (await this.#input(d, devices)).view, this.#d.clock.now());
    }));
  }

  halt(id: string, actor: string, reason?: string): Promise<DeploymentStatus> {
    return this.#act(id, (i) => halt(i, actor, reason));
  }

  resume(id: string, actor: string): Promise<DeploymentStatus> {
    return this.#act(id, (i) => resume(i, actor));
  }

  abort(id: string, actor: string, reason?: string): Promise<DeploymentStatus> {
    return this.#act(id, (i) => abort(i, actor, reason));
  }

  /** Resolves when the deployment reaches one of the states; EH_STATE after timeoutMs (wall clock). */
  waitFor(id: string, states: readonly DeploymentState[], timeoutMs: number): Promise<DeploymentStatus> {
    return new Promise((resolve, reject) => {
      let last: DeploymentState | null = null;
      const finish = (f: () => void) => { clearTimeout(timer); off(); f(); };
      const check = (s: DeploymentStatus) => {
        last = s.state;
        if (s.id === id && states.includes(s.state)) finish(() => resolve(s));
      };
      const off = this.onChange((s) => { if (s.id === id) check(s); });
      const timer = setTimeout(() => finish(() => reject(new EdgehiveError('EH_STATE',
        `deployment ${id} did not reach ${states.join(' or ')} within ${timeoutMs} ms (last seen ${last ?? 'unknown'}); GET /api/v1/deployments/${id} shows where it stands`,
        { id, state: last }))), timeoutMs);
      this.status(id).then(check, (e: unknown) => finish(() => reject(e)));
    });
  }

  onChange(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => { this.#listeners.delete(listener); };
  }

  // --- internals --------------------------------------------------------------------------------

  async #get(id: string): Promise<DeploymentRecord> {
    const d = await this.#d.store.rollouts.getDeployment(id);
    if (!d) throw new EdgehiveError('EH_NOT_FOUND', `no deployment ${id}; GET /api/v1/deployments lists them`, { id });
    return d;
  }

  async #act(id: string, decide: (i: EngineInput) => EngineStep): Promise<DeploymentStatus> {
    return this.#lock(id, async () => {
      const d = await this.#get(id);
      const input = await this.#input(d, await this.#d.store.rollouts.listDeploymentDevices(id));
      const step = decide(input);
      return this.#apply(step, input.view, step.events);
    });
  }

  /** What the engine needs: the records, each device's latest report, whether it is online, its desired bundle. */
  async #input(deployment: DeploymentRecord, devices: readonly DeploymentDeviceRecord[]): Promise<EngineInput> {
    const ids = devices.map((m) => m.device);
    const [reports, known, desired] = await Promise.all([
      this.#d.store.rollouts.listReported(ids),
      this.#d.store.listDevices(),
      this.#d.store.rollouts.listDesired(),
    ]);
    const online = new Map(known.map((k) => [k.id, k.online]));
    const want = new Map(desired.map((x) => [x.device, x.bundleId]));
    const reported = new Map(reports.map((x) => [x.device, x]));
    const view = new Map<string, DeviceView>();
    for (const id of ids) {
      const stored = reported.get(id) ?? null;
      const fed = this.#latest.get(id) ?? null;
      const newest = fed && (!stored || fed.receivedMs > stored.receivedMs) ? fed : stored;
      view.set(id, { online: online.get(id) ?? false, reported: newest, desiredBundle: want.get(id) ?? null });
    }
    return { deployment, devices, view, now: this.#d.clock.now() };
  }

  /** Writes the step, carries out its actions and tells listeners. */
  async #apply(step: EngineStep, view: ReadonlyMap<string, DeviceView>, events: readonly string[], opts: { persisted?: boolean } = {}): Promise<DeploymentStatus> {
    const d = step.deployment;
    if (!opts.persisted) {
      if (step.changedDevices.length > 0) await this.#d.store.rollouts.updateDeploymentDevices(step.changedDevices);
      if (step.deploymentChanged) await this.#d.store.rollouts.updateDeployment(d);
    }
    if (!ACTIVE.includes(d.state)) this.#release(d.id, step.devices);
    const retry = this.#retry.get(d.id) ?? [];
    this.#retry.delete(d.id);
    await this.#desire(d.id, [...retry.filter((a) => !step.actions.some((b) => b.type === 'setDesired' && a.type === 'setDesired' && b.device === a.device)),
      ...step.actions.filter((a) => a.type === 'setDesired')]);
    for (const a of step.actions) {
      if (a.type === 'audit') await this.#audit(a);
      if (a.type === 'collectGarbage') await this.#collect(d.id);
    }
    const status = deploymentStatus(d, step.devices, view, this.#d.clock.now());
    if (events.length > 0) this.#emit(status, events);
    return status;
  }

  async #desire(deploymentId: string, actions: readonly Action[]): Promise<void> {
    const failed: Action[] = [];
    const cache = new Map<string, Promise<BundleRecord | null>>();
    const bundle = (id: string) => {
      let p = cache.get(id);
      if (!p) { p = this.#d.bundles.get(id); cache.set(id, p); }
      return p;
    };
    for (let i = 0; i < actions.length; i += PUBLISH_PARALLEL) {
      await Promise.all(actions.slice(i, i + PUBLISH_PARALLEL).map(async (a) => {
        if (a.type !== 'setDesired') return;
        try {
          const b = a.bundleId === null ? null : await bundle(a.bundleId);
          if (a.bundleId !== null && !b) {
            // A device that ran a bundle this hub never knew cannot be pointed back at it; it keeps its own fallback slot.
            this.#d.logger.warn({ deployment: deploymentId, device: a.device, bundle: a.bundleId }, 'rollouts: bundle unknown to this hub; desired state left as it is');
            return;
          }
          await this.#d.publisher.setDesired(a.device, b, deploymentId);
        } catch (err) {
          this.#d.logger.warn({ err, deployment: deploymentId, device: a.device }, 'rollouts: could not set the desired state; trying again on the next evaluation');
          failed.push(a);
        }
      }));
    }
    if (failed.length > 0) this.#retry.set(deploymentId, failed);
  }

  async #audit(a: Action): Promise<void> {
    if (a.type !== 'audit') return;
    await this.#d.store.appendAudit({ atMs: this.#d.clock.now(), actor: a.actor, action: a.action, target: a.target, ...(a.details ? { details: a.details } : {}) });
  }

  async #collect(deploymentId: string): Promise<void> {
    try {
      const cleared = await this.#d.publisher.collectGarbage();
      if (cleared.length > 0) this.#d.logger.info({ deployment: deploymentId, bundles: cleared }, 'rollouts: cleared chunks of bundles no device wants');
    } catch (err) {
      this.#d.logger.warn({ err, deployment: deploymentId }, 'rollouts: collecting unused bundle chunks failed; they stay published until the next collection');
    }
  }

  #release(id: string, devices: readonly DeploymentDeviceRecord[]): void {
    for (const m of devices) {
      if (this.#owner.get(m.device) === id) {
        this.#owner.delete(m.device);
        this.#latest.delete(m.device);
      }
    }
    this.#retry.delete(id);
  }

  #emit(status: DeploymentStatus, events: readonly string[]): void {
    // Many device.restored entries say one thing to a listener: the last of each kind is enough.
    for (const event of new Set(events)) {
      for (const l of this.#listeners) {
        try {
          l(status, event);
        } catch (err) {
          this.#d.logger.warn({ err, deployment: status.id, event }, 'rollouts: a change listener threw');
        }
      }
    }
  }

  #onReported(r: ReportedRecord): void {
    const id = this.#owner.get(r.device);
    if (!id) return;
    const known = this.#latest.get(r.device);
    if (!known || r.receivedMs >= known.receivedMs) this.#latest.set(r.device, r);
    this.#schedule(id);
  }

  #schedule(id: string): void {
    if (this.#closed) return;
    this.#dirty.add(id);
    if (this.#flushing) return;
    this.#flushing = true;
    setImmediate(() => { void this.#flush(); });
  }

  async #flush(): Promise<void> {
    try {
      while (this.#dirty.size > 0 && !this.#closed) {
        const ids = [...this.#dirty];
        this.#dirty.clear();
        for (const id of ids) {
          await this.#lock(id, () => this.#evaluate(id)).catch((err: unknown) => {
            this.#d.logger.error({ err, deployment: id }, 'rollouts: evaluating a deployment failed; trying again on the next tick');
          });
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  async #evaluate(id: string): Promise<void> {
    const d = await this.#get(id);
    if (!ACTIVE.includes(d.state)) {
      this.#release(id, await this.#d.store.rollouts.listDeploymentDevices(id));
      return;
    }
    const input = await this.#input(d, await this.#d.store.rollouts.listDeploymentDevices(id));
    for (const b of new Set(Object.values(d.bundles))) {
      if (this.#knownBundles.has(b)) continue;
      if (!(await this.#d.bundles.get(b))) {
        await this.#apply(fail(input, `bundle ${b} is no longer known to this hub; start a new deployment`), input.view, ['deployment.failed']);
        return;
      }
      this.#knownBundles.add(b);
    }
    const step = evaluate(input);
    if (step.changedDevices.length === 0 && !step.deploymentChanged && !this.#retry.has(id)) return;
    await this.#apply(step, input.view, step.events);
  }

  /** After a restart: desired states the records call for but the store does not hold (a crash between the two) are set again. */
  async #reconcile(id: string): Promise<void> {
    const d = await this.#get(id);
    const devices = await this.#d.store.rollouts.listDeploymentDevices(id);
    const want = expectedDesired(d, devices);
    const have = new Map((await this.#d.store.rollouts.listDesired()).map((x) => [x.device, x]));
    const fix: Action[] = [];
    const owned = ACTIVE.includes(d.state);
    for (const [device, bundleId] of want) {
      const h = have.get(device);
      // An ended deployment speaks only for devices whose desired state it set last; another may have taken them since.
      if (!owned && h?.deploymentId !== id) continue;
      if (!h || h.bundleId !== bundleId) fix.push({ type: 'setDesired', device, bundleId });
    }
    if (fix.length === 0) return;
    this.#d.logger.info({ deployment: id, devices: fix.length }, 'rollouts: setting desired states a restart interrupted');
    await this.#desire(id, fix);
  }

  #lock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#locks.get(id) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.then(() => undefined, () => undefined);
    this.#locks.set(id, tail);
    void tail.then(() => { if (this.#locks.get(id) === tail) this.#locks.delete(id); });
    return run;
  }
}
