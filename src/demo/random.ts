/**
 * A small seeded pseudo-random generator, so a demo population is reproducible from its seed
 * (never Math.random). sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, PractRand-clean),
 * seeded through splitmix32 so that nearby seeds give unrelated streams.
 */

const splitmix32 = (state: number): [next: number, out: number] => {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
};

export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** `seed` may be any safe integer; its high and low 32 bits both count. */
  constructor(seed: number, stream = 0) {
    let s =
      (seed | 0) ^ Math.imul(Math.floor(seed / 0x100000000) | 0, 0x27d4eb2d) ^ Math.imul(stream, 0x165667b1);
    let out: number;
    [s, out] = splitmix32(s);
    this.#a = out;
    [s, out] = splitmix32(s);
    this.#b = out;
    [s, out] = splitmix32(s);
    this.#c = out;
    [s, out] = splitmix32(s);
    this.#d = out;
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    const a = this.#a;
    const b = this.#b;
    const c = this.#c;
    const d = this.#d;
    const t = (((a + b) | 0) + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    this.#c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** A uniform number in [0, 1). */
  next(): number {
    return this.uint32() / 0x100000000;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A uniform integer in [lo, hi] (inclusive). */
  range(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A number spread evenly on a log scale over [lo, hi]: small sums common, large ones rare. */
  logUniform(lo: number, hi: number): number {
    return lo * Math.exp(this.next() * Math.log(hi / lo));
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
}

/** Cumulative weights for `pickWeighted`. */
export const cumulative = (weights: readonly number[]): Float64Array => {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i]!;
    out[i] = sum;
  }
  return out;
};

/** Index drawn with probability proportional to its weight (binary search over the cumulative sums). */
export const pickWeighted = (rng: Random, cum: Float64Array): number => {
  const x = rng.next() * cum[cum.length - 1]!;
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
};
