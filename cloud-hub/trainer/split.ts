/**
 * The time-ordered split of windows into train / validation / test. Windows are ordered by the
 * time of their last input row (across series: a group of devices shares one clock), the newest
 * `maxWindows` are kept, and the fractions cut that order: train is the oldest, test the newest,
 * nothing is shuffled across a cut.
 *
 * Windows overlap when stride < length, so the first windows after a cut would share rows (and,
 * for a forecast, target rows) with the last ones before it; those are purged — dropped from the
 * later split — so no held-out window contains a reading the model was trained on.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';

export interface WindowRef {
  /** Which independent series (device) the window comes from. */
  readonly segment: number;
  /** First row (index into the whole TrainingRows) of the window. */
  readonly start: number;
  /** One past the last row the window uses, its forecast horizon included. */
  readonly end: number;
  /** Timestamp (ms) of the window's last input row: its place in time. */
  readonly tsMs: number;
}

export interface SplitFractions { readonly train: number; readonly validation: number }

export interface SplitPlan {
  readonly train: readonly WindowRef[];
  readonly validation: readonly WindowRef[];
  readonly test: readonly WindowRef[];
  /** Windows dropped after a cut because they overlapped rows of an earlier split. */
  readonly purged: number;
  /** Oldest windows dropped to respect maxWindows. */
  readonly droppedOldest: number;
}

export interface SplitOptions {
  readonly maxWindows?: number | undefined;
  /** For the error message: how windows are made ("window 64, stride 8"). */
  readonly describe?: string;
}

function byTime(a: WindowRef, b: WindowRef): number {
  return a.tsMs - b.tsMs || a.segment - b.segment || a.start - b.start;
}

/** Drops windows overlapping rows that an earlier split covers in the same series. */
function purge(part: readonly WindowRef[], coveredEnd: Map<number, number>): WindowRef[] {
  const kept = part.filter((w) => w.start >= (coveredEnd.get(w.segment) ?? -Infinity));
  for (const w of kept) coveredEnd.set(w.segment, Math.max(coveredEnd.get(w.segment) ?? -Infinity, w.end));
  return kept;
}

function cover(part: readonly WindowRef[], coveredEnd: Map<number, number>): void {
  for (const w of part) coveredEnd.set(w.segment, Math.max(coveredEnd.get(w.segment) ?? -Infinity, w.end));
}

/** Throws EH_DATA_INSUFFICIENT when a split that must hold windows would be empty. */
export function splitWindows(windows: readonly WindowRef[], fractions: SplitFractions, options: SplitOptions = {}): SplitPlan {
  const ordered = [...windows].sort(byTime);
  const keep = options.maxWindows !== undefined ? Math.min(options.maxWindows, ordered.length) : ordered.length;
  const kept = ordered.slice(ordered.length - keep);
  const n = kept.length;
  const a = Math.floor(n * fractions.train);
  const b = Math.floor(n * (fractions.train + fractions.validation));
  const train = kept.slice(0, a);
  const covered = new Map<number, number>();
  cover(train, covered);
  const validation = purge(kept.slice(a, b), covered);
  const test = purge(kept.slice(b), covered);
  const purged = n - train.length - validation.length - test.length;

  const empty: string[] = [];
  if (train.length === 0) empty.push('train');
  if (fractions.validation > 0 && validation.length === 0) empty.push('validation');
  if (test.length === 0) empty.push('test');
  if (empty.length > 0) {
    const how = options.describe ? ` (${options.describe})` : '';
    throw new EdgehiveError('EH_DATA_INSUFFICIENT',
      `too little data to train: ${windows.length} windows${how}${keep < windows.length ? `, ${keep} kept by maxWindows` : ''} leave the ${empty.join(' and ')} split empty`
      + `${purged > 0 ? ` after dropping ${purged} windows that overlap the split before them` : ''}; `
      + 'provide more readings, or use a shorter window or stride', { windows: windows.length, empty });
  }
  return { train, validation, test, purged, droppedOldest: windows.length - keep };
}
