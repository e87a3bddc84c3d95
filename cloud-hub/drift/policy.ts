/**
 * A model's drift policy: when the drift reports of a group's devices mean the model should be
 * retrained (DESIGN.md "Drift and continuous training"). Sources, later winning: DEFAULT_POLICY,
 * the recipe's `driftPolicy`, the per-model override set through the API.
 *
 * The thresholds repeat the agent's DriftSettings defaults: a stored drift row carries the
 * report's figures and its alarm, not the agent's reasons, so the hub re-reads which feature
 * crossed. Quality problems (stuck, missing, out of range on its own) never count as drift:
 * retraining would teach the model the sensor fault.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { EdgehiveError } from '../../shared/errors/index.ts';

const Share = Type.Number({ minimum: 0, maximum: 1 });

export const ShadowPolicyPatchSchema = Type.Object({
  /** Shadow devices per affected group (online, running the champion, in no running deployment). */
  devices: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  /** Readings both models scored on every shadow device before anything is decided. */
  minInferences: Type.Optional(Type.Integer({ minimum: 1 })),
  /** Share of readings where both models made the same detection, on every shadow device. */
  minAgreement: Type.Optional(Share),
  /** Challenger p99 latency / champion p99 latency, on every shadow device. */
  maxLatencyRatio: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  /** Challenger errors / shadow inferences, over all shadow devices. */
  maxChallengerErrorRate: Type.Optional(Share),
  /** An undecided shadow evaluation is retired this long after it started. */
  maxDurationMs: Type.Optional(Type.Integer({ minimum: 1000 })),
  /** The held-out gate reads the group's readings of this recent span. */
  heldOutMs: Type.Optional(Type.Integer({ minimum: 60_000 })),
  /** How much worse than the champion the challenger may be on the held-out gate (task's headline metric; decision 0013). */
  heldOutTolerance: Type.Optional(Share),
}, { additionalProperties: false });
export type ShadowPolicyPatch = Static<typeof ShadowPolicyPatchSchema>;
export type ShadowPolicy = Required<ShadowPolicyPatch>;

export const DriftPolicyPatchSchema = Type.Object({
  enabled: Type.Optional(Type.Boolean()),
  drifting: Type.Optional(Type.Object({
    /** Features with distribution drift (alarm and PSI or KS past its threshold) a report needs to count as drifting. */
    minFeatures: Type.Optional(Type.Integer({ minimum: 1, maximum: 256 })),
    /**
     * An output-JS alarm also makes the report drifting. Off by default: for an anomaly or fault
     * model a shift of its outputs is often the very thing it exists to detect (bearing wear
     * raises a pump autoencoder's scores for weeks), and retraining on it would teach the model
     * that the fault is normal. Measured: a healthy but wearing 10-pump fleet over 30 days
     * triggers from day 14 with it on, never with it off (test/e2e/drift-output-no-false-trigger).
     * Output JS is still reported and stored either way.
     */
    output: Type.Optional(Type.Boolean()),
    /**
     * Reports with fewer readings carry no judgement (the agent judges from its minSamples on):
     * they neither count as drifting nor break a run of drifting reports. Set it to the agent's
     * minSamples.
     */
    minSamples: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Watched features; null: all. A degradation indicator the model exists to detect (bearing vibration) is better left out: retraining on it teaches the model that wear is normal. */
    features: Type.Optional(Type.Union([Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 256 }), Type.Null()])),
    psi: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    ks: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
    outputJs: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
    /** A feature missing in more than this share of a report's readings is a quality problem: its figures do not count. */
    missingRate: Type.Optional(Share),
  }, { additionalProperties: false })),
  /** Share of a group's reporting devices that must be drifting. */
  groupShare: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
  /** A device is drifting when this many of its newest judged reports in a row are. */
  consecutiveReports: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  /** A group with fewer reporting devices never triggers. */
  minDevices: Type.Optional(Type.Integer({ minimum: 1 })),
  /** After a trigger, no other trigger for the model this long. */
  cooldownMs: Type.Optional(Type.Integer({ minimum: 0 })),
  /** A triggered job trains on the group's data of this recent span. */
  trainingWindowMs: Type.Optional(Type.Integer({ minimum: 60_000 })),
  /** node-cron expression for scheduled retraining (hub clock); null: none. */
  schedule: Type.Optional(Type.Union([Type.String({ minLength: 9, maxLength: 100 }), Type.Null()])),
  /** How a challenger proves itself before it replaces the champion (cloud-hub/shadow, decision 0013). */
  shadow: Type.Optional(ShadowPolicyPatchSchema),
}, { additionalProperties: false });
export type DriftPolicyPatch = Static<typeof DriftPolicyPatchSchema>;

export interface DriftPolicy {
  enabled: boolean;
  drifting: { minFeatures: number; output: boolean; minSamples: number; features: string[] | null; psi: number; ks: number; outputJs: number; missingRate: number };
  groupShare: number;
  consecutiveReports: number;
  minDevices: number;
  cooldownMs: number;
  trainingWindowMs: number;
  schedule: string | null;
  shadow: ShadowPolicy;
}

export const DAY_MS = 86_400_000;

/** Defaults; the thresholds are the agent's DriftSettings defaults (shared/drift/schema.ts). */
export const DEFAULT_POLICY: DriftPolicy = Object.freeze({
  enabled: true,
  drifting: { minFeatures: 1, output: false, minSamples: 1440, features: null, psi: 0.25, ks: 0.2, outputJs: 0.2, missingRate: 0.2 },
  groupShare: 0.3,
  consecutiveReports: 3,
  minDevices: 3,
  cooldownMs: DAY_MS,
  trainingWindowMs: 7 * DAY_MS,
  schedule: null,
  shadow: {
    devices: 2, minInferences: 2000, minAgreement: 0.9, maxLatencyRatio: 1.5, maxChallengerErrorRate: 0.01,
    maxDurationMs: 3 * DAY_MS, heldOutMs: DAY_MS, heldOutTolerance: 0.02,
  },
}) as DriftPolicy;

/** Checks a patch (recipe field or API body); EH_BAD_REQUEST names the first problem. */
export function parsePolicyPatch(input: unknown, where: string): DriftPolicyPatch {
  if (!Value.Check(DriftPolicyPatchSchema, input)) {
    const e = [...Value.Errors(DriftPolicyPatchSchema, input)][0];
    throw new EdgehiveError('EH_BAD_REQUEST', `${where}: ${e ? `${e.path || '/'} ${e.message}` : 'invalid'}`);
  }
  return input;
}

const definedOf = (o: object | undefined): Record<string, unknown> => Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined));

/** Patches applied in order over the defaults (`drifting` and `shadow` merged field by field). */
export function mergePolicy(...patches: ReadonlyArray<DriftPolicyPatch | null | undefined>): DriftPolicy {
  let p: DriftPolicy = { ...DEFAULT_POLICY, drifting: { ...DEFAULT_POLICY.drifting }, shadow: { ...DEFAULT_POLICY.shadow } };
  for (const patch of patches) {
    if (!patch) continue;
    const { drifting, shadow, ...rest } = patch;
    p = { ...p, ...definedOf(rest), drifting: { ...p.drifting, ...definedOf(drifting) }, shadow: { ...p.shadow, ...definedOf(shadow) } };
  }
  return p;
}
