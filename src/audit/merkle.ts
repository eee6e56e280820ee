/**
 * The audit log's Merkle tree (RFC 6962 §2.1, RFC 9162 §2.1): leaves are the entries' leaf hashes
 * SHA-256(0x00 ‖ entry) in log order; an interior node is SHA-256(0x01 ‖ left ‖ right), the tree
 * of n leaves split at the largest power of two below n.
 *
 * - `Frontier` appends in O(log n) and gives the root in O(log n): it keeps one hash per set bit of
 *   the size (the roots of the perfect subtrees the leaves so far fill), never the tree.
 * - Proofs are computed from the hashes of perfect subtrees (`PerfectSource`: level ℓ, index i →
 *   the root of leaves [i·2^ℓ, (i+1)·2^ℓ)), so a store can keep them in tiles (C2SP tlog-tiles
 *   keeps levels of 256) and a proof reads O(log n) of them.
 * - Verification follows RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency) to the letter.
 */
import { createHash, hash } from 'node:crypto';

export const HASH_BYTES = 32;

const LEAF = Buffer.of(0x00);

/** SHA-256(0x00 ‖ entry): the leaf hash of an entry's canonical bytes. */
export const leafHash = (entry: Uint8Array): Buffer =>
  createHash('sha256').update(LEAF).update(entry).digest();

/** One buffer for every node's input: 0x01 ‖ left ‖ right (hashing is synchronous). */
const scratch = Buffer.alloc(1 + 2 * HASH_BYTES, 0x01);

/** SHA-256(0x01 ‖ left ‖ right). */
export const nodeHash = (left: Uint8Array, right: Uint8Array): Buffer => {
  scratch.set(left, 1);
  scratch.set(right, 1 + HASH_BYTES);
  return hash('sha256', scratch, 'buffer') as unknown as Buffer;
};

/** The root of the empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

/** The largest power of two strictly below n (n ≥ 2). */
export const splitPoint = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

/**
 * The right edge of a tree being appended to: the roots of its perfect subtrees, largest first.
 * Appending merges equal-sized subtrees like a binary counter, so it costs O(log n) hashes at
 * worst and one on average.
 */
export class Frontier {
  #size = 0;
  /** `#nodes[j]` is the root of a perfect subtree; sizes descend, one per set bit of #size. */
  readonly #nodes: Buffer[] = [];

  constructor(size = 0, nodes: readonly Buffer[] = []) {
    let bits = 0;
    for (let s = size; s > 0; s = Math.floor(s / 2)) bits += s % 2;
    if (bits !== nodes.length)
      throw new Error(`a frontier of ${size} leaves holds ${bits} subtree roots, not ${nodes.length}`);
    this.#size = size;
    this.#nodes.push(...nodes);
  }

  get size(): number {
    return this.#size;
  }

  /** The perfect subtree roots, largest first (what to keep to resume appending). */
  get nodes(): readonly Buffer[] {
    return this.#nodes;
  }

