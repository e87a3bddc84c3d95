/**
 * Storage for the drift reports agents send (d/{device}/drift). Reached as `store.drift`; SQLite
 * and PostgreSQL implement it and pass one contract suite (test/integration/drift-contract.ts).
 * One row per (report, feature), so the fleet can be asked "which devices drift on feature X"
 * without unpacking reports; the report's own fields (model, output drift, alarm) repeat on each.
 */

/** One feature of one drift report, as stored. */
export interface DriftRow {
  device: string;
  /** The report's seq on the device's `drift` stream. */
  seq: number;
  /** Agent clock of the report, and hub clock when it arrived. */
  tsMs: number;
  receivedMs: number;
  model: string;
  modelVersion: string;
  /**
   * The feature; '' for a report that carried no per-feature rows (only output drift), so such a
   * report is still stored once and its output drift stays queryable.
   */
  feature: string;
  psi: number;
  ks: number;
  missingRate: number;
  outOfRangeRate: number;
  stuck: boolean;
  /** Readings of this feature the figures rest on. */
  samples: number;
  /** Jensen-Shannon distance of the model's output distribution (the report's, on every row). */
  outputJs: number;
  /** Whether the agent raised an alarm with this report. */
  alarm: boolean;
}

export interface DriftQuery {
  /** Devices of this group only (the device's current group). */
  group?: string;
  device?: string;
  feature?: string;
  /** Reports about this model only (the name the agent reported). */
  model?: string;
  /** Inclusive bounds on the report's tsMs. */
  fromMs?: number;
  toMs?: number;
  limit: number;
}

export interface DriftWriteResult {
  /** Rows newly stored. */
  inserted: number;
  /** Rows already stored by an earlier copy of the same report: ignored. */
  duplicates: number;
}

export interface DriftStore {
  /** Stores the rows in one transaction; (device, seq, feature) is stored at most once. */
  putDriftReports(rows: readonly DriftRow[]): Promise<DriftWriteResult>;
  /** Newest first (tsMs, then device, seq and feature for a stable order). */
  queryDrift(q: DriftQuery): Promise<DriftRow[]>;
}

/** Column order shared by both implementations' INSERTs. */
export const DRIFT_COLUMNS = [
  'device', 'seq', 'ts_ms', 'received_ms', 'model', 'model_version', 'feature', 'psi', 'ks', 'missing_rate',
  'out_of_range_rate', 'stuck', 'samples', 'output_js', 'alarm',
] as const;

/** A row's values in DRIFT_COLUMNS order; `bool` maps booleans to what the database takes. */
export function driftValues<B>(r: DriftRow, bool: (b: boolean) => B): unknown[] {
  return [r.device, r.seq, r.tsMs, r.receivedMs, r.model, r.modelVersion, r.feature, r.psi, r.ks, r.missingRate,
    r.outOfRangeRate, bool(r.stuck), r.samples, r.outputJs, bool(r.alarm)];
}

/** A database row back to a DriftRow (SQLite gives 0/1 for booleans, PostgreSQL true/false). */
export function toDriftRow(r: Record<string, unknown>): DriftRow {
  return {
    device: r.device as string,
    seq: Number(r.seq),
    tsMs: Number(r.ts_ms),
    receivedMs: Number(r.received_ms),
    model: r.model as string,
    modelVersion: r.model_version as string,
    feature: r.feature as string,
    psi: Number(r.psi),
    ks: Number(r.ks),
    missingRate: Number(r.missing_rate),
    outOfRangeRate: Number(r.out_of_range_rate),
    stuck: Boolean(r.stuck),
    samples: Number(r.samples),
    outputJs: Number(r.output_js),
    alarm: Boolean(r.alarm),
  };
}
