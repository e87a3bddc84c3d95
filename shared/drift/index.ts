/** Drift statistics shared by the hub (reference statistics at training time) and the agent (live comparison). */
export * from './schema.ts';
export { binIndex, binCounts, checkHistogram, quantileEdges, quantileHistogram } from './histogram.ts';
export { ksDistance, jsDistance, psi, PSI_EPSILON } from './distance.ts';
export { checkReference, DEFAULT_BINS, DEFAULT_MARGIN, referenceStats, type ReferenceStatsOptions } from './reference.ts';
