/**
 * Which virtual devices a fleet has: ids like `pump-0001`, a group per device type, and device
 * profiles assigned round-robin so every run covers several device classes.
 */
import type { ModelName } from '../sensors/models.ts';

export const SIM_PROFILES = ['rpi4', 'rpi5', 'x86-gateway'] as const;
export const GROUP_OF: Readonly<Record<ModelName, string>> = { pump: 'pumps', hvac: 'hvac' };

export interface DeviceSpec {
  id: string;
  type: ModelName;
  group: string;
  profile: string;
}

export interface Mix { pump: number; hvac: number }

export function deviceIdOf(type: ModelName, n: number): string {
  return `${type}-${String(n).padStart(4, '0')}`;
}

/** `count` devices split by the mix weights (pumps first), profiles round-robin over the fleet. */
export function layoutFleet(count: number, mix: Mix = { pump: 1, hvac: 1 }, profiles: readonly string[] = SIM_PROFILES): DeviceSpec[] {
  const total = mix.pump + mix.hvac;
  const pumps = total > 0 ? Math.round((count * mix.pump) / total) : count;
  const out: DeviceSpec[] = [];
  for (let i = 0; i < count; i++) {
    const type: ModelName = i < pumps ? 'pump' : 'hvac';
    const n = type === 'pump' ? i + 1 : i - pumps + 1;
    out.push({ id: deviceIdOf(type, n), type, group: GROUP_OF[type], profile: profiles[i % profiles.length]! });
  }
  return out;
}
