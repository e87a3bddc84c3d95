/** Labelled data sets generated from the simulator's sensor models, by name (`--data sim:NAME`). */
import type { TrainingRows } from '../../cloud-hub/trainer/dataset.ts';
import { generatePumpStates } from './pump-states.ts';

export { ESTABLISHED_SEVERITY, generatePumpStates, PUMP_STATE_CLASSES, PUMP_STATE_LABEL, type PumpStatesData, type PumpStatesOptions } from './pump-states.ts';

export interface GeneratedDataset { readonly data: TrainingRows; readonly series: readonly string[] }

export const DATASETS: Readonly<Record<string, (seed?: number) => GeneratedDataset>> = {
  'pump-states': (seed) => {
    const g = generatePumpStates(seed === undefined ? {} : { seed });
    return { data: g.data, series: g.series };
  },
};
