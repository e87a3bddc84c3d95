/** The preprocessing spec (`preprocess.json`): fitted by the trainer, applied by the agent. */
export * from './spec-schema.ts';
export { featureStats, isMissing, quantileSorted } from './stats.ts';
export { fitPreprocess, safeScale, type FitOptions, type ImputationOption, type NormalisationOption } from './fit.ts';
export { createTransformState, resetTransformState, imputeAndNormalise, transformRows, type FeatureMatrix, type TransformState } from './transform.ts';
export { windowCount, windows, windowsOf, WindowStream, type WindowTensor } from './windows.ts';
export { assertPreprocessSpec, loadPreprocessSpec, parsePreprocessSpec, preprocessSpecProblems, savePreprocessSpec, serialisePreprocessSpec } from './io.ts';
