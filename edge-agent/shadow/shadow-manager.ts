/**
 * Shadow evaluation on the agent (docs/decisions/0012-shadow-on-the-agent.md): the desired
 * state's shadow_bundle_* names a challenger; it is downloaded with the same chunk fetcher as any
 * bundle, verified without raising the highest-seen version, kept in shadow.ehb, health-checked,
 * and run beside the champion on the same readings. Its figures go into the reported state.
 *
 *   desired shadow ─▶ downloading ─▶ verifying ─▶ shadow.ehb ─▶ health check ─▶ running
 *   cleared or replaced ─▶ stopped (file removed)      any refusal ─▶ failed (champion untouched)
 *   desired bundle = shadow ─▶ stopped; the installer takes shadow.ehb (localBundle), no download
 */
import { join } from 'node:path';
import { joinChunks, type BundleParts, type TrustState } from '../../shared/bundle/index.ts';
import { EdgehiveError, isEdgehiveError } from '../../shared/errors/index.ts';
import { OnnxSession } from '../../shared/inference/index.ts';
import type { Logger } from '../../shared/log/logger.ts';
import { decode } from '../../shared/protocol/codec.ts';
import type { DesiredState } from '../../shared/protocol/messages.ts';
import { modelBytesOf, modelSpecOf } from '../bundles/bundle-model.ts';
import { ChunkStore } from '../bundles/chunk-store.ts';
import { planFor, type DownloadPlan } from '../bundles/desired-plan.ts';
import { ChunkFetcher } from '../bundles/fetcher.ts';
import { runHealthCheck } from '../bundles/health-check.ts';
import type { BundlePlace } from '../bundles/installer-core.ts';
import type { ShadowReport } from '../bundles/reporter.ts';
import { emptySlots } from '../bundles/slots.ts';
import type { Detector, ScoreNormaliser } from '../runtime/model-host.ts';
import { Challenger } from './challenger.ts';
import { SHADOW_INCOMING, ShadowFile } from './shadow-file.ts';
import type { ShadowFigures } from './shadow-stats.ts';
import { verifyChallenger, type ChampionInfo } from './shadow-verify.ts';

export type ShadowPhase = ShadowReport['phase'];

export interface ShadowOptions extends BundlePlace {
  readonly trust: () => TrustState | null;
  readonly champion: () => ChampionInfo | null;
  readonly championP99Ms: () => number;
  /** Puts the challenger beside the champion in the ModelHost (null removes it). */
  readonly attach: (c: Challenger | null) => Promise<void>;
  readonly scoring: () => { normaliser: () => ScoreNormaliser; detector: () => Detector };
  /** Republishes the reported state (a phase change). */
  readonly publish: () => void;
}

const zeroFigures = (): ShadowFigures => ({
  inferences: 0, agreement: 0, championMeanScore: 0, challengerMeanScore: 0, scoreJs: 0,
  challengerLatencyP99Ms: 0, challengerErrors: 0, championDetections: 0, challengerDetections: 0,
});

