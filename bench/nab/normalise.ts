/**
 * Normalisation: 0 for the null detector (never detects: every window costs A_FN) and 100 for the
 * perfect one (one detection on each window's first row, nothing else: every window earns A_TP).
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { NabProfile } from './profiles.ts';

export function nullScore(windows: number, profile: NabProfile): number {
  return -profile.fn * windows;
}

export function perfectScore(windows: number, profile: NabProfile): number {
  return profile.tp * windows;
}

export function normalise(raw: number, windows: number, profile: NabProfile): number {
  if (windows === 0) throw new EdgehiveError('EH_DATA_INSUFFICIENT', 'the corpus has no anomaly window after the probationary period; a NAB score needs at least one');
  const lo = nullScore(windows, profile);
  return (100 * (raw - lo)) / (perfectScore(windows, profile) - lo);
}
