/** The sensor models the `sim` adapter can run, by the name used in SimSensorConfig.model. */
import type { SimSensorConfig } from '../../shared/config/agent-config.ts';
import type { SensorFault } from './faults.ts';
import { HVAC_FEATURES, sampleHvac } from './hvac.ts';
import { PUMP_FEATURES, samplePump } from './pump.ts';

export type ModelName = SimSensorConfig['model'];

export interface ModelEntry {
  features: readonly string[];
  sample(seed: number, deviceId: string, index: number, tsMs: number, faults: readonly SensorFault[], originMs: number): number[];
}

export const MODELS: Readonly<Record<ModelName, ModelEntry>> = {
  pump: { features: PUMP_FEATURES, sample: samplePump },
  hvac: { features: HVAC_FEATURES, sample: sampleHvac },
};
