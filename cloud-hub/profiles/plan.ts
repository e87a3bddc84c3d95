/**
 * Choosing a model variant per device profile, pure: estimate each variant's latency, memory and
 * size on the class (hub measurements scaled by the profile), then take the preferred variant
 * that fits, or refuse the class naming the limit that failed and by how much.
 *
 * Preference: int8 first where the class has int8 instructions (`int8.supported`) and the gate
 * accepted the int8 variant; fp32 first elsewhere, because without dot-product instructions int8
 * brings no speed-up and costs accuracy. Where the preferred variant does not fit, the other is
 * tried (an accepted int8 variant still runs on plain NEON/SSE kernels and is smaller), and the
 * reason says so. A refused int8 variant is never deployed. An int8 variant that is not smaller
 * than the fp32 one (a model of a few KB, where the QDQ graph, scales and int32 biases outweigh
 * what int8 weights save) is tried after fp32 even where the class has int8 instructions: such a
 * model's latency is the runtime's per-call cost either way, so int8 would bring only its
 * accuracy loss.
 */
import { EdgehiveError } from '../../shared/errors/index.ts';
import { estimateLatencyMs, fitsProfile, type DeviceProfile, type FitResult } from '../../device-profiles/index.ts';
import type { Footprint } from './footprint.ts';

export type VariantKind = 'fp32' | 'int8';

export interface VariantCandidate {
  readonly variant: VariantKind;
  /** File size of the variant (the footprint's modelBytes is the same figure). */
  readonly bytes: number;
  readonly footprint: Pick<Footprint, 'hubLatencyMsP50' | 'hubLatencyMsP99' | 'peakMemoryBytes'>;
  /** The gate's decision for this variant (fp32: its floors; int8: also maxInt8Loss). */
  readonly accepted: boolean;
}

export interface ProfileEstimate {
  /** Estimated p99 latency on the class: hub p99 × computeFactor; this is what the budget is checked against. */
  readonly latencyMs: number;
  readonly latencyMsP50: number;
  /** Estimated peak agent RSS: the measured peak plus the agent's own overhead. */
  readonly memoryBytes: number;
  readonly bytes: number;
}

export interface VariantFit {
  readonly variant: VariantKind;
  readonly estimates: ProfileEstimate;
  readonly fit: FitResult;
}

export interface ProfilePlan {
  readonly profile: string;
  /** The variant to deploy, or null when none fits (or none was accepted). */
  readonly variant: VariantKind | null;
  /** Estimates of the chosen variant; of the preferred variant when refused (null when no variant was accepted). */
  readonly estimates: ProfileEstimate | null;
  readonly reason: string;
  /** Every accepted variant tried, in order of preference, with its fit. */
  readonly tried: readonly VariantFit[];
}

export interface PlanOptions {
  /** Added to each variant's measured peak: the agent's modules and buffers beyond a bare Node process. */
  readonly agentOverheadBytes?: number;
}

/**
 * The agent's RSS beyond a bare Node process with onnxruntime-node: measured on the hub, importing
 * better-sqlite3 (with an open database), mqtt and protobufjs adds about 17 MiB; rounded up to
 * 24 MiB for the agent's own heap and outbox buffers (an allowance, not measured).
 */
export const AGENT_OVERHEAD_BYTES = 24 * 1024 * 1024;

export function estimateOn(profile: DeviceProfile, c: VariantCandidate, options: PlanOptions = {}): ProfileEstimate {
  return {
    latencyMs: estimateLatencyMs(c.footprint.hubLatencyMsP99, profile),
    latencyMsP50: estimateLatencyMs(c.footprint.hubLatencyMsP50, profile),
    memoryBytes: c.footprint.peakMemoryBytes + (options.agentOverheadBytes ?? AGENT_OVERHEAD_BYTES),
    bytes: c.bytes,
  };
}

/** Bytes of the accepted int8 and fp32 variants where int8 is not the smaller, else undefined. */
function int8NotSmaller(variants: readonly VariantCandidate[]): { int8: number; fp32: number } | undefined {
  const int8 = variants.find((v) => v.variant === 'int8' && v.accepted);
  const fp32 = variants.find((v) => v.variant === 'fp32' && v.accepted);
  return int8 && fp32 && int8.bytes >= fp32.bytes ? { int8: int8.bytes, fp32: fp32.bytes } : undefined;
}

