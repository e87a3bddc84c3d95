/**
 * The installer's state and the moves every path shares: the pointer and trust files, the model
 * in the ModelHost, the reported state, the task queue, and the restore after a restart. The
 * install path itself (desired → download → verify → write → swap → health) is installer.ts.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BundleParts, BundleTarget, TrustState } from '../../shared/bundle/index.ts';
import type { AgentConfig } from '../../shared/config/agent-config.ts';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Logger } from '../../shared/log/logger.ts';
import type { FleetTopics } from '../../shared/protocol/topics.ts';
import type { Clock } from '../../shared/time/clock.ts';
import { removeTempFiles } from './atomic-file.ts';
import { modelSpecOf, type BundleModelSpec } from './bundle-model.ts';
import { ChunkStore } from './chunk-store.ts';
import type { ChunkLink } from './fetcher.ts';
import { Reporter, type InferenceCounters, type InstallPhase, type InstallReport, type ShadowReport, type SlotReport } from './reporter.ts';
import { readSlotFile, slotInfoOf } from './slot-files.ts';
import { abandonTrial, dropSlot, emptySlots, MAX_TRIAL_ATTEMPTS, otherSlot, recordFailure, retryTrial, SLOT_NAMES, SlotStore, slotHolding, type SlotInfo, type SlotName, type SlotsState } from './slots.ts';
import { mergeProvisioned, provisionedRoot, TrustStore, withFloor } from './trust-store.ts';

export type BundleStep = 'download' | 'verify' | 'write' | 'swap' | 'health';
export interface StepDetail { bundleId: string; index?: number; have?: number; total?: number; slot?: SlotName }
/** Called where a kill matters most (tests use it to SIGKILL the agent at each step). */
export type BundleStepHook = (step: BundleStep, detail: StepDetail) => void;

/** The agent's ModelHost as the installer uses it. */
export interface ModelPort {
  /** The spec carries the bundle's name, version and drift reference (bundle-model.ts). */
  load(spec: BundleModelSpec): Promise<void>;
  unload(): Promise<void>;
  counters(): InferenceCounters;
}

/** Where bundles live on this device and what checks them: shared by the installer and the shadow run. */
export interface BundlePlace {
  /** dataDir/bundles */
  readonly dir: string;
  readonly fleet: string;
  readonly profile: string;
  readonly agentVersion: string;
  readonly bundles: AgentConfig['bundles'];
  readonly topics: FleetTopics;
  readonly link: ChunkLink;
  readonly wallClock: Clock;
  readonly logger: Logger;
}

export interface InstallerOptions extends BundlePlace {
  /** Retained publish of d/{device}/reported; false when offline. */
  readonly publishReport: (payload: Uint8Array) => boolean;
  readonly models: ModelPort;
  readonly steps?: BundleStepHook | undefined;
  /** Pause before a bad chunk is requested again (default 250 ms × bad copies so far). */
  readonly chunkRetryDelayMs?: number | undefined;
  /** The shadow run's figures for the reported state (edge-agent/shadow). */
  readonly shadowReport?: (() => ShadowReport | null) | undefined;
  /**
   * A bundle already verified on this device but not in a slot (the shadow challenger being
   * promoted): its bytes, so it is installed without downloading again; null: download it.
   */
  readonly localBundle?: ((bundleId: string) => Uint8Array | null) | undefined;
}

export interface RunningBundle { bundleId: string; model: string; version: number }

export interface BundleState {
  active: RunningBundle | null;
  phase: InstallPhase;
  lastError: { code: string; message: string; bundleId: string } | null;
}

type ReportFields = Partial<Pick<InstallReport, 'desiredBundle' | 'installingBundle' | 'chunksHave' | 'chunksTotal'>>;

/**
 * Thrown by every side effect once the installer is closed: after crash() (the simulator's
 * SIGKILL) a step still in flight must not write files a new agent on the same dataDir is reading.
 * Stopping between two steps leaves the disk as a kill there would, which restore handles.
 */
class InstallerClosed extends EdgehiveError {
  constructor() { super('EH_STATE', 'the agent stopped during a bundle step'); }
}

export abstract class InstallerCore {
  protected readonly o: InstallerOptions;
  protected readonly log: Logger;
  protected readonly slotStore: SlotStore;
  protected readonly trustStore: TrustStore;
  protected readonly chunks: ChunkStore;
  protected readonly reporter: Reporter;
  protected slots: SlotsState = emptySlots();
  protected trust: TrustState | null = null;
  /** What the ModelHost runs from the slots; null: no bundle model. */
  protected running: RunningBundle | null = null;
  protected phase: InstallPhase = 'idle';
  protected lastError: BundleState['lastError'] = null;
  #rootProblem: EdgehiveError | null = null;
  #fields: Required<ReportFields> = { desiredBundle: '', installingBundle: '', chunksHave: 0, chunksTotal: 0 };
  #activatedMs = 0;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  /** Chunk messages for a bundle not being downloaded (late deliveries after an unsubscribe). */
  strayChunks = 0;

