/**
 * Seeded randomness for the engine. Everything random in training (initial weights, batch order,
 * dropout masks) draws from one of these generators, computed in plain JS so that the same seed
 * gives the same numbers on every backend and in every process, bit for bit.
 */

/** mulberry32: tiny, fast, and good enough for initialisation and shuffling (not cryptography). */
export class Prng {
  private state: number;

  constructor(seed: number) {
    // Mix the seed once so that nearby seeds (0, 1, 2) do not start from nearby states.
    this.state = (Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ 0x6d2b79f5) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, 2^31): seeds for tf ops that take one (dropout). */
  nextSeed(): number {
    return Math.floor(this.next() * 2147483648);
  }

  /** An independent generator derived from this one (one per purpose, so that adding a dropout
   * layer does not change the batch order). */
  fork(): Prng {
    return new Prng(this.nextSeed());
  }

  /** Fisher-Yates shuffle in place. */
  shuffle(a: Uint32Array | number[]): void {
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
  }
}

/** Keras' glorot_uniform: U(-l, l) with l = sqrt(6 / (fanIn + fanOut)). */
export function glorotUniform(rng: Prng, size: number, fanIn: number, fanOut: number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = (rng.next() * 2 - 1) * limit;
  return out;
}

export function filled(size: number, value: number): Float32Array {
  return new Float32Array(size).fill(value);
}
