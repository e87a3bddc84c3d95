/**
 * A seeded, stateless random source: every value is a pure function of
 * (seed, device, index, channel), so reading i of a device can be regenerated anywhere (another
 * process, a test) without replaying readings 0..i-1.
 *
 * The mixing is MurmurHash3's x86_32 body and finaliser over the four key words, in 32-bit
 * arithmetic (Math.imul); it passes the avalanche criterion, which is all we need here.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const TWO_32 = 4294967296;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/** MurmurHash3 fmix32: every input bit affects every output bit. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function mixWord(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = rotl(k, 15);
  k = Math.imul(k, C2);
  h ^= k;
  h = rotl(h, 13);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3 x86_32 of a list of 32-bit words. */
export function hashWords(seed: number, words: readonly number[]): number {
  let h = seed | 0;
  for (const w of words) h = mixWord(h, w | 0);
  return fmix32(h ^ (words.length * 4));
}

/** MurmurHash3 x86_32 of a string's UTF-16 code units; used to turn a device id into a key word. */
export function hashString(s: string, seed = 0): number {
  const words: number[] = [];
  for (let i = 0; i < s.length; i += 2) words.push(s.charCodeAt(i) | ((i + 1 < s.length ? s.charCodeAt(i + 1) : 0) << 16));
  return hashWords(seed ^ s.length, words);
}

/** 32 random bits for (seed, key, index, channel). `index` may be any non-negative safe integer. */
export function bitsAt(seed: number, key: number, index: number, channel: number): number {
  const lo = index >>> 0;
  const hi = Math.floor(index / TWO_32) >>> 0;
  return hashWords(seed >>> 0, [key, lo, hi, channel]);
}

/** Uniform in [0, 1) with 53 bits of resolution. */
export function uniformAt(seed: number, key: number, index: number, channel: number): number {
  const a = bitsAt(seed, key, index, channel) >>> 5; // 27 bits
  const b = bitsAt(seed ^ 0x9e3779b9, key, index, channel) >>> 6; // 26 bits
  return (a * 67108864 + b) / 9007199254740992;
}

/** Standard normal (mean 0, sd 1) by Box-Muller over two independent uniforms. */
export function gaussianAt(seed: number, key: number, index: number, channel: number): number {
  const u1 = uniformAt(seed, key, index, channel * 2 + 0x10000);
  const u2 = uniformAt(seed, key, index, channel * 2 + 0x10001);
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * The random source of one device: a seed and the hashed device id, fixed at construction.
 * Holds no state that changes, so `uniform(i, c)` returns the same number on every call.
 */
export class DeviceRandom {
  readonly key: number;
  constructor(readonly seed: number, readonly deviceId: string) {
    this.key = hashString(deviceId);
  }
  uniform(index: number, channel: number): number { return uniformAt(this.seed, this.key, index, channel); }
  gaussian(index: number, channel: number): number { return gaussianAt(this.seed, this.key, index, channel); }
  /** Uniform in [min, max). */
  between(index: number, channel: number, min: number, max: number): number { return min + (max - min) * this.uniform(index, channel); }
}
