/** The model pipeline end to end (train → export → quantise → evaluate → plan), and the hub's job around it. */
export { runModelPipeline, lastSamples, testSetOf, type PipelineOptions, type PipelineProgress, type PipelineResult, type PipelineStage, type VariantResult } from './model-pipeline.ts';
export { completeVersion, pipelineFiles, trainingSummary } from './artefacts.ts';
export { createTrainingPipeline, type HubPipelineOptions } from './hub-pipeline.ts';
