/**
 * The agent's drift reporting for the active model (DESIGN.md "Drift and continuous training"):
 * feeds the model's stream and raw scores to a DriftMonitor, and stores DriftReports in the
 * outbox (so they survive being offline and are never dropped):
 * It takes at most one reading and one score per `sampleEveryMs` of reading time (default one a
 * minute), so a window of minSamples readings spans the same time at any reading rate.
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
 *
 * With baseline 'device' the monitor first learns the device's own baseline (baseline.ts): its
 * reports carry alarm false and PSI/KS 0 meanwhile, and fewer readings than minSamples (so the
 * hub's policy leaves them unjudged); the log says 'learning'. Once learned it is saved in
 * `baselineDir` (baseline-file.ts) and a later activation of the same bundle reference uses it.
 */
import type { DriftSettings, ReferenceStats } from '../../shared/drift/index.ts';
import { isEdgehiveError } from '../../shared/errors/index.ts';
import type { Logger } from '../../shared/log/logger.ts';
import { encode } from '../../shared/protocol/codec.ts';
import type { Clock } from '../../shared/time/clock.ts';
import type { ScoredReading } from '../runtime/model-host.ts';
import type { SensorReading } from '../sensors/types.ts';
import { baselinePath, loadBaseline, referenceDigest, saveBaseline } from './baseline-file.ts';
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
  /** Names the persisted baseline file when given (the bundle's id); else the model id does. */
  readonly bundleId?: string;
}

export interface DriftReporterOptions {
  readonly settings: DriftSettings;
  /** Stores one drift record (Agent.appendRecord('drift', build)). */
  readonly append: (build: (seq: number, tsMs: number) => Uint8Array) => void;
  /** Time of the window judgements and of the per-reason limit (the agent's record clock). */
  readonly clock: Clock;
  readonly logger: Logger;
  /** Where learned device baselines are kept (the agent's dataDir/drift); absent: learned again at every activation. */
  readonly baselineDir?: string;
}

interface Active {
  readonly model: DriftModel;
  readonly monitor: DriftMonitor;
  /** The last stream feature list seen and its column map (reference feature j = column[j], −1 absent). */
  features: readonly string[] | null;
  columns: Int32Array;
  sinceCheck: number;
  /** The learned baseline's file; null when not persisted. */
  baselineFile: string | null;
  /** sampleEveryMs bucket of the last reading and the last score taken (NaN: none yet). */
  readingBucket: number;
  scoreBucket: number;
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
    const s = this.#o.settings;
    const baselineFile = s.baseline === 'device' && this.#o.baselineDir !== undefined ? baselinePath(this.#o.baselineDir, model.bundleId ?? model.id) : null;
    let monitor: DriftMonitor;
    try {
      monitor = new DriftMonitor(model.reference, s, baselineFile === null ? null : this.#restore(model, baselineFile));
    } catch (e) {
      if (!isEdgehiveError(e)) throw e;
      this.#o.logger.error({ model: model.id, err: e.message }, 'reference statistics unusable; no drift monitoring for this model');
      return;
    }
    this.#active = { model, monitor, features: null, columns: new Int32Array(0), sinceCheck: 0, baselineFile, readingBucket: Number.NaN, scoreBucket: Number.NaN };
    try {
      this.#schedule = schedule(this.#o.settings.schedule, () => this.#scheduled());
    } catch (e) {
      if (!isEdgehiveError(e)) throw e;
      this.#o.logger.error({ err: e.message }, 'no scheduled drift reports; threshold reports still go out');
    }
    this.#o.logger.info({ model: model.id, features: monitor.features.length, schedule: s.schedule, baseline: monitor.baseline, baselineReadings: s.baselineReadings }, 'drift monitoring');
  }

  /** A baseline learned before for this reference, or null (learn it); an unreadable file is learned again. */
  #restore(model: DriftModel, path: string) {
    try {
      const found = loadBaseline(path, model.reference, this.#o.settings.baselineReadings);
      if (found.kind === 'found') {
        this.#o.logger.info({ model: model.id, path, learnedMs: found.learnedMs }, 'device drift baseline restored');
        return found.reference;
      }
      if (found.kind === 'stale') this.#o.logger.warn({ model: model.id, path, why: found.why }, 'device drift baseline not usable; learning it again');
    } catch (e) {
      this.#o.logger.warn({ model: model.id, path, err: e }, 'device drift baseline unreadable; learning it again');
    }
    return null;
  }

  #persist(a: Active): void {
    const learned = a.monitor.learned;
    this.#o.logger.info({ model: a.model.id, readings: this.#o.settings.baselineReadings }, 'device drift baseline learned; drift is judged against it from now on');
    if (a.baselineFile === null || learned === null) return;
    try {
      saveBaseline(a.baselineFile, {
        model: a.model.id, referenceDigest: referenceDigest(a.model.reference), baselineReadings: this.#o.settings.baselineReadings,
        learnedMs: this.#o.clock.now(), reference: learned,
      });
    } catch (e) {
      // Monitoring goes on with the baseline in memory; a restart learns it again.
      this.#o.logger.warn({ model: a.model.id, path: a.baselineFile, err: e }, 'device drift baseline not saved');
    }
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
    const learning = a.monitor.baseline === 'learning';
    const every = this.#o.settings.sampleEveryMs;
    let taken = 0;
    for (const r of readings) {
      // At most one reading per sampleEveryMs of reading time (the first in each bucket): windows
      // counted in readings then span the same time whatever the device's reading rate.
      if (every > 0) {
        const bucket = Math.floor(r.tsMs / every);
        if (bucket === a.readingBucket) continue;
        a.readingBucket = bucket;
      }
      a.monitor.update(r.values, columns);
      taken++;
    }
    if (taken === 0) return;
    if (learning && a.monitor.baseline !== 'learning') this.#persist(a);
    a.sinceCheck += taken;
    if (a.sinceCheck >= CHECK_EVERY) {
      a.sinceCheck = 0;
      this.#check(a);
    }
  }

  /** A scored reading; only the monitored model's raw scores count (NaN: no score). */
  onScore(s: ScoredReading): void {
    const a = this.#active;
    if (a === null || s.modelId !== a.model.id || s.raw !== s.raw) return;
    const every = this.#o.settings.sampleEveryMs;
    if (every > 0) {
      // Scores are sampled like readings, on their own buckets: a model with a window stride
      // scores only some readings, rarely the one a bucket took.
      const bucket = Math.floor(s.tsMs / every);
      if (bucket === a.scoreBucket) return;
      a.scoreBucket = bucket;
    }
    a.monitor.updateOutput(s.raw);
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
      this.#o.logger.info({ model: a.model.id, why, alarm: snap.alarm, drift: snap.drift, quality: snap.quality, reasons, samples: snap.readings, baseline: snap.baseline, learnedReadings: snap.learnedReadings }, 'drift report');
    } catch (e) {
      // The outbox refused it (full of records, or the agent is stopping): monitoring goes on.
      this.#o.logger.warn({ err: e, why }, 'drift report not stored');
    }
  }
}
