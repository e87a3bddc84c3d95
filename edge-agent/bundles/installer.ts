/**
 * The agent's bundle installer: the state machine from a desired state to a running model
 * (DESIGN.md "Bundles and trust"; docs/decisions/0009-agent-slots-and-activation.md).
 *
 *   desired ─▶ download (chunk files) ─▶ verify ─▶ write inactive slot ─▶ swap pointer (trial)
 *           ─▶ health check ─▶ commit (active)  |  fail ─▶ pointer back to the previous slot
 *
 * Every step that changes the disk is one atomic rename, in an order that leaves a device killed
 * at any point running a verified model after restart (restore.ts). Steps run one at a time on a
 * queue; downloading waits for chunk messages outside it.
 */
import { joinChunks, sha256Hex, verifyBundle, type BundleParts, type BundleTarget } from '../../shared/bundle/index.ts';
import { EdgehiveError, isEdgehiveError } from '../../shared/errors/index.ts';
import { decode } from '../../shared/protocol/codec.ts';
import type { DesiredState } from '../../shared/protocol/messages.ts';
import { commitTempFile, writeTempFile } from './atomic-file.ts';
import { modelBytesOf, modelSpecOf } from './bundle-model.ts';
import { planFor, type DownloadPlan } from './desired-plan.ts';
import { ChunkFetcher } from './fetcher.ts';
import { runHealthCheck } from './health-check.ts';
import { InstallerCore } from './installer-core.ts';
import { readSlotFile, slotInfoOf } from './slot-files.ts';
import { abandonTrial, beginTrial, commitTrial, deactivate, dropSlot, swapTo, targetSlot, type FailedBundle, type SlotName } from './slots.ts';

export { type BundleStep, type BundleStepHook, type InstallerOptions, type ModelPort, type BundleState } from './installer-core.ts';

export class BundleInstaller extends InstallerCore {
  #desired: DesiredState | null = null;
  #fetcher: ChunkFetcher | null = null;

  /** A retained desired state arrived (again on every reconnect: handling it twice changes nothing). */
  onDesired(payload: Uint8Array): void {
    let d: DesiredState;
    try {
      d = decode('desired', payload);
    } catch (e) {
      this.log.warn({ err: e }, 'desired state does not decode; ignored, the current model keeps running');
      return;
    }
    this.#desired = d;
    this.enqueue('desired', () => this.#reconcile(d));
  }

  /** A message on a chunk topic; only the bundle being downloaded is listened to. */
  onChunk(bundleId: string, index: number, payload: Uint8Array): void {
    const f = this.#fetcher;
    if (f === null || f.bundleId !== bundleId || f.finished) {
      this.strayChunks++;
      return;
    }
    let msg;
    try {
      msg = decode('bundle-chunk', payload);
    } catch (e) {
      f.onChunk(index, isEdgehiveError(e) ? new EdgehiveError('EH_BUNDLE_CHUNK', `chunk ${index} does not decode: ${e.message}`) : new EdgehiveError('EH_BUNDLE_CHUNK', `chunk ${index} does not decode`));
      return;
    }
    f.onChunk(index, msg);
  }

  /** Connected again: subscriptions are gone (clean session), so ask for the missing chunks again, and republish the state. */
  onUp(): void {
    this.#fetcher?.onUp();
    this.reporter.publish();
  }

  /** Download counters of the current (or last) download, for tests and the CLI. */
  downloadCounters(): ChunkFetcher['counters'] | null {
    return this.#fetcher ? { ...this.#fetcher.counters } : null;
  }

  protected override onClose(): void {
    this.#fetcher?.stop();
  }

  #stopFetcher(): void {
    this.#fetcher?.stop();
    this.#fetcher = null;
  }

  async #reconcile(d: DesiredState): Promise<void> {
    if (d !== this.#desired) return; // a newer desired state is queued
    const id = d.bundleId ?? '';
    const action = planFor(d, this.slots, { maxBundleBytes: this.o.bundles.maxBundleBytes });
    if (this.#fetcher && (this.#fetcher.bundleId !== id || action.kind !== 'download')) this.#stopFetcher();
    // Downloads of bundles no longer desired only take space (bundles may be hundreds of MiB).
    if (action.kind !== 'download') this.chunks.removeAllBut(null);
    switch (action.kind) {
      case 'run-nothing':
        return this.#runNothing();
      case 'stay':
        if (this.phase !== 'active') this.setPhase('active', { desiredBundle: id, installingBundle: '' });
        return;
      case 'failed-before':
        this.lastError = { code: action.failure.code, message: action.failure.message, bundleId: id };
        return this.setPhase('failed', { desiredBundle: id, installingBundle: '' });
      case 'swap-back':
        return this.#swapBack(action.slot, id);
      case 'trial-installed':
        return this.#trialInstalled(action.slot, id);
      case 'refuse':
        return this.refuse(id, action.error, false);
      case 'download':
        return this.#download(action.plan);
    }
  }

  async #runNothing(): Promise<void> {
    if (this.slots.active !== null || this.running !== null) {
      this.saveSlots(deactivate(this.slots));
      await this.unloadModel();
      this.log.info('desired state names no bundle: model unloaded, slots kept');
    }
    this.setPhase('idle', { desiredBundle: '', installingBundle: '', chunksHave: 0, chunksTotal: 0 });
  }

