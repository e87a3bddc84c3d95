/**
 * Training data from CSV: a header row, a `timestamp` column (ISO 8601 date, or epoch
 * milliseconds) and numeric feature columns — NAB's files are `timestamp,value`. An empty cell,
 * NaN, NA or null is a missing value. An optional `series` column (text) holds independent series
 * (one per device) in one file; rows are grouped by it and windows never cross from one to the
 * next. Rows are sorted by time (stably) within each series. Timestamps without a zone, as NAB
 * writes them ("2014-02-14 14:30:00"), are read as UTC, never in the host's local time.
 */
import { readFileSync } from 'node:fs';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { TrainingRows } from './dataset.ts';

export const TIMESTAMP_COLUMN = 'timestamp';
export const SERIES_COLUMN = 'series';

const MISSING = new Set(['', 'nan', 'na', 'null', 'none']);

/** Splits one CSV line; double-quoted fields may hold commas and "" for a quote. */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = false; else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Epoch ms of a timestamp cell, or NaN when it is neither a number nor a date. */
export function parseTimestamp(text: string): number {
  const t = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  // ISO 8601 with a space instead of T, and no zone: read as UTC.
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (m) return Date.parse(`${m[1]}T${m[2]}${m[5] ?? 'Z'}`);
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return Date.parse(`${t}T00:00:00Z`);
  return NaN;
}

function bad(what: string, line: number, problem: string): never {
  throw new EdgehiveError('EH_BAD_REQUEST', `${what} line ${line}: ${problem}`, { line });
}

/** Parses CSV text; `what` names the source in errors ("data.csv"). */
export function parseCsv(text: string, what = 'CSV'): TrainingRows {
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.trim());
  const tsCol = header.indexOf(TIMESTAMP_COLUMN);
  if (tsCol < 0) bad(what, 1, `the header has no "${TIMESTAMP_COLUMN}" column (it has: ${header.join(', ')}); the first line must name the columns, one of them "${TIMESTAMP_COLUMN}"`);
  const seriesCol = header.indexOf(SERIES_COLUMN);
  const featureCols = header.map((_, i) => i).filter((i) => i !== tsCol && i !== seriesCol);
  const features = featureCols.map((i) => header[i] as string);
  const dup = features.find((f, i) => features.indexOf(f) !== i);
  if (dup !== undefined) bad(what, 1, `column "${dup}" appears twice`);
  if (features.some((f) => f === '')) bad(what, 1, 'a column has no name');

  const nf = features.length;
  type Row = { ts: number; series: string; values: Float64Array; order: number };
  const parsed: Row[] = [];
  for (let li = 1; li < lines.length; li++) {
    const line = lines[li] as string;
    if (line.trim() === '') continue;
    const cells = splitCsvLine(line);
    if (cells.length !== header.length) bad(what, li + 1, `has ${cells.length} fields, the header has ${header.length}`);
    const tsText = cells[tsCol] as string;
    const ts = parseTimestamp(tsText);
    if (!Number.isFinite(ts)) bad(what, li + 1, `timestamp ${JSON.stringify(tsText)} is neither an ISO 8601 date nor epoch milliseconds`);
    const values = new Float64Array(nf);
    featureCols.forEach((c, j) => {
      const cell = (cells[c] as string).trim();
      if (MISSING.has(cell.toLowerCase())) { values[j] = NaN; return; }
      const v = Number(cell);
      if (!Number.isFinite(v)) bad(what, li + 1, `column "${features[j]}" holds ${JSON.stringify(cell)}, not a number (leave it empty for a missing value)`);
      values[j] = v;
    });
    parsed.push({ ts, series: seriesCol >= 0 ? (cells[seriesCol] as string).trim() : '', values, order: parsed.length });
  }
  if (parsed.length === 0) throw new EdgehiveError('EH_DATA_INSUFFICIENT', `${what} has a header but no rows`);

  // Group by series (in order of first appearance), then by time; ties keep file order.
  const rank = new Map<string, number>();
  for (const r of parsed) if (!rank.has(r.series)) rank.set(r.series, rank.size);
  parsed.sort((a, b) => rank.get(a.series)! - rank.get(b.series)! || a.ts - b.ts || a.order - b.order);
  const rows = new Float64Array(parsed.length * nf);
  const timestamps = new Array<number>(parsed.length);
  const segments: number[] = [];
  parsed.forEach((r, i) => {
    rows.set(r.values, i * nf);
    timestamps[i] = r.ts;
    if (i === 0 || parsed[i - 1]!.series !== r.series) segments.push(i);
  });
  return { features, timestamps, rows, ...(segments.length > 1 ? { segments } : {}) };
}

export function readCsvFile(file: string): TrainingRows {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new EdgehiveError('EH_NOT_FOUND', `cannot read data file ${file}: ${(e as Error).message}`);
  }
  return parseCsv(text, file);
}

function cell(v: number): string {
  return Number.isNaN(v) ? '' : String(v);
}

/** The inverse of parseCsv: timestamps as ISO 8601 UTC, missing values as empty cells. */
export function formatCsv(data: TrainingRows, seriesNames?: readonly string[]): string {
  const nf = data.features.length;
  const starts = data.segments ?? [0];
  const withSeries = seriesNames !== undefined && starts.length > 0;
  const lines = [[TIMESTAMP_COLUMN, ...(withSeries ? [SERIES_COLUMN] : []), ...data.features].join(',')];
  let seg = 0;
  for (let r = 0; r < data.timestamps.length; r++) {
    while (seg + 1 < starts.length && (starts[seg + 1] as number) <= r) seg++;
    const row = data.rows instanceof Float64Array ? data.rows.subarray(r * nf, (r + 1) * nf) : (data.rows[r] as ArrayLike<number>);
    const values: string[] = [];
    for (let j = 0; j < nf; j++) values.push(cell(row[j] as number));
    lines.push([new Date(data.timestamps[r] as number).toISOString(), ...(withSeries ? [seriesNames[seg] ?? String(seg)] : []), ...values].join(','));
  }
  return `${lines.join('\n')}\n`;
}
