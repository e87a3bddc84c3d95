/** The agent's model runtime: run a model on streaming readings, normalise its scores, decide. */
export { AnomalyLikelihood, normalTail, type AnomalyLikelihoodOptions } from './anomaly-likelihood.ts';
export { ConformalScore, DEFAULT_CONFORMAL_HISTORY, type ConformalScoreOptions } from './conformal-score.ts';
export { AdaptiveThreshold, type ThresholdDecision, type ThresholdOptions } from './threshold.ts';
export { RollingStats } from './rolling-stats.ts';
export { ModelRunner, type ModelRunnerOptions, type RowScores, type RunnerResult, type TaskKind } from './model-runner.ts';
export { ModelHost, LATENCY_RING, type ActiveModelCounters, type ModelSpec, type ScoredReading, type ScoreNormaliser, type Detector, type ModelHostOptions } from './model-host.ts';
export { defaultScoring, DEFAULT_SUPPRESS_ROWS, type ScoringOptions } from './scoring.ts';
