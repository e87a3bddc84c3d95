/**
 * Sensor kinds → factories. Built in: `jsonl` and `system`; others (the simulator's `sim`) are
 * plugged in through AgentDeps.sensorFactories and override nothing built in.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { JsonlSensorConfig, SensorConfig, SystemSensorConfig } from '../../shared/config/agent-config.ts';
import { isRecordStream } from '../../shared/protocol/streams.ts';
import { JsonlAdapter } from './jsonl/jsonl-adapter.ts';
import { SystemAdapter } from './system-adapter.ts';
import type { SensorAdapter, SensorContext, SensorFactory } from './types.ts';

export const BUILTIN_SENSORS: Readonly<Record<string, SensorFactory>> = {
  jsonl: (config, ctx) => new JsonlAdapter(config as JsonlSensorConfig, ctx),
  system: (config, ctx) => new SystemAdapter(config as SystemSensorConfig, ctx),
};

export class SensorRegistry {
  readonly #factories = new Map<string, SensorFactory>();

  constructor(extra: Record<string, SensorFactory> = {}) {
    for (const [kind, f] of Object.entries(extra)) this.#factories.set(kind, f);
    for (const [kind, f] of Object.entries(BUILTIN_SENSORS)) this.#factories.set(kind, f);
  }

  kinds(): string[] { return [...this.#factories.keys()].sort(); }

  create(config: SensorConfig, ctx: SensorContext): SensorAdapter {
    const f = this.#factories.get(config.kind);
    if (!f) throw new EdgehiveError('EH_CONFIG_INVALID', `sensor kind "${config.kind}" is not available here (known: ${this.kinds().join(', ')})`);
    return f(config, ctx);
  }

  /** Builds every configured sensor; streams must be unique and not a record stream's name. */
  createAll(configs: readonly SensorConfig[], ctx: SensorContext): SensorAdapter[] {
    return checkStreams(configs.map((c) => this.create(c, ctx)));
  }
}

export function checkStreams(adapters: SensorAdapter[]): SensorAdapter[] {
  const seen = new Set<string>();
  for (const a of adapters) {
    if (isRecordStream(a.stream)) throw new EdgehiveError('EH_CONFIG_INVALID', `sensor stream "${a.stream}" is reserved for records; choose another name`);
    if (seen.has(a.stream)) throw new EdgehiveError('EH_CONFIG_INVALID', `two sensors use stream "${a.stream}"; each needs its own`);
    seen.add(a.stream);
  }
  return adapters;
}