  constructor(options: InstallerOptions) {
    this.o = options;
    this.log = options.logger.child({ part: 'bundles' });
    this.slotStore = new SlotStore(options.dir);
    this.trustStore = new TrustStore(options.dir);
    this.chunks = new ChunkStore(join(options.dir, 'incoming'));
    this.reporter = new Reporter({
      publish: options.publishReport, wallClock: options.wallClock, profile: options.profile, agentVersion: options.agentVersion,
      reportEveryMs: options.bundles.reportEveryMs, counters: () => options.models.counters(), shadow: options.shadowReport, logger: this.log,
    });
  }

  /** Restores the slots after a (re)start and loads the active model; resolves when it runs. */
  start(): Promise<void> {
    const restored = this.enqueue('restore', () => this.#restore());
    this.reporter.start();
    return restored;
  }

  state(): BundleState {
    return { active: this.running ? { ...this.running } : null, phase: this.phase, lastError: this.lastError ? { ...this.lastError } : null };
  }

  /** The trust the installer verifies against (the shadow verifies with it and never stores what it returns). */
  trustState(): TrustState | null {
    return this.trust;
  }

  /** Publishes the reported state now (the shadow's phase changed). */
  publishReport(): void {
    this.reporter.publish();
  }

  /** Stops downloads and reports; a graceful close waits for the step in progress. */
  async close(graceful: boolean): Promise<void> {
    this.#closed = true;
    this.reporter.stop();
    this.onClose();
    if (graceful) await this.#queue;
  }

  protected onClose(): void {}
  protected abstract runTrial(parts: BundleParts, target?: BundleTarget): Promise<void>;
  protected abstract failTrial(e: EdgehiveError): Promise<void>;

  /** Runs `task` after the ones before it; an unexpected failure is logged and reported, never lost. */
  protected enqueue(what: string, task: () => Promise<void> | void): Promise<void> {
    this.#queue = this.#queue.then(async () => {
      if (this.#closed) return;
      try {
        await task();
      } catch (e) {
        if (e instanceof InstallerClosed) {
          this.log.debug({ what }, 'bundle step stopped: the agent is stopping');
          return;
        }
        const err = e instanceof EdgehiveError ? e : new EdgehiveError('EH_STORE_FAILED', `bundle ${what} failed: ${(e as Error).message}`, undefined, { cause: e });
        this.log.error({ err: e, what }, 'bundle task failed; the running model is unchanged');
        this.lastError = { code: err.code, message: err.message, bundleId: this.#fields.installingBundle || this.#fields.desiredBundle };
        if (!this.#closed) this.setPhase('failed', { installingBundle: '' });
      }
    });
    return this.#queue;
  }

  protected step(step: BundleStep, detail: StepDetail): void {
    this.live();
    this.o.steps?.(step, detail);
  }

  /** Throws once closed; called before every write. */
  protected live(): void {
    if (this.#closed) throw new InstallerClosed();
  }

  protected noRootError(): EdgehiveError {
    return this.#rootProblem ?? new EdgehiveError('EH_BUNDLE_KEY_UNKNOWN', 'no trusted root: provision the device with the fleet\'s root keys');
  }

  protected saveSlots(next: SlotsState): void {
    this.live();
    this.slotStore.save(next);
    this.slots = next;
  }

  protected saveTrust(next: TrustState): void {
    this.live();
    this.trustStore.save(next);
    this.trust = next;
  }

  protected report(fields: ReportFields = {}): InstallReport {
    Object.assign(this.#fields, fields);
    const s = this.slots;
    const runningSlot = this.running ? slotHolding(s, this.running.bundleId) : null;
    const slotReport = (n: SlotName | null): SlotReport | null => {
      const info = n === null ? null : s.slots[n];
      return info ? { bundleId: info.bundleId, model: info.model, version: info.version, healthy: info.healthy } : null;
    };
    const other = runningSlot !== null ? otherSlot(runningSlot) : (SLOT_NAMES.find((n) => s.slots[n] !== null) ?? null);
    return {
      phase: this.phase, ...this.#fields,
      active: runningSlot !== null ? slotReport(runningSlot) : null,
      inactive: slotReport(other),
      error: this.lastError,
      activatedMs: this.running ? this.#activatedMs : 0,
    };
  }

  protected setPhase(phase: InstallPhase, fields: ReportFields = {}): void {
    this.live();
    this.phase = phase;
    this.reporter.set(this.report(fields));
  }

  /** Refuses a bundle; `record` remembers it as failed (its content is at fault, so retrying cannot help). */
  protected refuse(bundleId: string, e: EdgehiveError, record: boolean): void {
    if (record) this.saveSlots(recordFailure(this.slots, { bundleId, code: e.code, message: e.message, atMs: this.o.wallClock.now() }));
    this.lastError = { code: e.code, message: e.message, bundleId };
    this.log.warn({ bundle: bundleId, code: e.code, err: e.message }, 'bundle refused; the running model is unchanged');
    this.setPhase('failed', { desiredBundle: bundleId, installingBundle: '', chunksHave: 0, chunksTotal: 0 });
  }

  protected async loadModel(parts: BundleParts, info: Pick<SlotInfo, 'bundleId' | 'model' | 'version'>, spec: BundleModelSpec = modelSpecOf(parts)): Promise<void> {
    this.live();
    await this.o.models.load(spec);
    this.live();
    this.running = { bundleId: info.bundleId, model: info.model, version: info.version };
    this.#activatedMs = this.o.wallClock.now();
  }

  protected async unloadModel(): Promise<void> {
    if (this.running === null) return;
    await this.o.models.unload();
    this.running = null;
  }

  /**
   * Loads the model of an installed slot after checking its file. A damaged slot is forgotten;
   * when it was the active one the device falls back to the other slot if that one is healthy,
   * else it runs no model, and says so.
   */
  protected async restoreSlot(slot: SlotName): Promise<boolean> {
    const info = this.slots.slots[slot];
    if (!info) return false;
    try {
      const parts = readSlotFile(this.slotStore.slotPath(slot), info);
      await this.loadModel(parts, info);
      return true;
    } catch (e) {
      const err = e instanceof EdgehiveError ? e : new EdgehiveError('EH_BUNDLE_MALFORMED', (e as Error).message);
      this.lastError = { code: err.code, message: err.message, bundleId: info.bundleId };
      this.log.error({ slot, bundle: info.bundleId, err: err.message }, 'installed bundle cannot run; forgetting its slot');
      const wasActive = this.slots.active === slot;
      this.saveSlots(dropSlot(this.slots, slot));
      if (wasActive && this.slots.active !== null) return this.restoreSlot(this.slots.active);
      if (wasActive) await this.unloadModel();
      return false;
    }
  }

  async #restore(): Promise<void> {
    mkdirSync(this.o.dir, { recursive: true });
    removeTempFiles(this.o.dir);
    let corrupt = false;
    const saved = this.slotStore.load((why, aside) => {
      corrupt = true;
      this.log.error({ why, movedTo: aside }, 'slot pointer file is damaged; rebuilding it from the slot files');
    });
    this.slots = saved ?? (corrupt ? this.#recoverSlots() : emptySlots());
    if (corrupt) this.saveSlots(this.slots);
    this.#loadTrust();
    const trial = this.slots.trial;
    if (trial !== null) {
      if (trial.attempts >= MAX_TRIAL_ATTEMPTS) {
        const e = new EdgehiveError('EH_BUNDLE_HEALTH', `the health check of bundle ${trial.bundleId.slice(0, 12)} was interrupted ${trial.attempts} times (the agent restarted during it); giving up on it`, { attempts: trial.attempts });
        this.saveSlots(abandonTrial(this.slots, { bundleId: trial.bundleId, code: e.code, message: e.message, atMs: this.o.wallClock.now() }));
        this.lastError = { code: e.code, message: e.message, bundleId: trial.bundleId };
        this.log.error({ bundle: trial.bundleId }, e.message);
      } else {
        this.saveSlots(retryTrial(this.slots));
        // The model the trial replaced runs while the check is re-run.
        if (this.slots.previous !== null) await this.restoreSlot(this.slots.previous);
        let parts: BundleParts;
        try {
          parts = readSlotFile(this.slotStore.slotPath(trial.slot), this.slots.slots[trial.slot] ?? trial);
        } catch (e) {
          return this.failTrial(e instanceof EdgehiveError ? e : new EdgehiveError('EH_BUNDLE_MALFORMED', (e as Error).message));
        }
        this.log.warn({ bundle: trial.bundleId, attempt: trial.attempts + 1 }, 'the agent stopped during a health check; running it again');
        return this.runTrial(parts);
      }
    }
    if (this.slots.active !== null) await this.restoreSlot(this.slots.active);
    this.setPhase(this.running ? 'active' : this.lastError ? 'failed' : 'idle');
  }

  #loadTrust(): void {
    try {
      const root = provisionedRoot(this.o.bundles, this.o.fleet);
      const saved = this.trustStore.load((why, aside) => this.log.error({ why, movedTo: aside }, 'trust file is damaged; starting again from the provisioned root and the installed versions'));
      const installed = SLOT_NAMES.map((n) => this.slots.slots[n]).filter((x): x is SlotInfo => x !== null);
      const next = withFloor(mergeProvisioned(saved, root), installed);
      if (next !== saved) this.saveTrust(next);
      else this.trust = next;
    } catch (e) {
      this.#rootProblem = e instanceof EdgehiveError ? e : new EdgehiveError('EH_CONFIG_INVALID', (e as Error).message);
      this.trust = null;
      this.log.warn({ err: this.#rootProblem.message }, 'bundles are refused until the device has a trusted root');
    }
  }

  /** Slot files that are whole become known again, as never checked: they run only after a new health check. */
  #recoverSlots(): SlotsState {
    const s = emptySlots();
    for (const n of SLOT_NAMES) {
      try {
        s.slots[n] = { ...slotInfoOf(readSlotFile(this.slotStore.slotPath(n), null)), healthy: false };
      } catch (e) {
        this.log.warn({ slot: n, err: (e as Error).message }, 'slot file not recovered');
      }
    }
    return s;
  }
}
