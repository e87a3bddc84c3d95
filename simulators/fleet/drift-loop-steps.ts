/**
 * The closed drift loop's steps as they happen (drift-loop.ts): each step is stamped with fleet
 * time (what the hub and the agents reason in: windows, cool-downs, soaks) and wall time (what an
 * operator waits), both from the loop's start, and printed at once. The clocks are injected, so
 * the timeline is the same pure bookkeeping in a test, the demo and the bench.
 */
import type { Clock } from '../../shared/time/clock.ts';

export const LOOP_STEPS = [
  'champion-ready', 'champion-rolled-out', 'baselines-learned', 'drift-injected', 'drift-detected', 'policy-triggered',
  'challenger-ready', 'shadow-started', 'shadow-decided', 'promoted', 'drift-cleared',
] as const;
export type LoopStep = (typeof LOOP_STEPS)[number];

export interface StepMark {
  step: LoopStep;
  /** Fleet ms and wall ms since the loop started. */
  fleetMs: number;
  wallMs: number;
  detail: string;
}

const HOUR_MS = 3_600_000;

export function formatFleet(ms: number): string {
  const h = ms / HOUR_MS;
  return h >= 48 ? `${(h / 24).toFixed(2)} d` : `${h.toFixed(1)} h`;
}

export function formatWall(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export class LoopTimeline {
  readonly marks: StepMark[] = [];
  readonly #fleet0: number;
  readonly #wall0: number;

  constructor(private readonly fleet: Clock, private readonly wall: Clock, private readonly print: (line: string) => void) {
    this.#fleet0 = fleet.now();
    this.#wall0 = wall.now();
  }

  /** Fleet ms since the start, for a fleet timestamp the hub or an agent recorded. */
  fleetSince(fleetTsMs: number): number { return fleetTsMs - this.#fleet0; }

  /** Stamps a step now, or at the fleet time the hub recorded it (then wall is when it was seen). */
  mark(step: LoopStep, detail: string, atFleetMs?: number): StepMark {
    const m: StepMark = { step, fleetMs: (atFleetMs ?? this.fleet.now()) - this.#fleet0, wallMs: this.wall.now() - this.#wall0, detail };
    this.marks.push(m);
    this.print(`[fleet +${formatFleet(m.fleetMs)} | wall +${formatWall(m.wallMs)}] ${step}: ${detail}`);
    return m;
  }

  /** Forgets marks of these steps (a challenger the loop tries again after a refusal). */
  unmark(...steps: LoopStep[]): void {
    for (let i = this.marks.length - 1; i >= 0; i--) if (steps.includes(this.marks[i]!.step)) this.marks.splice(i, 1);
  }

  note(line: string): void {
    this.print(`[fleet +${formatFleet(this.fleet.now() - this.#fleet0)} | wall +${formatWall(this.wall.now() - this.#wall0)}]   ${line}`);
  }

  get(step: LoopStep): StepMark | undefined {
    return this.marks.find((m) => m.step === step);
  }

  /** From one step to another, fleet and wall ms; null when either is missing. */
  span(from: LoopStep, to: LoopStep): { fleetMs: number; wallMs: number } | null {
    const a = this.get(from);
    const b = this.get(to);
    return a && b ? { fleetMs: b.fleetMs - a.fleetMs, wallMs: b.wallMs - a.wallMs } : null;
  }
}
