/**
 * The `system` sensor: this machine's 1-minute load average, memory used (fraction), free memory
 * (MB) and CPU temperature (°C, the hottest /sys/class/thermal zone; missing where there is none).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { freemem, loadavg, totalmem } from 'node:os';
import type { SystemSensorConfig } from '../../shared/config/agent-config.ts';
import type { SensorAdapter, SensorContext, SensorSink } from './types.ts';

export const SYSTEM_FEATURES = ['load1', 'mem_used_frac', 'mem_free_mb', 'cpu_temp_c'] as const;

const THERMAL = '/sys/class/thermal';

/** Highest temperature over the thermal zones, NaN where none can be read. */
export function cpuTemperatureC(root = THERMAL): number {
  let best = NaN;
  let zones: string[];
  try {
    zones = readdirSync(root).filter((z) => z.startsWith('thermal_zone'));
  } catch {
    return NaN;
  }
  for (const z of zones) {
    try {
      const milli = Number(readFileSync(`${root}/${z}/temp`, 'utf8').trim());
      // Drivers report millidegrees; a few report -273000 or 0 for "no sensor".
      if (Number.isFinite(milli) && milli > 0 && milli < 200_000 && !(milli / 1000 <= best)) best = milli / 1000;
    } catch {
      // unreadable zone (permissions, a driver without a sensor): skip it
    }
  }
  return best;
}

export function sampleSystem(): number[] {
  const total = totalmem();
  const free = freemem();
  return [loadavg()[0] ?? NaN, total > 0 ? 1 - free / total : NaN, free / (1024 * 1024), cpuTemperatureC()];
}

export class SystemAdapter implements SensorAdapter {
  readonly stream: string;
  readonly features: readonly string[] = SYSTEM_FEATURES;
  #timer: NodeJS.Timeout | null = null;

  constructor(private readonly config: SystemSensorConfig, private readonly ctx: SensorContext) {
    this.stream = config.stream;
  }

  start(sink: SensorSink): void {
    const sample = () => sink.push([{ tsMs: this.ctx.clock.now(), values: sampleSystem() }]);
    sample();
    this.#timer = setInterval(sample, this.config.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
