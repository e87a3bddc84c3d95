/**
 * `timestamp,value[,…]` files for `edgehive detect`: rows in file order (NAB's files repeat a
 * timestamp at a daylight-saving change, so order, not time, identifies a row), the timestamp
 * text kept verbatim for the output, values as numbers (empty = missing).
 */
import { readFile } from 'node:fs/promises';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { parseTimestamp } from '../../cloud-hub/trainer/csv.ts';

export interface Series {
  readonly features: readonly string[];
  readonly timestampText: readonly string[];
  readonly timestamps: readonly number[];
  /** Row-major values, one array per row, in `features` order (NaN = missing). */
  readonly rows: readonly number[][];
  /** Each row's line as it was in the file, so the output repeats the input verbatim. */
  readonly lineText?: readonly string[];
}

export function parseSeriesCsv(text: string, what: string): Series {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  if (header[0] !== 'timestamp' || header.length < 2) {
    throw new EdgehiveError('EH_BAD_REQUEST', `${what}: the header must be "timestamp,<feature>[,…]", got "${lines[0] ?? ''}"`);
  }
  const features = header.slice(1);
  const timestampText: string[] = [];
  const timestamps: number[] = [];
  const rows: number[][] = [];
  const lineText: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = (lines[i] as string).split(',');
    if (cells.length !== header.length) throw new EdgehiveError('EH_BAD_REQUEST', `${what} line ${i + 1}: ${cells.length} columns, the header has ${header.length}`);
    const ts = parseTimestamp(cells[0] as string);
    if (!Number.isFinite(ts)) throw new EdgehiveError('EH_BAD_REQUEST', `${what} line ${i + 1}: "${cells[0]}" is not a timestamp (ISO 8601 or epoch ms)`);
    const prev = timestamps[timestamps.length - 1];
    if (prev !== undefined && ts < prev) throw new EdgehiveError('EH_BAD_REQUEST', `${what} line ${i + 1}: timestamps go backwards; sort the file by time`);
    timestampText.push((cells[0] as string).trim());
    lineText.push((lines[i] as string).trim());
    timestamps.push(ts);
    rows.push(cells.slice(1).map((c) => (c.trim() === '' ? Number.NaN : Number(c))));
    if (rows[rows.length - 1]!.some((v, j) => Number.isNaN(v) && (cells[j + 1] as string).trim() !== '')) {
      throw new EdgehiveError('EH_BAD_REQUEST', `${what} line ${i + 1}: a value is not a number`);
    }
  }
  if (rows.length === 0) throw new EdgehiveError('EH_DATA_INSUFFICIENT', `${what} has a header but no rows`);
  return { features, timestampText, timestamps, rows, lineText };
}

export async function readSeriesCsv(file: string): Promise<Series> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new EdgehiveError('EH_NOT_FOUND', `cannot read ${file}: ${(e as Error).message}`);
  }
  return parseSeriesCsv(text, file);
}

export function formatScoresCsv(series: Series, scores: ArrayLike<number>): string {
  const out = [`timestamp,${series.features.join(',')},anomaly_score`];
  for (let i = 0; i < series.rows.length; i++) {
    const line = series.lineText?.[i]
      ?? `${series.timestampText[i]},${(series.rows[i] as number[]).map((v) => (Number.isNaN(v) ? '' : String(v))).join(',')}`;
    out.push(`${line},${(scores[i] as number).toFixed(6)}`);
  }
  return `${out.join('\n')}\n`;
}
