/**
 * Labelled anomaly windows (`combined_windows.json`: "folder/file.csv" → [[start, end], …]) and
 * their row ranges in one file. A window covers every row whose timestamp lies in [start, end].
 */
import { readFileSync } from 'node:fs';
import { EdgehiveError } from '../../shared/errors/index.ts';
import { parseNabTime } from './timestamps.ts';

/** Window limits as UTC milliseconds, in time order. */
export type WindowLimits = readonly (readonly [start: number, end: number])[];
export type WindowsByFile = ReadonlyMap<string, WindowLimits>;

/** Row ranges, inclusive, in row order. */
export interface RowWindow { readonly left: number; readonly right: number }

export function parseWindows(json: unknown, source = 'windows'): WindowsByFile {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new EdgehiveError('EH_BAD_REQUEST', `${source}: expected an object mapping "folder/file.csv" to [[start, end], …]`);
  }
  const out = new Map<string, WindowLimits>();
  for (const [file, list] of Object.entries(json as Record<string, unknown>)) {
    if (!Array.isArray(list)) throw new EdgehiveError('EH_BAD_REQUEST', `${source}: ${file}: expected a list of [start, end] pairs`);
    const limits = list.map((pair, k) => {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
        throw new EdgehiveError('EH_BAD_REQUEST', `${source}: ${file}: window ${k} is not a [start, end] pair of timestamps`);
      }
      const start = parseNabTime(pair[0]);
      const end = parseNabTime(pair[1]);
      if (end < start) throw new EdgehiveError('EH_BAD_REQUEST', `${source}: ${file}: window ${k} ends before it starts`);
      return [start, end] as const;
    });
    limits.sort((a, b) => a[0] - b[0]);
    out.set(file, limits);
  }
  return out;
}

export function loadWindows(path: string): WindowsByFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new EdgehiveError('EH_NOT_FOUND', `cannot read NAB windows from ${path}: ${(e as Error).message}`, undefined, { cause: e });
  }
  return parseWindows(json, path);
}

/**
 * The row range of each window in a file whose timestamps are sorted (non-decreasing). Windows with no
 * row inside them are dropped (they could be neither detected nor missed by any detector). A
 * window overlapping the one before it starts after that one's last row: a row belongs to one
 * window only.
 */
export function rowWindows(timestamps: ArrayLike<number>, limits: WindowLimits): RowWindow[] {
  const out: RowWindow[] = [];
  let i = 0;
  for (const [start, end] of limits) {
    while (i < timestamps.length && (timestamps[i] as number) < start) i++;
    const left = i;
    while (i < timestamps.length && (timestamps[i] as number) <= end) i++;
    let right = i - 1;
    // A repeated end timestamp (DST in some NAB files): the window ends at its first occurrence.
    while (right > left && timestamps[right - 1] === end && timestamps[right] === end) right--;
    if (right >= left) out.push({ left, right });
    i = right + 1;
  }
  return out;
}