  /** Back to the bundle that ran healthy here before: only its file is checked, not its version. */
  async #swapBack(slot: SlotName, id: string): Promise<void> {
    const info = this.slots.slots[slot]!;
    const before = this.slots;
    try {
      const parts = readSlotFile(this.slotStore.slotPath(slot), info);
      this.saveSlots(swapTo(this.slots, slot));
      await this.loadModel(parts, info);
    } catch (e) {
      // Its file is damaged or its model no longer loads: the slot is forgotten, the running model stays.
      this.saveSlots(dropSlot(before, slot));
      return this.refuse(id, asError(e, 'EH_BUNDLE_HEALTH'), false);
    }
    this.lastError = null;
    this.log.info({ bundle: id, slot }, 'swapped back to the bundle in the other slot');
    this.setPhase('active', { desiredBundle: id, installingBundle: '' });
  }

  async #trialInstalled(slot: SlotName, id: string): Promise<void> {
    let parts: BundleParts;
    try {
      parts = readSlotFile(this.slotStore.slotPath(slot), this.slots.slots[slot]!);
    } catch (e) {
      return this.refuse(id, asError(e, 'EH_BUNDLE_MALFORMED'), false);
    }
    this.saveSlots(beginTrial(this.slots, slot, slotInfoOf(parts)));
    await this.runTrial(parts);
  }

  #download(plan: DownloadPlan): void {
    if (this.#fetcher?.bundleId === plan.bundleId && !this.#fetcher.finished) return; // already on it
    if (this.trust === null) return this.refuse(plan.bundleId, this.noRootError(), false);
    const local = this.o.localBundle?.(plan.bundleId) ?? null;
    if (local !== null && local.length === plan.bytes && sha256Hex(local) === plan.sha256) {
      this.#stopFetcher();
      this.chunks.removeAllBut(null);
      this.lastError = null;
      this.log.info({ bundle: plan.bundleId }, 'installing the shadow challenger from its verified file; no download');
      this.setPhase('verifying', { desiredBundle: plan.bundleId, installingBundle: plan.bundleId, chunksHave: plan.total, chunksTotal: plan.total });
      return void this.enqueue('install', () => this.#installBytes(plan.bundleId, local));
    }
    this.#stopFetcher();
    this.chunks.removeAllBut(plan.bundleId);
    const fetcher = new ChunkFetcher({
      plan, topics: this.o.topics, link: this.o.link, store: this.chunks, window: this.o.bundles.chunkWindow,
      ...(this.o.chunkRetryDelayMs !== undefined ? { retryDelayMs: this.o.chunkRetryDelayMs } : {}),
      onStored: (index, have, total) => {
        this.reporter.progress(this.report({ chunksHave: have, chunksTotal: total }));
        this.step('download', { bundleId: plan.bundleId, index, have, total });
      },
      onComplete: (have) => this.enqueue('install', () => this.#install(plan, have)),
      onFailed: (e) => this.enqueue('download failed', async () => {
        if (this.#fetcher === fetcher) this.#fetcher = null;
        this.chunks.remove(plan.bundleId);
        this.refuse(plan.bundleId, e, false);
      }),
      onBadChunk: (index, e) => this.log.warn({ bundle: plan.bundleId, index, err: e.message }, 'bad bundle chunk dropped; requesting it again'),
    });
    this.#fetcher = fetcher;
    this.lastError = null;
    this.setPhase('downloading', { desiredBundle: plan.bundleId, installingBundle: plan.bundleId, chunksHave: 0, chunksTotal: plan.total });
    fetcher.start();
    if (fetcher.counters.resumed > 0) this.log.info({ bundle: plan.bundleId, have: fetcher.counters.resumed, total: plan.total }, 'resuming bundle download');
    if (!fetcher.finished) this.reporter.progress(this.report({ chunksHave: fetcher.have }));
  }

  async #install(plan: DownloadPlan, have: ReadonlyMap<number, string>): Promise<void> {
    if (this.#desired?.bundleId !== plan.bundleId) return; // superseded while the last chunks arrived
    const id = plan.bundleId;
    this.setPhase('verifying', { chunksHave: plan.total, chunksTotal: plan.total });
    this.step('verify', { bundleId: id });
    let bytes: Uint8Array;
    try {
      bytes = joinChunks(this.chunks.read(id, have, plan.total), { bytes: plan.bytes, sha256Hex: plan.sha256 });
    } catch (e) {
      this.chunks.remove(id);
      return this.refuse(id, asError(e, 'EH_BUNDLE_CHUNK'), false);
    }
    return this.#installBytes(id, bytes);
  }

  /** Verify, write, swap, check: the same whether the bytes came from chunks or from the shadow's file. */
  async #installBytes(id: string, bytes: Uint8Array): Promise<void> {
    if (this.#desired?.bundleId !== id) return;
    const trust = this.trust;
    if (trust === null) return this.refuse(id, this.noRootError(), false);
    let verified;
    try {
      verified = verifyBundle(bytes, trust, { fleet: this.o.fleet, profile: this.o.profile, agentVersion: this.o.agentVersion, nowMs: this.o.wallClock.now() });
      if (verified.id !== id) throw new EdgehiveError('EH_BUNDLE_HASH', `the bundle's manifest hashes to ${verified.id.slice(0, 12)}, not to the id ${id.slice(0, 12)} the desired state names; the hub published mismatched bundle and desired state`);
    } catch (e) {
      this.chunks.remove(id);
      return this.refuse(id, asError(e, 'EH_BUNDLE_MALFORMED'), true);
    }
    this.setPhase('writing');
    const slot = targetSlot(this.slots);
    // The pointer forgets what the slot held before its file is replaced, so it never names a
    // bundle the file no longer holds (a kill between the two renames).
    if (this.slots.slots[slot] !== null) this.saveSlots(dropSlot(this.slots, slot));
    const path = this.slotStore.slotPath(slot);
    const tmp = writeTempFile(path, bytes);
    this.step('write', { bundleId: id, slot });
    this.live();
    commitTempFile(tmp, path);
    this.setPhase('swapping');
    this.saveSlots(beginTrial(this.slots, slot, slotInfoOf(verified)));
    this.saveTrust(verified.trust);
    this.step('swap', { bundleId: id, slot });
    this.chunks.remove(id);
    if (this.#fetcher?.bundleId === id) this.#fetcher = null;
    await this.runTrial(verified, verified.target);
  }

  /**
   * The health check of the trial slot. Pass: committed and running. Fail: the pointer goes back
   * to the slot the trial replaced, whose model (still loaded, or loaded now after a restart) runs.
   */
  protected override async runTrial(parts: BundleParts, target?: BundleTarget): Promise<void> {
    const t = this.slots.trial!;
    const label = `bundle ${parts.manifest.model} v${parts.manifest.version}`;
    this.setPhase('checking', { installingBundle: t.bundleId });
    try {
      const budget = target ?? parts.manifest.targets.find((x) => x.profile === this.o.profile);
      if (budget === undefined) throw new EdgehiveError('EH_BUNDLE_HEALTH', `${label} has no latency budget for profile ${this.o.profile}`);
      const spec = modelSpecOf(parts);
      await runHealthCheck(modelBytesOf(parts), parts.manifest.check, {
        budgetMs: budget.latencyBudgetMs, latencyScale: this.o.bundles.latencyScale, label,
        onRunning: () => this.step('health', { bundleId: t.bundleId, slot: t.slot }),
      });
      await this.loadModel(parts, this.slots.slots[t.slot]!, spec);
    } catch (e) {
      return this.failTrial(asError(e, 'EH_BUNDLE_HEALTH'));
    }
    this.saveSlots(commitTrial(this.slots));
    this.lastError = null;
    this.log.info({ bundle: t.bundleId, slot: t.slot, model: this.running?.model, version: this.running?.version }, 'bundle active');
    this.setPhase('active', { installingBundle: '' });
  }

  protected override async failTrial(e: EdgehiveError): Promise<void> {
    const t = this.slots.trial!;
    const failure: FailedBundle = { bundleId: t.bundleId, code: e.code, message: e.message, atMs: this.o.wallClock.now() };
    this.saveSlots(abandonTrial(this.slots, failure));
    this.lastError = { code: e.code, message: e.message, bundleId: t.bundleId };
    this.log.error({ bundle: t.bundleId, err: e.message }, 'bundle failed its health check; back to the previous slot');
    const back = this.slots.active;
    if (back === null) {
      await this.unloadModel();
      return this.setPhase('failed', { installingBundle: '' });
    }
    const info = this.slots.slots[back]!;
    if (this.running?.bundleId !== info.bundleId) await this.restoreSlot(back);
    this.setPhase('rolled-back', { installingBundle: '' });
  }
}

function asError(e: unknown, code: EdgehiveError['code']): EdgehiveError {
  if (e instanceof EdgehiveError) return e;
  return new EdgehiveError(code, (e as Error).message ?? String(e), undefined, { cause: e });
}
