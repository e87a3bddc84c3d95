/**
 * Core logic asks a Clock for the time instead of calling Date.now(), so the simulator can run
 * days of fleet time in seconds and tests can step time by hand.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch, in this clock's time. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; for tests and replay. */
export class ManualClock implements Clock {
  #t: number;
  constructor(startMs = 0) { this.#t = startMs; }
  now(): number { return this.#t; }
  set(ms: number): void { this.#t = ms; }
  advance(ms: number): void { this.#t += ms; }
}

/**
 * Fleet time: starts at `fleetEpochMs` when the wall clock reads `wallEpochMs` and runs `speed`
 * times faster. A pure function of its three parameters, so separate processes given the same
 * parameters agree on the fleet time without talking to each other.
 */
export class ScaledClock implements Clock {
  constructor(
    readonly fleetEpochMs: number,
    readonly wallEpochMs: number,
    readonly speed: number,
    private readonly wall: Clock = systemClock,
  ) {}
  now(): number { return this.fleetEpochMs + (this.wall.now() - this.wallEpochMs) * this.speed; }
  /** Wall-clock milliseconds that correspond to `fleetMs` of fleet time. */
  toWallDuration(fleetMs: number): number { return fleetMs / this.speed; }
}
