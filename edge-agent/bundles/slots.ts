/**
 * The two bundle slots and the pointer file that says which one runs. The pointer file
 * (dataDir/bundles/slots.json) is the single source of truth: replacing it with one atomic rename
 * is the swap, so after SIGKILL or a power cut the device is always either on the old slot or on
 * the new one (see docs/decisions/0009-agent-slots-and-activation.md).
 *
 * The transitions are pure functions from one pointer state to the next; SlotStore only reads
 * and writes the file.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { parseWithSchema } from '../../shared/config/validate.ts';
import { writeFileAtomic } from './atomic-file.ts';

export type SlotName = 'a' | 'b';
export const SLOT_NAMES: readonly SlotName[] = ['a', 'b'];

const SlotNameSchema = Type.Union([Type.Literal('a'), Type.Literal('b')]);
const SlotInfoSchema = Type.Object({
  bundleId: Type.String({ minLength: 1 }),
  model: Type.String(),
  version: Type.Integer({ minimum: 0 }),
  variant: Type.String(),
  /** Passed its health check on this device at least once. */
  healthy: Type.Boolean(),
}, { additionalProperties: false });
const FailedSchema = Type.Object({
  bundleId: Type.String({ minLength: 1 }),
  code: Type.String(),
  message: Type.String(),
  atMs: Type.Number(),
}, { additionalProperties: false });

export const SlotsStateSchema = Type.Object({
  /** The slot that runs; null: run no model. */
  active: Type.Union([SlotNameSchema, Type.Null()]),
  /** The slot to return to when the active one fails its trial, or to swap back to; null: none. */
  previous: Type.Union([SlotNameSchema, Type.Null()]),
  /** Set from the swap until the health check decides; survives restarts (attempts counts them). */
  trial: Type.Union([Type.Object({ slot: SlotNameSchema, bundleId: Type.String({ minLength: 1 }), attempts: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }), Type.Null()]),
  slots: Type.Object({ a: Type.Union([SlotInfoSchema, Type.Null()]), b: Type.Union([SlotInfoSchema, Type.Null()]) }, { additionalProperties: false }),
  /** Bundles refused or failed on this device, newest last: never installed again, their failure is reported again. */
  failed: Type.Array(FailedSchema),
}, { additionalProperties: false });

export type SlotInfo = Static<typeof SlotInfoSchema>;
export type FailedBundle = Static<typeof FailedSchema>;
export type SlotsState = Static<typeof SlotsStateSchema>;

/** A failed id is kept this long in the list (the oldest go first); enough for any real rollout history. */
export const MAX_FAILED = 64;
/** A trial interrupted this many times (agent killed during its health check) is abandoned. */
export const MAX_TRIAL_ATTEMPTS = 2;

export const SLOTS_FILE = 'slots.json';
export const slotFileName = (slot: SlotName): string => `slot-${slot}.ehb`;

export function emptySlots(): SlotsState {
  return { active: null, previous: null, trial: null, slots: { a: null, b: null }, failed: [] };
}

export function otherSlot(slot: SlotName): SlotName {
  return slot === 'a' ? 'b' : 'a';
}

export function slotInfo(s: SlotsState, slot: SlotName | null): SlotInfo | null {
  return slot === null ? null : s.slots[slot];
}

/** The slot that holds `bundleId`, if any. */
export function slotHolding(s: SlotsState, bundleId: string): SlotName | null {
  return SLOT_NAMES.find((n) => s.slots[n]?.bundleId === bundleId) ?? null;
}

export function failureOf(s: SlotsState, bundleId: string): FailedBundle | null {
  return s.failed.find((f) => f.bundleId === bundleId) ?? null;
}

/** Where a new bundle is written: never the running slot, and never the one to fall back to. */
export function targetSlot(s: SlotsState): SlotName {
  if (s.active !== null) return otherSlot(s.active);
  if (s.previous !== null) return otherSlot(s.previous);
  return s.slots.a === null ? 'a' : s.slots.b === null ? 'b' : 'a';
}

/**
 * What a new trial falls back to: the running slot, if it passed its health check. A device that
 * ran no model goes back to running none; it does not revive a model the hub had turned off.
 */