function order(profile: DeviceProfile, variants: readonly VariantCandidate[]): VariantCandidate[] {
  const pref: VariantKind[] = profile.int8.supported && !int8NotSmaller(variants) ? ['int8', 'fp32'] : ['fp32', 'int8'];
  return pref.flatMap((k) => variants.filter((v) => v.variant === k && v.accepted));
}

function over(fit: Extract<FitResult, { ok: false }>): string {
  const by = fit.actual - fit.limit;
  const pct = fit.limit > 0 ? ` (${((by / fit.limit) * 100).toFixed(1)} % over)` : '';
  const unit = fit.failed === 'inferenceLatencyBudgetMs' ? ` ms` : ' bytes';
  return `${fit.message}; over by ${+by.toFixed(3)}${unit}${pct}`;
}

/** Plans one profile: the first accepted variant, in preference order, that fits. */
export function planProfile(profile: DeviceProfile, variants: readonly VariantCandidate[], options: PlanOptions = {}): ProfilePlan {
  const candidates = order(profile, variants);
  if (candidates.length === 0) {
    return { profile: profile.id, variant: null, estimates: null, reason: `profile ${profile.id}: no variant passed its gates`, tried: [] };
  }
  const tried: VariantFit[] = [];
  const notSmaller = int8NotSmaller(variants);
  for (const c of candidates) {
    const estimates = estimateOn(profile, c, options);
    const fit = fitsProfile(profile, { modelBytes: c.bytes, peakRssBytes: estimates.memoryBytes, estimatedLatencyMs: estimates.latencyMs });
    tried.push({ variant: c.variant, estimates, fit });
    if (fit.ok) {
      const why = c.variant === 'int8'
        ? (profile.int8.supported && !notSmaller ? 'the class has int8 instructions and the int8 variant passed its gate'
          : `fp32 does not fit, the int8 variant passed its gate${profile.int8.supported ? '' : ' and runs on plain kernels'}`)
        : !profile.int8.supported ? 'the class has no int8 dot-product instructions'
          : notSmaller ? `the int8 variant is not smaller than fp32 (${notSmaller.int8} vs ${notSmaller.fp32} bytes), so int8 would cost accuracy for nothing`
            : 'the int8 variant was refused by its gate or does not fit';
      const notes = tried.slice(0, -1).map((t) => `${t.variant} does not fit: ${t.fit.ok ? '' : over(t.fit)}`);
      return {
        profile: profile.id, variant: c.variant, estimates, tried,
        reason: [`profile ${profile.id}: ${c.variant} (${why})`, ...notes].join('; '),
      };
    }
  }
  const first = tried[0] as VariantFit;
  const failures = tried.map((t) => `${t.variant}: ${t.fit.ok ? '' : over(t.fit)}`);
  return {
    profile: profile.id, variant: null, estimates: first.estimates, tried,
    reason: `profile ${profile.id}: no variant fits — ${failures.join('; ')}`,
  };
}

/** Plans every profile. */
export function planProfiles(profiles: readonly DeviceProfile[], variants: readonly VariantCandidate[], options: PlanOptions = {}): ProfilePlan[] {
  return profiles.map((p) => planProfile(p, variants, options));
}

/**
 * The variant to deploy to a profile, or EH_PROFILE_UNFIT with the plan's reason (which limit
 * failed and by how much) when nothing fits.
 */
export function requireFit(plan: ProfilePlan): VariantKind {
  if (plan.variant === null) {
    const failed = plan.tried.flatMap((t) => (t.fit.ok ? [] : [{ variant: t.variant, limit: t.fit.failed, actual: t.fit.actual, max: t.fit.limit }]));
    throw new EdgehiveError('EH_PROFILE_UNFIT', `${plan.reason}; deploy to a larger device class or shrink the model`, { profile: plan.profile, failed });
  }
  return plan.variant;
}
