/** Per device profile: the hub's footprint measurements, the estimates they give, and the variant chosen. */
export {
  measureFootprint, measureLatency, measurePeakMemory, type Footprint, type MeasureOptions,
} from './footprint.ts';
export {
  planProfile, planProfiles, requireFit, estimateOn, AGENT_OVERHEAD_BYTES,
  type VariantKind, type VariantCandidate, type ProfileEstimate, type VariantFit, type ProfilePlan, type PlanOptions,
} from './plan.ts';
