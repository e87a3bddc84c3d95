/**
 * The scaled sigmoid that turns a detection's position relative to a window into a reward.
 *
 * Position is -1 at a window's first row and approaches 0 at its last row; after a window it is
 * the distance past the window's end in units of the window's length. The reward 2σ(−5p) − 1 is
 * about +0.987 at the window start, about 0 at its end, and falls towards −1 afterwards; past
 * three window lengths it is exactly −1.
 */
export function scaledSigmoid(position: number): number {
  if (position > 3) return -1;
  return 2 / (1 + Math.exp(5 * position)) - 1;
}

/** The reward at a window's first row; in-window rewards are divided by it so that is exactly 1. */
export const MAX_TP_REWARD = scaledSigmoid(-1);

/**
 * Reward of a detection at row `i` of a window spanning rows [left, right], scaled so the first
 * row gives 1 (before the profile's A_TP weight).
 */
export function windowReward(i: number, left: number, right: number): number {
  const width = right - left + 1;
  return scaledSigmoid(-(right - i + 1) / width) / MAX_TP_REWARD;
}

/**
 * Unweighted penalty (in [−1, 0]) of a detection at row `i` outside every window. `prev` is the
 * preceding window (rows [left, right]) or undefined when none precedes it, which costs the full
 * −1: a detection far from any anomaly is the worst kind of false alarm.
 */
export function falsePositiveReward(i: number, prev: { left: number; right: number } | undefined): number {
  if (prev === undefined) return -1;
  const width = prev.right - prev.left + 1;
  // A one-row window has no length to measure distance in; treat anything past it as far away.
  if (width <= 1) return -1;
  return scaledSigmoid((i - prev.right) / (width - 1));
}