  append(leaf: Buffer): void {
    let h = leaf;
    // Each trailing one bit of the old size is a subtree of the same height as `h` so far.
    for (let s = this.#size; s % 2 === 1; s = (s - 1) / 2) h = nodeHash(this.#nodes.pop()!, h);
    this.#nodes.push(h);
    this.#size++;
  }

  /** The tree head's root hash (RFC 6962 MTH of every leaf appended). */
  root(): Buffer {
    if (this.#nodes.length === 0) return EMPTY_ROOT;
    let r = this.#nodes[this.#nodes.length - 1]!;
    for (let j = this.#nodes.length - 2; j >= 0; j--) r = nodeHash(this.#nodes[j]!, r);
    return r;
  }
}

/** The root of leaves [i·2^level, (i+1)·2^level): a perfect subtree. */
export type PerfectSource = (level: number, index: number) => Buffer;

/** Perfect subtrees of leaves held in memory, each computed once (tests, small logs, tools). */
export const memorySource = (leaves: readonly Buffer[]): PerfectSource => {
  const levels: Map<number, Buffer>[] = [];
  const get = (level: number, index: number): Buffer => {
    if (level === 0) {
      const l = leaves[index];
      if (!l) throw new Error(`no leaf ${index}`);
      return l;
    }
    levels[level] ??= new Map();
    const hit = levels[level]!.get(index);
    if (hit) return hit;
    const h = nodeHash(get(level - 1, 2 * index), get(level - 1, 2 * index + 1));
    levels[level]!.set(index, h);
    return h;
  };
  return get;
};

const log2 = (n: number): number => 31 - Math.clz32(n);
const isPow2 = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;

/** MTH(D[start:end]) as its own RFC 6962 tree, from perfect subtrees (O(log n) of them). */
export const rangeHash = (start: number, end: number, src: PerfectSource): Buffer => {
  const n = end - start;
  if (n <= 0) throw new Error(`empty range ${start}..${end}`);
  if (isPow2(n) && start % n === 0) return src(log2(n), start / n);
  if (n === 1) return src(0, start);
  const k = splitPoint(n);
  return nodeHash(rangeHash(start, start + k, src), rangeHash(start + k, end, src));
};

/** The tree head's root for the first `size` leaves. */
export const rootOf = (size: number, src: PerfectSource): Buffer =>
  size === 0 ? EMPTY_ROOT : rangeHash(0, size, src);

/** RFC 6962 §2.1.1 PATH(m, D[n]) over leaves [start, start+n): sibling hashes, leaf upwards. */
const path = (m: number, start: number, n: number, src: PerfectSource, out: Buffer[]): void => {
  if (n <= 1) return;
  const k = splitPoint(n);
  if (m < k) {
    path(m, start, k, src, out);
    out.push(rangeHash(start + k, start + n, src));
  } else {
    path(m - k, start + k, n - k, src, out);
    out.push(rangeHash(start, start + k, src));
  }
};

/** The audit path of leaf `index` in the tree of `size` leaves (RFC 6962 §2.1.1). */
export const inclusionProof = (index: number, size: number, src: PerfectSource): Buffer[] => {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size)
    throw new RangeError(`leaf ${index} is not in a tree of ${size} leaves`);
  const out: Buffer[] = [];
  path(index, 0, size, src, out);
  return out;
};

/** RFC 6962 §2.1.2 SUBPROOF(m, D[n], b) over leaves [start, start+n). */
const subproof = (m: number, start: number, n: number, b: boolean, src: PerfectSource, out: Buffer[]) => {
  if (m === n) {
    if (!b) out.push(rangeHash(start, start + n, src));
    return;
  }
  const k = splitPoint(n);
  if (m <= k) {
    subproof(m, start, k, b, src, out);
    out.push(rangeHash(start + k, start + n, src));
  } else {
    subproof(m - k, start + k, n - k, false, src, out);
    out.push(rangeHash(start, start + k, src));
  }
};

/** The proof that the tree of `first` leaves is a prefix of the tree of `second` (RFC 6962 §2.1.2). */
export const consistencyProof = (first: number, second: number, src: PerfectSource): Buffer[] => {
  if (!Number.isInteger(first) || !Number.isInteger(second) || first < 0 || first > second)
    throw new RangeError(`no consistency proof from ${first} to ${second} leaves`);
  if (first === 0 || first === second) return [];
  const out: Buffer[] = [];
  subproof(first, 0, second, true, src, out);
  return out;
};

const equal = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

/** RFC 9162 §2.1.3.2: whether `proof` shows `leaf` at `index` in the tree of `size` with `root`. */
export const verifyInclusion = (
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean => {
  if (index >= size || index < 0) return false;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(r, root);
};

/** RFC 9162 §2.1.4.2: whether `proof` shows the tree (`first`, `firstRoot`) is a prefix of (`second`, `secondRoot`). */
export const verifyConsistency = (
  first: number,
  second: number,
  proof: readonly Uint8Array[],
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
): boolean => {
  if (first > second || first < 0) return false;
  if (first === second) return proof.length === 0 && equal(firstRoot, secondRoot);
  if (first === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  let path = [...proof];
  if (isPow2(first)) path = [firstRoot, ...path];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(fr, firstRoot) && equal(sr, secondRoot);
};
