/**
 * Training data from the hub's store: one device's readings, or every device of a group (each
 * device its own series, so windows never mix two devices). Features are matched by name within
 * one telemetry stream — the stream given, else the one stream whose readings carry every
 * feature the recipe needs — and read page by page in time order.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Store, StoredReading } from '../store/types.ts';
import type { TrainingRows } from './dataset.ts';

export interface StoreSourceOptions {
  /** One device, or… */
  readonly device?: string;
  /** …every device of a group. */
  readonly group?: string;
  /** Columns wanted, in order (input features, then a classify label). */
  readonly features: readonly string[];
  readonly stream?: string;
  readonly fromMs?: number;
  readonly toMs?: number;
  /** Newest readings kept per device (bounds memory on a long history). */
  readonly maxRows?: number;
  /** Readings per query (default 50 000). */
  readonly pageSize?: number;
}

interface DeviceSeries { readonly timestamps: number[]; readonly rows: Float64Array[] }

function pickStream(featuresByStream: Record<string, string[]>, wanted: readonly string[], device: string): string {
  const fits = Object.keys(featuresByStream).sort().filter((s) => wanted.every((f) => featuresByStream[s]!.includes(f)));
  if (fits.length > 0) return fits[0] as string;
  const have = Object.entries(featuresByStream).map(([s, f]) => `${s}: ${f.join(', ')}`).join('; ') || 'no readings';
  throw new EdgehiveError('EH_DATA_INSUFFICIENT', `device ${device} has no telemetry stream with all of ${wanted.join(', ')} (${have}); check the recipe's feature names or pass the stream`);
}

async function readDevice(store: Store, device: string, o: StoreSourceOptions): Promise<DeviceSeries> {
  let page = o.pageSize ?? 50_000;
  let stream = o.stream;
  let fromMs = o.fromMs;
  const timestamps: number[] = [];
  const rows: Float64Array[] = [];
  // Readings at the boundary timestamp already taken (the range is inclusive at both ends).
  let boundaryTs = -Infinity;
  let boundarySeqs = new Set<number>();
  let columns: number[] | null = null;
  for (;;) {
    const res = await store.queryTelemetry(device, { limit: page, ...(stream ? { stream } : {}), ...(fromMs !== undefined ? { fromMs } : {}), ...(o.toMs !== undefined ? { toMs: o.toMs } : {}) });
    if (res.readings.length === 0) break;
    if (!stream) {
      stream = pickStream(res.features, o.features, device);
      continue; // query again, filtered to the chosen stream
    }
    const names = res.features[stream] ?? [];
    columns = o.features.map((f) => names.indexOf(f));
    const missing = o.features.filter((_, j) => columns![j]! < 0);
    if (missing.length > 0) throw new EdgehiveError('EH_DATA_INSUFFICIENT', `stream ${stream} of device ${device} has no feature ${missing.join(', ')} (it has ${names.join(', ')})`);
    let fresh = 0;
    for (const r of res.readings as StoredReading[]) {
      if (r.tsMs === boundaryTs && boundarySeqs.has(r.seq)) continue;
      if (r.tsMs !== boundaryTs) { boundaryTs = r.tsMs; boundarySeqs = new Set(); }
      boundarySeqs.add(r.seq);
      const row = new Float64Array(columns.length);
      columns.forEach((c, j) => { const v = r.values[c]; row[j] = v === null || v === undefined ? NaN : v; });
      timestamps.push(r.tsMs);
      rows.push(row);
      fresh++;
    }
    if (res.readings.length < page) break;
    // A full page of one timestamp would come back again: widen the page instead of looping.
    if (fresh === 0) page *= 2;
    fromMs = boundaryTs;
  }
  if (o.maxRows !== undefined && rows.length > o.maxRows) {
    const cut = rows.length - o.maxRows;
    return { timestamps: timestamps.slice(cut), rows: rows.slice(cut) };
  }
  return { timestamps, rows };
}

/** Reads the readings into TrainingRows (features = `options.features`). */
export async function readStoreRows(store: Store, options: StoreSourceOptions): Promise<TrainingRows> {
  if ((options.device === undefined) === (options.group === undefined)) {
    throw new EdgehiveError('EH_BAD_REQUEST', 'training data from the store needs exactly one of a device or a group');
  }
  let devices: string[];
  if (options.device !== undefined) {
    if (!(await store.getDevice(options.device))) throw new EdgehiveError('EH_NOT_FOUND', `device ${options.device} is not in the store`);
    devices = [options.device];
  } else {
    devices = (await store.listDevices({ group: options.group! })).map((d) => d.id);
    if (devices.length === 0) throw new EdgehiveError('EH_NOT_FOUND', `group ${options.group} has no devices in the store`);
  }
  const nf = options.features.length;
  const timestamps: number[] = [];
  const parts: Float64Array[] = [];
  const segments: number[] = [];
  for (const d of devices) {
    const s = await readDevice(store, d, options);
    if (s.rows.length === 0) continue;
    segments.push(timestamps.length);
    for (let i = 0; i < s.rows.length; i++) { timestamps.push(s.timestamps[i]!); parts.push(s.rows[i]!); }
  }
  if (timestamps.length === 0) {
    throw new EdgehiveError('EH_DATA_INSUFFICIENT', `no readings stored for ${options.device !== undefined ? `device ${options.device}` : `group ${options.group}`} in the requested time range`);
  }
  const rows = new Float64Array(timestamps.length * nf);
  parts.forEach((r, i) => rows.set(r, i * nf));
  return { features: [...options.features], timestamps, rows, ...(segments.length > 1 ? { segments } : {}) };
}
