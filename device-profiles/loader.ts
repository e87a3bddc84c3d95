/**
 * Loading device profiles (every `*.json` in a folder, or one by id), validated against the
 * schema with errors that name the file and the field; and the two pure functions the hub uses
 * before it deploys: `estimateLatencyMs` (scale a latency measured on the hub by the profile's
 * compute factor) and `fitsProfile` (does a model variant fit the class, and if not, which limit
 * failed).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EdgehiveError } from '../shared/errors/index.ts';
import { parseWithSchema } from '../shared/config/validate.ts';
import { DeviceProfileSchema, type DeviceProfile } from './schema.ts';

const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

function hasProfiles(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.json'));
}

/**
 * The folder of the shipped profiles: this module's folder. From a build (`dist/device-profiles/`,
 * which holds no JSON unless the build copies it) it falls back to the source folder beside `dist/`.
 */
export function defaultProfilesDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  if (hasProfiles(here)) return here;
  const source = resolve(here, '..', '..', 'device-profiles');
  return hasProfiles(source) ? source : here;
}

/**
 * Checks a parsed profile document. `file` names it in errors ("device profile
 * device-profiles/rpi4.json is invalid: /cpu/cores: Expected integer"). Beyond the schema: the agent's RSS limit must fit in
 * RAM, and the model-size limit in both the agent's RSS limit and the bundle storage.
 */
export function parseDeviceProfile(value: unknown, file = 'device profile'): DeviceProfile {
  const what = file === 'device profile' ? file : `device profile ${file}`;
  const p = parseWithSchema(DeviceProfileSchema, value, what);
  const problems: { path: string; message: string }[] = [];
  if (p.limits.maxAgentRssBytes > p.ramBytes) {
    problems.push({ path: '/limits/maxAgentRssBytes', message: `${p.limits.maxAgentRssBytes} exceeds ramBytes ${p.ramBytes}` });
  }
  if (p.limits.maxModelBytes > p.limits.maxAgentRssBytes) {
    problems.push({ path: '/limits/maxModelBytes', message: `${p.limits.maxModelBytes} exceeds limits.maxAgentRssBytes ${p.limits.maxAgentRssBytes}` });
  }
  if (p.limits.maxModelBytes > p.bundleStorageBytes) {
    problems.push({ path: '/limits/maxModelBytes', message: `${p.limits.maxModelBytes} exceeds bundleStorageBytes ${p.bundleStorageBytes}` });
  }
  if (problems.length > 0) {
    const list = problems.map((x) => `${x.path}: ${x.message}`).join('; ');
    throw new EdgehiveError('EH_CONFIG_INVALID', `${what} is invalid: ${list}`, { problems });
  }
  return p;
}

/** Reads and checks one profile file; its `id` must equal the file name without `.json`. */
export function loadProfileFile(path: string): DeviceProfile {
  const file = basename(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new EdgehiveError('EH_NOT_FOUND', `device profile ${path} cannot be read: ${(e as Error).message}`, { file: path }, { cause: e });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new EdgehiveError('EH_CONFIG_INVALID', `device profile ${path} is not valid JSON: ${(e as Error).message}`, { file: path }, { cause: e });
  }
  const profile = parseDeviceProfile(doc, path);
  const expected = file.replace(/\.json$/, '');
  if (profile.id !== expected) {
    throw new EdgehiveError('EH_CONFIG_INVALID', `device profile ${path} is invalid: /id: "${profile.id}" must equal the file name "${expected}"`, {
      file: path, problems: [{ path: '/id', message: `must equal the file name "${expected}"` }],
    });
  }
  return profile;
}

/**
 * Every profile in the given folders (default: the shipped ones), sorted by id. A second profile
 * with an id already loaded (an operator's folder redefining a shipped class, say) is refused
 * with EH_CONFLICT naming both files.
 */
