/** The trainer's public API: data sources, the time-split dataset, recipe training, and the engine. */
export type * from './engine-api.ts';
export { trainGraph, trainGraphInWorker, DEFAULT_SEED } from './engine.ts';
export { availableBackends, selectBackend } from './backend.ts';
export { createTfPredictor, predictGraph, type TfPredictor } from './predict.ts';
export { buildDataset, rowCount, segmentRanges, selectColumns, type Dataset, type DatasetPart, type TimeRange, type TrainingRows } from './dataset.ts';
export { splitWindows, type SplitFractions, type SplitPlan, type WindowRef } from './split.ts';
export { formatCsv, parseCsv, parseTimestamp, readCsvFile, SERIES_COLUMN, TIMESTAMP_COLUMN } from './csv.ts';
export { readStoreRows, type StoreSourceOptions } from './store-source.ts';
export { engineInput, trainRecipe, type SplitSummary, type TrainRecipeOptions, type TrainRecipeResult } from './run-recipe.ts';