function fallbackFor(s: SlotsState, replacing: SlotName): SlotName | null {
  const cand = s.active;
  return cand !== null && cand !== replacing && s.slots[cand]?.healthy === true ? cand : null;
}

/** The swap: `slot` (just written) becomes active on trial; the running slot becomes the way back. */
export function beginTrial(s: SlotsState, slot: SlotName, info: Omit<SlotInfo, 'healthy'>): SlotsState {
  return {
    ...s,
    active: slot,
    previous: fallbackFor(s, slot),
    trial: { slot, bundleId: info.bundleId, attempts: 1 },
    slots: { ...s.slots, [slot]: { ...info, healthy: false } },
  };
}

/** A restart found the trial unfinished: one more attempt. */
export function retryTrial(s: SlotsState): SlotsState {
  if (s.trial === null) return s;
  return { ...s, trial: { ...s.trial, attempts: s.trial.attempts + 1 } };
}

/** The health check passed: the trial slot is the device's model now. */
export function commitTrial(s: SlotsState): SlotsState {
  const t = s.trial;
  if (t === null) return s;
  const info = s.slots[t.slot];
  return { ...s, active: t.slot, trial: null, slots: { ...s.slots, [t.slot]: info ? { ...info, healthy: true } : null } };
}

/** The trial failed: back to the slot it replaced (or to no model), and never again this bundle. */
export function abandonTrial(s: SlotsState, failure: FailedBundle): SlotsState {
  const t = s.trial;
  if (t === null) return recordFailure(s, failure);
  const back = s.previous !== null && s.previous !== t.slot && s.slots[s.previous]?.healthy === true ? s.previous : null;
  return recordFailure({ ...s, active: back, previous: null, trial: null, slots: { ...s.slots, [t.slot]: null } }, failure);
}

/** Runs `slot`, a bundle that already passed its health check here, without a new trial. */
export function swapTo(s: SlotsState, slot: SlotName): SlotsState {
  const other = otherSlot(slot);
  return { ...s, active: slot, previous: s.slots[other]?.healthy === true ? other : null, trial: null };
}

/** Desired state names no bundle: run nothing, keep both slots for a swap back. */
export function deactivate(s: SlotsState): SlotsState {
  return { ...s, active: null, previous: s.active ?? s.previous, trial: null };
}

/** The slot's file is gone or corrupt: forget it, and fall back to the other slot if that one is healthy. */
export function dropSlot(s: SlotsState, slot: SlotName): SlotsState {
  const other = otherSlot(slot);
  const otherHealthy = s.slots[other]?.healthy === true;
  return {
    ...s,
    active: s.active === slot ? (otherHealthy ? other : null) : s.active,
    previous: s.previous === slot || s.active === slot ? null : s.previous,
    trial: s.trial?.slot === slot ? null : s.trial,
    slots: { ...s.slots, [slot]: null },
  };
}

export function recordFailure(s: SlotsState, failure: FailedBundle): SlotsState {
  const failed = [...s.failed.filter((f) => f.bundleId !== failure.bundleId), failure];
  return { ...s, failed: failed.slice(-MAX_FAILED) };
}

/** Reads and writes slots.json in the bundles directory. */
export class SlotStore {
  readonly file: string;
  constructor(readonly dir: string) {
    this.file = join(dir, SLOTS_FILE);
  }

  slotPath(slot: SlotName): string {
    return join(this.dir, slotFileName(slot));
  }

  /**
   * The saved state; null when there is none yet. A file that does not parse (the disk damaged
   * it: it is only ever replaced whole) is moved aside and reported through `onCorrupt`, and the
   * device starts with no active slot rather than guessing.
   */
  load(onCorrupt: (why: string, movedTo: string) => void): SlotsState | null {
    if (!existsSync(this.file)) return null;
    try {
      return parseWithSchema(SlotsStateSchema, JSON.parse(readFileSync(this.file, 'utf8')) as unknown, this.file);
    } catch (e) {
      const aside = `${this.file}.corrupt-${Date.now()}`;
      renameSync(this.file, aside);
      onCorrupt((e as Error).message, aside);
      return null;
    }
  }

  save(s: SlotsState): void {
    writeFileAtomic(this.file, `${JSON.stringify(s, null, 1)}\n`);
  }
}
