/**
 * The agent's drift reporting for the active model (DESIGN.md "Drift and continuous training"):
 * feeds the model's stream and raw scores to a DriftMonitor, and stores DriftReports in the
 * outbox (so they survive being offline and are never dropped):
 * - on the schedule `drift.schedule` (node-cron, wall time): the window so far. The window then
 *   starts again, unless it has fewer than `minSamples` readings: a slow stream keeps
 *   accumulating until it can be judged, instead of sending an unjudgeable window every time.
 *   An empty window sends nothing.
 * - at once when a reason is raised (a threshold crossed), checked every CHECK_EVERY readings,
 *   at most once per minute per reason, so a drifting device does not flood its outbox. These
 *   reports do not start a new window.
 *
 * DriftReport.alarm is distribution drift only; data-quality problems travel in each feature's
 * stuck / missing_rate / out_of_range_rate (judge.ts says which is which).
 */
import type { DriftSettings, ReferenceStats } from '../../shared/drift/index.ts';
import { isEdgehiveError } from '../../shared/errors/index.ts';
import type { Logger } from '../../shared/log/logger.ts';
import { encode } from '../../shared/protocol/codec.ts';
import type { Clock } from '../../shared/time/clock.ts';
import type { ScoredReading } from '../runtime/model-host.ts';
import type { SensorReading } from '../sensors/types.ts';
import { DriftMonitor, type DriftSnapshot } from './monitor.ts';
import { schedule, type Schedule } from './schedule.ts';

/** Readings between two threshold checks (a check costs a report: microseconds). */
export const CHECK_EVERY = 64;
/** The least time between two immediate reports for the same reason. */
export const REASON_EVERY_MS = 60_000;

export interface DriftModel {
  /** ScoredReading.modelId of the model (bundle-model.ts modelIdOf). */
  readonly id: string;
  readonly model: string;
  readonly version: number;
  readonly stream: string;
  readonly reference: ReferenceStats;
}

export interface DriftReporterOptions {
  readonly settings: DriftSettings;
  /** Stores one drift record (Agent.appendRecord('drift', build)). */
  readonly append: (build: (seq: number, tsMs: number) => Uint8Array) => void;
  /** Time of the window judgements and of the per-reason limit (the agent's record clock). */
  readonly clock: Clock;
  readonly logger: Logger;
}

interface Active {
  readonly model: DriftModel;
  readonly monitor: DriftMonitor;
  /** The last stream feature list seen and its column map (reference feature j = column[j], −1 absent). */
  features: readonly string[] | null;
  columns: Int32Array;
  sinceCheck: number;
}

export class DriftReporter {
  readonly #o: DriftReporterOptions;
  #active: Active | null = null;
  #schedule: Schedule | null = null;
  /** reason → when it was last reported at once. */
  readonly #lastSent = new Map<string, number>();
  #sent = 0;

  constructor(options: DriftReporterOptions) {
    this.#o = options;
  }