export function loadProfiles(dirs: string | readonly string[] = defaultProfilesDir()): DeviceProfile[] {
  const seen = new Map<string, string>();
  const out: DeviceProfile[] = [];
  for (const dir of typeof dirs === 'string' ? [dirs] : dirs) {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    for (const f of files) {
      const path = join(dir, f);
      const p = loadProfileFile(path);
      const first = seen.get(p.id);
      if (first !== undefined) {
        throw new EdgehiveError('EH_CONFLICT', `device profile id "${p.id}" is defined twice: ${first} and ${path}`, { id: p.id, files: [first, path] });
      }
      seen.set(p.id, path);
      out.push(p);
    }
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** One profile by id from a folder (default: the shipped ones); EH_NOT_FOUND when there is none. */
export function loadProfile(id: string, dir: string = defaultProfilesDir()): DeviceProfile {
  if (!ID_RE.test(id)) throw new EdgehiveError('EH_ID_INVALID', `device profile id "${id}" does not match [A-Za-z0-9_-]{1,64}`);
  const path = join(dir, `${id}.json`);
  if (!existsSync(path)) throw new EdgehiveError('EH_NOT_FOUND', `no device profile "${id}" in ${dir}`, { id, dir });
  return loadProfileFile(path);
}

function requireFinite(name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new EdgehiveError('EH_BAD_REQUEST', `${name} must be a finite number >= 0, got ${String(v)}`);
  }
}

/**
 * Estimated latency of one inference on the profile's class: the latency measured on the hub
 * (same model variant, same batch size, single-threaded onnxruntime) times the profile's
 * `computeFactor`. A factor above 1 means the device is slower than the hub: 2 ms on the hub
 * with a factor of 16 estimates 32 ms on the device.
 */
export function estimateLatencyMs(hubLatencyMs: number, profile: Pick<DeviceProfile, 'computeFactor'>): number {
  requireFinite('hubLatencyMs', hubLatencyMs);
  return hubLatencyMs * profile.computeFactor;
}

export type ProfileLimit = 'maxModelBytes' | 'maxAgentRssBytes' | 'inferenceLatencyBudgetMs';

export interface ModelFootprint {
  /** Size of the model variant's file as deployed. */
  modelBytes: number;
  /** Peak resident set of the agent with the model loaded and running (agent baseline included). */
  peakRssBytes: number;
  /** Estimated latency on the class, normally `estimateLatencyMs(hubLatency, profile)`. */
  estimatedLatencyMs: number;
}

export type FitResult =
  | { ok: true }
  | { ok: false; failed: ProfileLimit; message: string; limit: number; actual: number };

function mib(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

/**
 * Does a model variant fit a device class? Checks, in this order, the model size against
 * `limits.maxModelBytes`, the peak RSS against `limits.maxAgentRssBytes` and the estimated
 * latency against `inferenceLatencyBudgetMs`, and reports the first that fails with a message
 * that names the limit and both numbers. Pure: no I/O, no clock.
 */
export function fitsProfile(profile: DeviceProfile, m: ModelFootprint): FitResult {
  requireFinite('modelBytes', m.modelBytes);
  requireFinite('peakRssBytes', m.peakRssBytes);
  requireFinite('estimatedLatencyMs', m.estimatedLatencyMs);
  const { maxModelBytes, maxAgentRssBytes } = profile.limits;
  if (m.modelBytes > maxModelBytes) {
    return {
      ok: false, failed: 'maxModelBytes', limit: maxModelBytes, actual: m.modelBytes,
      message: `profile ${profile.id}: model is ${m.modelBytes} bytes (${mib(m.modelBytes)}), over maxModelBytes ${maxModelBytes} bytes (${mib(maxModelBytes)})`,
    };
  }
  if (m.peakRssBytes > maxAgentRssBytes) {
    return {
      ok: false, failed: 'maxAgentRssBytes', limit: maxAgentRssBytes, actual: m.peakRssBytes,
      message: `profile ${profile.id}: peak agent RSS is ${m.peakRssBytes} bytes (${mib(m.peakRssBytes)}), over maxAgentRssBytes ${maxAgentRssBytes} bytes (${mib(maxAgentRssBytes)})`,
    };
  }
  const budget = profile.inferenceLatencyBudgetMs;
  if (m.estimatedLatencyMs > budget) {
    return {
      ok: false, failed: 'inferenceLatencyBudgetMs', limit: budget, actual: m.estimatedLatencyMs,
      message: `profile ${profile.id}: estimated latency is ${+m.estimatedLatencyMs.toFixed(3)} ms, over inferenceLatencyBudgetMs ${budget} ms`,
    };
  }
  return { ok: true };
}