export class ShadowManager {
  readonly #o: ShadowOptions;
  readonly #log: Logger;
  readonly #file: ShadowFile;
  readonly #chunks: ChunkStore;
  #bundleId = '';
  #phase: ShadowPhase | null = null;
  #error: EdgehiveError | null = null;
  #fetcher: ChunkFetcher | null = null;
  #challenger: Challenger | null = null;
  /** Figures of the last challenger once it stopped, so the hub still reads what it ended with. */
  #final: ShadowFigures = zeroFigures();
  /** Challengers refused in this process: a desired state re-delivered on reconnect is not fetched again. */
  readonly #failed = new Map<string, EdgehiveError>();
  #desired: DesiredState | null = null;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(o: ShadowOptions) {
    this.#o = o;
    this.#log = o.logger.child({ part: 'shadow' });
    this.#file = new ShadowFile(o.dir);
    this.#chunks = new ChunkStore(join(o.dir, SHADOW_INCOMING));
  }

  get phase(): ShadowPhase | null { return this.#phase; }
  get bundleId(): string { return this.#bundleId; }
  /** Download counters of the challenger's download, for tests. */
  downloadCounters(): ChunkFetcher['counters'] | null { return this.#fetcher ? { ...this.#fetcher.counters } : null; }

  /** Resumes a challenger verified before a restart (its figures start from zero). Call after the installer restored the champion. */
  start(): Promise<void> {
    return this.#enqueue('restore', async () => {
      let parts: BundleParts | null;
      try {
        parts = this.#file.read();
      } catch (e) {
        this.#log.error({ err: (e as Error).message }, 'shadow challenger file damaged; removed');
        return;
      }
      if (parts === null) return;
      this.#bundleId = parts.id;
      this.#log.info({ bundle: parts.id.slice(0, 12) }, 'resuming the shadow challenger verified before the restart');
      await this.#run(parts, false);
    });
  }

  onDesired(payload: Uint8Array): void {
    let d: DesiredState;
    try {
      d = decode('desired', payload);
    } catch {
      return; // the installer logs it
    }
    this.#desired = d;
    void this.#enqueue('desired', () => this.#reconcile(d));
  }

  /** True when the chunk belongs to the challenger being downloaded (the installer gets every other). */
  onChunk(bundleId: string, index: number, payload: Uint8Array): boolean {
    const f = this.#fetcher;
    if (f === null || f.bundleId !== bundleId || f.finished) return false;
    try {
      f.onChunk(index, decode('bundle-chunk', payload));
    } catch (e) {
      f.onChunk(index, new EdgehiveError('EH_BUNDLE_CHUNK', `chunk ${index} does not decode: ${(e as Error).message}`));
    }
    return true;
  }

  onUp(): void {
    this.#fetcher?.onUp();
  }

  /** The installer's localBundle: the verified challenger's bytes when the desired bundle is the shadow. */
  promotable(bundleId: string): Uint8Array | null {
    return bundleId !== '' && bundleId === this.#bundleId ? this.#file.bytesOf(bundleId) : null;
  }

  /** A champion was loaded: when it is the challenger, the promotion is done and shadow.ehb has served. */
  onChampion(bundleId: string | null): void {
    if (bundleId === null || bundleId !== this.#bundleId) return;
    void this.#enqueue('promoted', async () => {
      if (bundleId !== this.#bundleId) return;
      await this.#stop('promoted: it is now the active model');
    });
  }

  report(): ShadowReport | null {
    if (this.#phase === null) return null;
    const f = this.#challenger?.stats.figures() ?? this.#final;
    return {
      bundleId: this.#bundleId, phase: this.#phase, ...f,
      championLatencyP99Ms: this.#phase === 'running' ? this.#o.championP99Ms() : 0,
      errorCode: this.#error?.code ?? '', errorMessage: this.#error?.message ?? '',
    };
  }

  async close(graceful: boolean): Promise<void> {
    this.#closed = true;
    this.#fetcher?.stop();
    if (graceful) await this.#queue;
    const c = this.#challenger;
    this.#challenger = null;
    if (c !== null) {
      await this.#o.attach(null).catch(() => undefined);
      await c.close().catch(() => undefined);
    }
  }

  #enqueue(what: string, task: () => Promise<void>): Promise<void> {
    this.#queue = this.#queue.then(async () => {
      if (this.#closed) return;
      try {
        await task();
      } catch (e) {
        this.#log.error({ err: e, what }, 'shadow task failed; the champion is unaffected');
        if (!this.#closed) this.#fail(asError(e, 'EH_STORE_FAILED'));
      }
    });
    return this.#queue;
  }

  #setPhase(phase: ShadowPhase): void {
    this.#phase = phase;
    if (!this.#closed) this.#o.publish();
  }

  async #reconcile(d: DesiredState): Promise<void> {
    if (d !== this.#desired) return;
    const id = d.shadowBundleId ?? '';
    if (id === '' || id !== this.#bundleId) {
      // Promoted: the file stays until the installer has installed from it (onChampion).
      const keepFile = this.#bundleId !== '' && d.bundleId === this.#bundleId;
      if (this.#bundleId !== '') await this.#stop(keepFile ? 'promotion asked: the installer takes it' : 'no longer desired', keepFile);
      if (id === '') return;
    }
    if (d.bundleId === id) {
      // The challenger is the desired champion: there is nothing left to compare.
      if (this.#challenger !== null) await this.#stop('promotion asked: the installer takes it', true);
      return;
    }
    // Already on it (a reconnect re-delivers the retained state); a transport failure is tried again.
    if (id === this.#bundleId && (this.#phase === 'downloading' || this.#phase === 'verifying' || this.#phase === 'running')) return;
    this.#bundleId = id;
    this.#error = null;
    this.#final = zeroFigures();
    const failed = this.#failed.get(id);
    if (failed !== undefined) return this.#fail(failed);
    const action = planFor({ bundleId: id, bundleChunks: d.shadowBundleChunks ?? 0, bundleBytes: d.shadowBundleBytes ?? 0, bundleSha256: d.shadowBundleSha256 ?? '' }, emptySlots(), { maxBundleBytes: this.#o.bundles.maxBundleBytes });
    if (action.kind === 'refuse') return this.#fail(action.error, false);
    if (action.kind !== 'download') return;
    const onDisk = this.#file.bytesOf(id);
    if (onDisk !== null) return this.#verifyAndRun(action.plan, onDisk);
    this.#download(action.plan);
  }

  #download(plan: DownloadPlan): void {
    this.#chunks.removeAllBut(plan.bundleId);
    const fetcher = new ChunkFetcher({
      plan, topics: this.#o.topics, link: this.#o.link, store: this.#chunks, window: this.#o.bundles.chunkWindow,
      onStored: () => undefined,
      onComplete: (have) => void this.#enqueue('verify', async () => {
        if (this.#fetcher !== fetcher) return;
        this.#fetcher = null;
        let bytes: Uint8Array;
        try {
          bytes = joinChunks(this.#chunks.read(plan.bundleId, have, plan.total), { bytes: plan.bytes, sha256Hex: plan.sha256 });
        } catch (e) {
          this.#chunks.remove(plan.bundleId);
          return this.#fail(asError(e, 'EH_BUNDLE_CHUNK'), false);
        }
        this.#chunks.remove(plan.bundleId);
        await this.#verifyAndRun(plan, bytes);
      }),
      onFailed: (e) => void this.#enqueue('download failed', async () => {
        if (this.#fetcher !== fetcher) return;
        this.#fetcher = null;
        this.#chunks.remove(plan.bundleId);
        this.#fail(e, false);
      }),
      onBadChunk: (index, e) => this.#log.warn({ bundle: plan.bundleId, index, err: e.message }, 'bad challenger chunk dropped; requesting it again'),
    });
    this.#fetcher = fetcher;
    this.#setPhase('downloading');
    fetcher.start();
  }

  async #verifyAndRun(plan: DownloadPlan, bytes: Uint8Array): Promise<void> {
    if (this.#bundleId !== plan.bundleId) return;
    this.#setPhase('verifying');
    const trust = this.#o.trust();
    if (trust === null) return this.#fail(new EdgehiveError('EH_BUNDLE_KEY_UNKNOWN', 'no trusted root: provision the device with the fleet\'s root keys'), false);
    let verified;
    try {
      verified = verifyChallenger(bytes, plan.bundleId, trust, { fleet: this.#o.fleet, profile: this.#o.profile, agentVersion: this.#o.agentVersion, nowMs: this.#o.wallClock.now() }, this.#o.champion());
    } catch (e) {
      this.#file.remove();
      return this.#fail(asError(e, 'EH_BUNDLE_MALFORMED'));
    }
    this.#file.write(bytes);
    await this.#run(verified, true, verified.target.latencyBudgetMs);
  }

  /** Health check (when asked), then a second ORT session beside the champion. */
  async #run(parts: BundleParts, check: boolean, budgetMs?: number): Promise<void> {
    const label = `challenger ${parts.manifest.model} v${parts.manifest.version}`;
    let challenger: Challenger;
    try {
      const spec = modelSpecOf(parts);
      if (check) {
        await runHealthCheck(modelBytesOf(parts), parts.manifest.check, { budgetMs: budgetMs ?? Number.POSITIVE_INFINITY, latencyScale: this.#o.bundles.latencyScale, label });
      }
      const session = await OnnxSession.load(spec.model, { intraOpThreads: 1 });
      const scoring = this.#o.scoring();
      challenger = new Challenger({ spec, session, normaliser: scoring.normaliser(), detector: scoring.detector(), logger: this.#log });
    } catch (e) {
      this.#file.remove();
      return this.#fail(asError(e, 'EH_BUNDLE_HEALTH'));
    }
    if (this.#closed) {
      await challenger.close();
      return;
    }
    this.#challenger = challenger;
    await this.#o.attach(challenger);
    this.#error = null;
    this.#log.info({ bundle: parts.id.slice(0, 12), model: parts.manifest.model, version: parts.manifest.version }, 'shadow challenger running beside the champion');
    this.#setPhase('running');
  }

  /** Stops the challenger; its figures stay in the report with phase stopped. */
  async #stop(why: string, keepFile = false): Promise<void> {
    this.#fetcher?.stop();
    this.#fetcher = null;
    this.#chunks.removeAllBut(null);
    const c = this.#challenger;
    this.#challenger = null;
    if (c !== null) {
      this.#final = c.stats.figures();
      await this.#o.attach(null);
      await c.close();
    }
    if (!keepFile) this.#file.remove();
    if (this.#phase !== null && this.#phase !== 'stopped') this.#log.info({ bundle: this.#bundleId.slice(0, 12), why }, 'shadow challenger stopped');
    if (this.#phase !== null) this.#setPhase('stopped');
  }

  /** `record`: the bundle itself is at fault, so a re-delivered desired state does not fetch it again. */
  #fail(e: EdgehiveError, record = true): void {
    if (record) this.#failed.set(this.#bundleId, e);
    this.#error = e;
    this.#log.warn({ bundle: this.#bundleId.slice(0, 12), code: e.code, err: e.message }, 'shadow challenger refused; the champion is unaffected');
    this.#setPhase('failed');
  }
}

function asError(e: unknown, code: EdgehiveError['code']): EdgehiveError {
  if (isEdgehiveError(e)) return e;
  return new EdgehiveError(code, (e as Error).message ?? String(e), undefined, { cause: e });
}
