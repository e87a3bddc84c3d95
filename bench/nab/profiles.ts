/**
 * NAB's application profiles: how much a detected window (A_TP), a missed window (A_FN) and a
 * false detection (A_FP) weigh. A_TN is part of the published profiles but never enters the
 * score (NAB rewards nothing for staying quiet outside windows), so it is kept for the record.
 */
export interface NabProfile {
  readonly name: string;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
}

export const STANDARD: NabProfile = { name: 'standard', tp: 1, fp: 0.11, fn: 1, tn: 1 };
export const REWARD_LOW_FP: NabProfile = { name: 'reward_low_FP', tp: 1, fp: 0.22, fn: 1, tn: 1 };
export const REWARD_LOW_FN: NabProfile = { name: 'reward_low_FN', tp: 1, fp: 0.11, fn: 2, tn: 1 };

export const PROFILES: readonly NabProfile[] = [STANDARD, REWARD_LOW_FP, REWARD_LOW_FN];
