/**
 * One threshold shared by every file, chosen to maximise the corpus's total raw score.
 *
 * Only the distinct anomaly scores can change the outcome, so the sweep visits them from the
 * highest down, adding the rows that become detections at each step and updating the total
 * incrementally: O(n log n) for the sort, O(n) per profile, instead of rescoring every file at
 * every candidate threshold.
 */
import type { NabProfile } from './profiles.ts';
import type { PreparedFile } from './score-file.ts';

export interface Corpus {
  readonly files: readonly PreparedFile[];
  readonly scores: Float64Array;
  readonly reward: Float64Array;
  /** Window id unique across the corpus, or −1. */
  readonly window: Int32Array;
  readonly windowCount: number;
  /** Row indices ordered by anomaly score, highest first. */
  readonly order: Uint32Array;
}

export function buildCorpus(files: readonly PreparedFile[]): Corpus {
  const n = files.reduce((a, f) => a + f.scores.length, 0);
  const scores = new Float64Array(n);
  const reward = new Float64Array(n);
  const window = new Int32Array(n);
  let at = 0;
  let windowBase = 0;
  for (const f of files) {
    scores.set(f.scores, at);
    reward.set(f.reward, at);
    for (let j = 0; j < f.window.length; j++) {
      const w = f.window[j] as number;
      window[at + j] = w < 0 ? -1 : windowBase + w;
    }
    at += f.scores.length;
    windowBase += f.windows.length;
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (scores[b] as number) - (scores[a] as number));
  return { files, scores, reward, window, windowCount: windowBase, order };
}

export interface ThresholdChoice {
  /** Detections are scores ≥ threshold; +Infinity when detecting nothing scores best. */
  readonly threshold: number;
  readonly raw: number;
}

/**
 * The threshold with the highest total raw score. On a tie the higher threshold wins (fewer
 * detections for the same score).
 */
export function optimiseThreshold(corpus: Corpus, profile: NabProfile): ThresholdChoice {
  const { scores, reward, window, order } = corpus;
  // Best reward so far per window; NaN = not yet detected. Visiting rows by falling score, a
  // window's part is the max over its detected rows, which is its earliest (reward falls
  // through a window).
  const best = new Float64Array(corpus.windowCount).fill(NaN);
  let total = -profile.fn * corpus.windowCount;
  let bestChoice: ThresholdChoice = { threshold: Infinity, raw: total };
  let k = 0;
  while (k < order.length) {
    const t = scores[order[k] as number] as number;
    for (; k < order.length && scores[order[k] as number] === t; k++) {
      const i = order[k] as number;
      const w = window[i] as number;
      const r = reward[i] as number;
      if (w < 0) {
        total += profile.fp * r;
      } else {
        const b = best[w] as number;
        if (Number.isNaN(b)) { best[w] = r; total += profile.fn + profile.tp * r; }
        else if (r > b) { best[w] = r; total += profile.tp * (r - b); }
      }
    }
    if (total > bestChoice.raw) bestChoice = { threshold: t, raw: total };
  }
  return bestChoice;
}
