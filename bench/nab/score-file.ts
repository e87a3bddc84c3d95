/**
 * One file made ready for scoring: every row after the probationary period with its anomaly
 * score, the window it lies in (or none) and the unweighted reward a detection there would earn.
 * The rewards do not depend on the threshold or the profile, so a file is prepared once and then
 * swept for every profile.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { NabProfile } from './profiles.ts';
import { falsePositiveReward, windowReward } from './sigmoid.ts';
import type { RowWindow } from './windows.ts';

/** The share of each file a detector may learn in; detections there are neither TP nor FP. */
export const PROBATION_FRACTION = 0.15;

/** Probationary rows: 15 % of the file, capped at 15 % of 5000 rows as in the NAB papers. */
export function probationRows(rows: number, fraction = PROBATION_FRACTION): number {
  return Math.min(Math.floor(fraction * rows), fraction * 5000);
}

export interface PreparedFile {
  readonly name: string;
  readonly rows: number;
  /** First scorable row. */
  readonly probation: number;
  /** Windows with at least one scorable row; the ones the file is scored on. */
  readonly windows: readonly RowWindow[];
  /** Per scorable row (index 0 = row `probation`): anomaly score, window index or −1, reward. */
  readonly scores: Float64Array;
  readonly window: Int32Array;
  /** In a window: the reward in (0, 1] before A_TP; outside: the penalty in [−1, 0] before A_FP. */
  readonly reward: Float64Array;
}

export function prepareFile(name: string, scores: ArrayLike<number>, windows: readonly RowWindow[], probationFraction = PROBATION_FRACTION): PreparedFile {
  const rows = scores.length;
  const probation = Math.ceil(probationRows(rows, probationFraction));
  const n = Math.max(0, rows - probation);
  const out = { scores: new Float64Array(n), window: new Int32Array(n).fill(-1), reward: new Float64Array(n) };
  const kept = windows.filter((w) => w.right >= probation);
  let k = 0; // next window (in `windows`, all of them, for the preceding-window distance)
  let prev: RowWindow | undefined;
  for (let i = 0; i < rows; i++) {
    while (k < windows.length && (windows[k] as RowWindow).right < i) prev = windows[k++];
    const s = scores[i] as number;
    if (i < probation) continue;
    if (!Number.isFinite(s)) throw new EdgehiveError('EH_BAD_REQUEST', `${name}: anomaly score at row ${i} is ${s}; a detector must emit a number for every row`);
    const j = i - probation;
    out.scores[j] = s;
    const cur = windows[k];
    if (cur !== undefined && cur.left <= i) {
      out.window[j] = kept.indexOf(cur);
      out.reward[j] = windowReward(i, cur.left, cur.right);
    } else {
      out.reward[j] = falsePositiveReward(i, prev);
    }
  }
  return { name, rows, probation, windows: kept, ...out };
}

export interface FileScore {
  /** Weighted raw score: Σ window parts (A_TP × reward of the first detection, or −A_FN) + Σ A_FP × penalties. */
  readonly raw: number;
  readonly detectedWindows: number;
  readonly missedWindows: number;
  /** Detections outside every window (after probation). */
  readonly falsePositives: number;
}

/** Scores one file with detections = rows whose anomaly score is at or above `threshold`. */
export function scoreFile(file: PreparedFile, threshold: number, profile: NabProfile): FileScore {
  // Rows run in time order, so the first detection seen in a window is the one that counts.
  const first = new Float64Array(file.windows.length).fill(NaN);
  let fpSum = 0;
  let falsePositives = 0;
  for (let j = 0; j < file.scores.length; j++) {
    if ((file.scores[j] as number) < threshold) continue;
    const w = file.window[j] as number;
    if (w < 0) {
      fpSum += file.reward[j] as number;
      falsePositives++;
    } else if (Number.isNaN(first[w])) {
      first[w] = file.reward[j] as number;
    }
  }
  let raw = profile.fp * fpSum;
  let detectedWindows = 0;
  for (const r of first) {
    if (Number.isNaN(r)) raw -= profile.fn;
    else { raw += profile.tp * r; detectedWindows++; }
  }
  return { raw, detectedWindows, missedWindows: file.windows.length - detectedWindows, falsePositives };
}
