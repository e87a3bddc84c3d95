/**
 * The agent's reported state (d/{device}/reported, retained): where the install of the desired
 * bundle stands, the two slots, the last error, and inference counters of the active model for
 * the hub's rollout gates. Published on every phase change, at most once a second while chunks
 * arrive, every bundles.reportEveryMs with fresh counters, and again after each reconnect (the
 * retained copy then reflects this process, not the one before a restart).
 */
import { encode } from '../../shared/protocol/codec.ts';
import type { ShadowStatsFields } from '../../shared/protocol/messages.ts';
import type { Clock } from '../../shared/time/clock.ts';
import type { Logger } from '../../shared/log/logger.ts';

export type InstallPhase = 'idle' | 'downloading' | 'verifying' | 'writing' | 'swapping' | 'checking' | 'active' | 'failed' | 'rolled-back';

export interface SlotReport { bundleId: string; model: string; version: number; healthy: boolean }

export interface InstallReport {
  phase: InstallPhase;
  active: SlotReport | null;
  inactive: SlotReport | null;
  desiredBundle: string;
  installingBundle: string;
  chunksHave: number;
  chunksTotal: number;
  error: { code: string; message: string; bundleId: string } | null;
  /** Wall clock when the active model started running in this process; 0: none. */
  activatedMs: number;
}

export interface InferenceCounters { inferences: number; errors: number; p99Ms: number }

/** ReportedState.shadow (the proto's fields): the challenger run beside the active model (edge-agent/shadow). */
export type ShadowReport = Omit<ShadowStatsFields, 'phase'> & { phase: 'downloading' | 'verifying' | 'running' | 'failed' | 'stopped' };

export interface ReporterOptions {
  /** QoS 1 retained publish; false when offline (the latest report goes out on the next 'up'). */
  readonly publish: (payload: Uint8Array) => boolean;
  readonly wallClock: Clock;
  readonly profile: string;
  readonly agentVersion: string;
  readonly reportEveryMs: number;
  readonly counters: () => InferenceCounters;
  /** The shadow run's figures, read at each publish; null: no shadow in this process. */
  readonly shadow?: (() => ShadowReport | null) | undefined;
  readonly logger: Logger;
  /** Minimum gap between progress reports. */
  readonly progressEveryMs?: number;
}

const MAX_MESSAGE = 1000;

export function emptyReport(): InstallReport {
  return { phase: 'idle', active: null, inactive: null, desiredBundle: '', installingBundle: '', chunksHave: 0, chunksTotal: 0, error: null, activatedMs: 0 };
}

const finiteOr0 = (x: number): number => (Number.isFinite(x) ? x : 0);

export function encodeReport(r: InstallReport, c: InferenceCounters, o: { tsMs: number; profile: string; agentVersion: string }, shadow: ShadowReport | null = null): Uint8Array {
  const slot = (s: SlotReport | null) => (s === null ? null : { bundleId: s.bundleId, model: s.model, version: s.version, healthy: s.healthy });
  return encode('reported', {
    tsMs: o.tsMs,
    active: slot(r.active),
    inactive: slot(r.inactive),
    installingBundle: r.installingBundle,
    chunksHave: r.chunksHave,
    chunksTotal: r.chunksTotal,
    errorCode: r.error?.code ?? '',
    errorMessage: (r.error?.message ?? '').slice(0, MAX_MESSAGE),
    failedBundle: r.error?.bundleId ?? '',
    desiredBundle: r.desiredBundle,
    phase: r.phase,
    profile: o.profile,
    agentVersion: o.agentVersion,
    inferences: r.active ? c.inferences : 0,
    inferenceErrors: r.active ? c.errors : 0,
    latencyP99Ms: r.active && Number.isFinite(c.p99Ms) ? c.p99Ms : 0,
    activatedMs: r.activatedMs,
    shadow: shadow === null ? null : {
      ...shadow,
      agreement: finiteOr0(shadow.agreement), championMeanScore: finiteOr0(shadow.championMeanScore), challengerMeanScore: finiteOr0(shadow.challengerMeanScore),
      scoreJs: finiteOr0(shadow.scoreJs), championLatencyP99Ms: finiteOr0(shadow.championLatencyP99Ms), challengerLatencyP99Ms: finiteOr0(shadow.challengerLatencyP99Ms),
      errorMessage: shadow.errorMessage.slice(0, MAX_MESSAGE),
    },
  });
}

export class Reporter {
  readonly #o: ReporterOptions;
  /** Null until the installer has restored the slots: a report before that would claim "no model". */
  #report: InstallReport | null = null;
  #lastProgressMs = -Infinity;
  #progressTimer: NodeJS.Timeout | null = null;
  #periodic: NodeJS.Timeout | null = null;
  /** Reports published (for tests and the CLI). */
  published = 0;

  constructor(options: ReporterOptions) {
    this.#o = options;
  }

  get current(): InstallReport { return this.#report ?? emptyReport(); }

  start(): void {
    this.#periodic ??= setInterval(() => this.publish(), this.#o.reportEveryMs);
    this.#periodic.unref();
  }

  /** Replaces the report and publishes it now (phase changes, errors, slot changes). */
  set(next: InstallReport): void {
    this.#report = next;
    this.publish();
  }

  /** Download progress: published at most once per progressEveryMs, the last one never lost. */
  progress(next: InstallReport): void {
    this.#report = next;
    const gap = this.#o.progressEveryMs ?? 1000;
    const now = performance.now();
    if (now - this.#lastProgressMs >= gap) {
      this.publish();
      return;
    }
    this.#progressTimer ??= setTimeout(() => {
      this.#progressTimer = null;
      this.publish();
    }, gap - (now - this.#lastProgressMs));
    this.#progressTimer.unref();
  }

  /** Publishes the current report (also on reconnect and on the periodic timer). */
  publish(): void {
    if (this.#progressTimer) {
      clearTimeout(this.#progressTimer);
      this.#progressTimer = null;
    }
    if (this.#report === null) return;
    this.#lastProgressMs = performance.now();
    let payload: Uint8Array;
    try {
      payload = encodeReport(this.#report, this.#o.counters(), { tsMs: this.#o.wallClock.now(), profile: this.#o.profile, agentVersion: this.#o.agentVersion }, this.#o.shadow?.() ?? null);
    } catch (e) {
      this.#o.logger.error({ err: e }, 'reported state cannot be encoded; not published');
      return;
    }
    if (this.#o.publish(payload)) this.published++;
  }

  stop(): void {
    if (this.#progressTimer) clearTimeout(this.#progressTimer);
    if (this.#periodic) clearInterval(this.#periodic);
    this.#progressTimer = null;
    this.#periodic = null;
  }
}