  /** Drift reports stored so far. */
  get sent(): number { return this.#sent; }
  get modelId(): string | null { return this.#active?.model.id ?? null; }

  /** A model with reference statistics became active: monitoring starts with an empty window. */
  activate(model: DriftModel): void {
    this.deactivate();
    let monitor: DriftMonitor;
    try {
      monitor = new DriftMonitor(model.reference, this.#o.settings);
    } catch (e) {
      if (!isEdgehiveError(e)) throw e;
      this.#o.logger.error({ model: model.id, err: e.message }, 'reference statistics unusable; no drift monitoring for this model');
      return;
    }
    this.#active = { model, monitor, features: null, columns: new Int32Array(0), sinceCheck: 0 };
    try {
      this.#schedule = schedule(this.#o.settings.schedule, () => this.#scheduled());
    } catch (e) {
      if (!isEdgehiveError(e)) throw e;
      this.#o.logger.error({ err: e.message }, 'no scheduled drift reports; threshold reports still go out');
    }
    this.#o.logger.info({ model: model.id, features: monitor.features.length, schedule: this.#o.settings.schedule }, 'drift monitoring');
  }

  /** No model, or one without reference statistics: monitoring stops, the window is dropped. */
  deactivate(): void {
    this.#schedule?.stop();
    this.#schedule = null;
    this.#active = null;
    this.#lastSent.clear();
  }

  /** The agent stops or crashes. */
  stop(): void {
    this.deactivate();
  }

  /** Readings of a stream, in the stream's feature order (the same the ModelHost is offered). */
  offer(stream: string, features: readonly string[], readings: readonly SensorReading[]): void {
    const a = this.#active;
    if (a === null || stream !== a.model.stream || readings.length === 0) return;
    const columns = this.#columnsFor(a, features);
    for (const r of readings) a.monitor.update(r.values, columns);
    a.sinceCheck += readings.length;
    if (a.sinceCheck >= CHECK_EVERY) {
      a.sinceCheck = 0;
      this.#check(a);
    }
  }

  /** A scored reading; only the monitored model's raw scores count (NaN: no score). */
  onScore(s: ScoredReading): void {
    const a = this.#active;
    if (a !== null && s.modelId === a.model.id) a.monitor.updateOutput(s.raw);
  }

  /** The current window's judgement, without sending it (for the CLI and tests). */
  snapshot(): DriftSnapshot | null {
    return this.#active?.monitor.report(this.#o.clock.now()) ?? null;
  }

  #columnsFor(a: Active, features: readonly string[]): Int32Array {
    // Adapters pass the same array every time, so this is one comparison per batch.
    if (a.features === features) return a.columns;
    a.columns = Int32Array.from(a.monitor.features, (f) => features.indexOf(f));
    a.features = features;
    const absent = a.monitor.features.filter((_, j) => a.columns[j] === -1);
    if (absent.length > 0) this.#o.logger.warn({ model: a.model.id, stream: a.model.stream, absent }, 'stream lacks features of the drift reference; they count as missing');
    return a.columns;
  }

  #check(a: Active): void {
    const snap = a.monitor.report(this.#o.clock.now());
    if (snap.reasons.length === 0) return;
    const now = snap.tsMs;
    const due = snap.reasons.filter((r) => {
      const last = this.#lastSent.get(r);
      return last === undefined || now - last >= REASON_EVERY_MS;
    });
    if (due.length === 0) return;
    for (const r of due) this.#lastSent.set(r, now);
    this.#send(a, snap, 'threshold', due);
  }

  #scheduled(): void {
    const a = this.#active;
    if (a === null || a.monitor.readings === 0) return;
    const snap = a.monitor.report(this.#o.clock.now());
    this.#send(a, snap, 'schedule', snap.reasons);
    if (snap.readings >= this.#o.settings.minSamples) a.monitor.reset();
  }

  #send(a: Active, snap: DriftSnapshot, why: 'schedule' | 'threshold', reasons: string[]): void {
    try {
      this.#o.append((seq, tsMs) => encode('drift', {
        seq, tsMs, model: a.model.model, modelVersion: String(a.model.version),
        features: snap.features.map((f) => ({ feature: f.feature, psi: f.psi, ks: f.ks, missingRate: f.missingRate, outOfRangeRate: f.outOfRangeRate, stuck: f.stuck, samples: f.samples })),
        outputJs: snap.outputJs, samples: snap.readings, alarm: snap.alarm,
      }));
      this.#sent++;
      this.#o.logger.info({ model: a.model.id, why, alarm: snap.alarm, drift: snap.drift, quality: snap.quality, reasons, samples: snap.readings }, 'drift report');
    } catch (e) {
      // The outbox refused it (full of records, or the agent is stopping): monitoring goes on.
      this.#o.logger.warn({ err: e, why }, 'drift report not stored');
    }
  }
}
