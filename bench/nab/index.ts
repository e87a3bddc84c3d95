/**
 * The NAB scorer (Lavin & Ahmad 2015; Ahmad et al. 2017), written from the papers' definition:
 * prepare each file, choose one threshold for the whole corpus per profile, normalise.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import { normalise, nullScore, perfectScore } from './normalise.ts';
import { buildCorpus, optimiseThreshold } from './optimise-threshold.ts';
import { PROFILES, type NabProfile } from './profiles.ts';
import { prepareFile, scoreFile, type FileScore } from './score-file.ts';
import { rowWindows, type WindowsByFile } from './windows.ts';

export { PROFILES, STANDARD, REWARD_LOW_FN, REWARD_LOW_FP, type NabProfile } from './profiles.ts';
export { scaledSigmoid, windowReward, falsePositiveReward } from './sigmoid.ts';
export { loadWindows, parseWindows, rowWindows, type RowWindow, type WindowLimits, type WindowsByFile } from './windows.ts';
export { prepareFile, probationRows, scoreFile, PROBATION_FRACTION, type FileScore, type PreparedFile } from './score-file.ts';
export { buildCorpus, optimiseThreshold, type Corpus, type ThresholdChoice } from './optimise-threshold.ts';
export { normalise, nullScore, perfectScore } from './normalise.ts';
export { listDataFiles, readDetectorOutput, readSeries, resultPath, type DetectorOutput, type Series } from './read-results.ts';
export { formatNabTime, parseNabTime } from './timestamps.ts';

/** One file's detector output: timestamps (UTC ms, ascending) and one anomaly score per row. */
export interface ScoredSeries {
  readonly timestamps: ArrayLike<number>;
  readonly scores: ArrayLike<number>;
}

export interface ProfileResult {
  readonly profile: string;
  readonly threshold: number;
  /** Normalised: null detector 0, perfect 100. */
  readonly score: number;
  readonly raw: number;
  readonly nullRaw: number;
  readonly perfectRaw: number;
  readonly windows: number;
  readonly detectedWindows: number;
  readonly falsePositives: number;
  readonly perFile: Readonly<Record<string, FileScore>>;
}

/**
 * Scores a detector's outputs (keyed "folder/file.csv") against the labelled windows, for each
 * profile. Every file with windows must have an output: a missing file would silently score as
 * if it were not in the corpus.
 */
export function scoreCorpus(outputs: ReadonlyMap<string, ScoredSeries>, windows: WindowsByFile, profiles: readonly NabProfile[] = PROFILES): ProfileResult[] {
  const files = [...outputs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, out]) => {
    const limits = windows.get(key);
    if (limits === undefined) throw new EdgehiveError('EH_NOT_FOUND', `no labelled windows for ${key}; is it in combined_windows.json?`);
    if (out.timestamps.length !== out.scores.length) throw new EdgehiveError('EH_BAD_REQUEST', `${key}: ${out.timestamps.length} timestamps but ${out.scores.length} scores`);
    return prepareFile(key, out.scores, rowWindows(out.timestamps, limits));
  });
  const corpus = buildCorpus(files);
  const n = corpus.windowCount;
  return profiles.map((profile) => {
    const { threshold } = optimiseThreshold(corpus, profile);
    const perFile: Record<string, FileScore> = {};
    let raw = 0;
    let detectedWindows = 0;
    let falsePositives = 0;
    for (const f of files) {
      const s = scoreFile(f, threshold, profile);
      perFile[f.name] = s;
      raw += s.raw;
      detectedWindows += s.detectedWindows;
      falsePositives += s.falsePositives;
    }
    return {
      profile: profile.name, threshold, score: normalise(raw, n, profile), raw,
      nullRaw: nullScore(n, profile), perfectRaw: perfectScore(n, profile),
      windows: n, detectedWindows, falsePositives, perFile,
    };
  });
}
