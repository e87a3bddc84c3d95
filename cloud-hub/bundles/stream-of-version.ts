/**
 * Which telemetry stream a model reads on the device. A version does not record it: training
 * takes, per device, the one stream whose readings carry every feature the recipe needs
 * (trainer/store-source.ts). The same rule is applied here to the version's training data (its
 * device, else its group's devices, else any device), so the agent feeds the model the stream it
 * was trained on. With no stored readings to tell (an uploaded model, data since deleted) the
 * configured default is used: `sensors`, the stream the fleet simulator's devices send.
 */
import type { ModelVersion } from '../registry/schema.ts';
import type { Store } from '../store/types.ts';

/** Devices looked at, and readings per device: enough to see every stream a device interleaves. */
const MAX_DEVICES = 8;
const READINGS = 500;

export function featuresOf(version: ModelVersion): string[] {
  const fromSpec = (version.preprocess as { features?: unknown } | null)?.features;
  if (Array.isArray(fromSpec) && fromSpec.every((f) => typeof f === 'string')) return fromSpec as string[];
  const fromRecipe = (version.recipe as { input?: { features?: unknown } } | null)?.input?.features;
  if (Array.isArray(fromRecipe) && fromRecipe.every((f) => typeof f === 'string')) return fromRecipe as string[];
  return [];
}

export async function streamOfVersion(store: Store, version: ModelVersion, fallback: string): Promise<{ stream: string; from: 'data' | 'default' }> {
  const features = featuresOf(version);
  if (features.length === 0) return { stream: fallback, from: 'default' };
  const range = version.dataRange;
  const devices = range?.device
    ? [range.device]
    : (await store.listDevices({ ...(range?.group ? { group: range.group } : {}), limit: MAX_DEVICES })).map((d) => d.id);
  for (const device of devices.slice(0, MAX_DEVICES)) {
    const page = await store.queryTelemetry(device, {
      limit: READINGS,
      ...(range?.fromMs != null ? { fromMs: range.fromMs } : {}),
      ...(range?.toMs != null ? { toMs: range.toMs } : {}),
    });
    const fits = Object.keys(page.features).sort().filter((s) => features.every((f) => page.features[s]!.includes(f)));
    if (fits.length > 0) return { stream: fits[0]!, from: 'data' };
  }
  return { stream: fallback, from: 'default' };
}
