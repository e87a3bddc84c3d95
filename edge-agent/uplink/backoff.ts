/**
 * Reconnect delays: exponential from `minMs` up to `maxMs`, each drawn at random between
 * `minMs` and the current ceiling, so a fleet that lost its broker does not return in lockstep.
 */
export class Backoff {
  #attempt = 0;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const lo = Math.min(this.minMs, this.maxMs);
    const ceiling = Math.min(Math.max(this.maxMs, lo), lo * 2 ** (this.#attempt + 1));
    this.#attempt = Math.min(this.#attempt + 1, 30);
    return Math.round(lo + this.random() * (ceiling - lo));
  }

  reset(): void { this.#attempt = 0; }
}
