/** Evaluation of model variants on the held-out split, metrics, and the recipe's gates. */
export {
  evaluateVariant, runBatches, windowScores,
  type TestSet, type EvaluateOptions, type TaskMetrics, type AnomalyMetrics, type ForecastMetrics, type ClassifyMetrics,
  type ScoreSummary, type VariantEvaluation,
} from './evaluate.ts';
export {
  compareVariants, requireInt8Accepted, requireFp32Accepted,
  type Gates, type GateName, type GateCheck, type GateDecision, type SkippedGate,
} from './gates.ts';
export {
  detectionAt, bestF1Threshold, rocAuc, averageRanks, confusionMatrix, accuracy, macroF1, mae, rmse, pearson, spearman,
  quantile, defaultAnomalyThreshold, DEFAULT_THRESHOLD_QUANTILE, type Detection, type AnomalyThreshold, type Labels,
} from './metrics.ts';
