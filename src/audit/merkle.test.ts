/**
 * The Merkle tree against a reference written from RFC 6962 §2.1 alone (recursive MTH, PATH and
 * SUBPROOF over every leaf), the Certificate Transparency reference vectors, and a three-leaf tree
 * worked out by hand.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  EMPTY_ROOT,
  Frontier,
  inclusionProof,
  leafHash,
  memorySource,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from './merkle.ts';

// --- The reference: RFC 6962 §2.1 transcribed, over the entries themselves. ---
const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const k = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1);
const MTH = (d: Buffer[]): Buffer =>
  d.length === 0
    ? sha()
    : d.length === 1
      ? sha(Buffer.of(0), d[0]!)
      : sha(Buffer.of(1), MTH(d.slice(0, k(d.length))), MTH(d.slice(k(d.length))));
const PATH = (m: number, d: Buffer[]): Buffer[] => {
  if (d.length <= 1) return [];
  const s = k(d.length);
  return m < s
    ? [...PATH(m, d.slice(0, s)), MTH(d.slice(s))]
    : [...PATH(m - s, d.slice(s)), MTH(d.slice(0, s))];
};
const SUBPROOF = (m: number, d: Buffer[], b: boolean): Buffer[] => {
  if (m === d.length) return b ? [] : [MTH(d)];
  const s = k(d.length);
  return m <= s
    ? [...SUBPROOF(m, d.slice(0, s), b), MTH(d.slice(s))]
    : [...SUBPROOF(m - s, d.slice(s), false), MTH(d.slice(0, s))];
};

const entries = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`entry ${i}`));
const hex = (b: Buffer) => b.toString('hex');

describe('the audit Merkle tree (RFC 6962)', () => {
  it('matches the Certificate Transparency reference roots', () => {
    const ct = [
      '',
      '00',
      '10',
      '2021',
      '3031',
      '40414243',
      '5051525354555657',
      '606162636465666768696a6b6c6d6e6f',
    ].map((h) => Buffer.from(h, 'hex'));
    const roots = [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
      'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
      '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
      'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    ];
    const f = new Frontier();
    ct.forEach((e, i) => {
      f.append(leafHash(e));
      expect(hex(f.root()), `size ${i + 1}`).toBe(roots[i]);
    });
    expect(hex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('a three-leaf tree worked out by hand', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((s) => sha(Buffer.of(0), Buffer.from(s)));
    const ab = sha(Buffer.of(1), a!, b!);
    const root = sha(Buffer.of(1), ab, c!);
    const leaves = [a!, b!, c!];
    expect(rootOf(3, memorySource(leaves))).toEqual(root);
    // b's path: its sibling a, then c; c's path: ab alone.
    expect(inclusionProof(1, 3, memorySource(leaves))).toEqual([a, c]);
    expect(inclusionProof(2, 3, memorySource(leaves))).toEqual([ab]);
    // The tree of two is a prefix of the tree of three: c proves it.
    expect(consistencyProof(2, 3, memorySource(leaves))).toEqual([c]);
    expect(verifyConsistency(2, 3, [c!], ab, root)).toBe(true);
  });

  it('appends in O(log n) to the same root as the reference, for every size to 70', () => {
    const d = entries(70);
    const f = new Frontier();
    expect(f.root()).toEqual(MTH([]));
    for (let n = 1; n <= 70; n++) {
      f.append(leafHash(d[n - 1]!));
      expect(f.root(), `size ${n}`).toEqual(MTH(d.slice(0, n)));
      // Resumable from what it keeps.
      expect(new Frontier(f.size, f.nodes).root()).toEqual(f.root());
    }
  });

  it('gives the reference inclusion proofs, which verify, and fail for any other leaf, index or root', () => {
    const d = entries(37);
    const leaves = d.map(leafHash);
    const src = memorySource(leaves);
    for (let n = 1; n <= 37; n++) {
      const root = MTH(d.slice(0, n));
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(m, n, src);
        expect(proof, `${m} of ${n}`).toEqual(PATH(m, d.slice(0, n)));
        expect(verifyInclusion(leaves[m]!, m, n, proof, root)).toBe(true);
        if (n > 1) {
          expect(verifyInclusion(leaves[(m + 1) % n]!, m, n, proof, root)).toBe(false);
          expect(verifyInclusion(leaves[m]!, (m + 1) % n, n, proof, root)).toBe(false);
        }
        expect(verifyInclusion(leaves[m]!, m, n, proof, sha(root))).toBe(false);
      }
    }
    expect(() => inclusionProof(5, 5, src)).toThrow(RangeError);
  });

  it('gives the reference consistency proofs, which verify, and fail against another root', () => {
    const d = entries(33);
    const src = memorySource(d.map(leafHash));
    for (let n = 1; n <= 33; n++) {
      const second = MTH(d.slice(0, n));
      for (let m = 1; m <= n; m++) {
        const first = MTH(d.slice(0, m));
        const proof = consistencyProof(m, n, src);
        expect(proof, `${m} → ${n}`).toEqual(m === n ? [] : SUBPROOF(m, d.slice(0, n), true));
        expect(verifyConsistency(m, n, proof, first, second), `${m} → ${n}`).toBe(true);
        if (m < n) {
          expect(verifyConsistency(m, n, proof, sha(first), second)).toBe(false);
          expect(verifyConsistency(m, n, proof, first, sha(second))).toBe(false);
        }
      }
    }
  });

  it('a reordered or changed leaf changes the root', () => {
    const d = entries(9).map(leafHash);
    const root = rootOf(9, memorySource(d));
    const swapped = [...d];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    expect(rootOf(9, memorySource(swapped))).not.toEqual(root);
    const changed = [...d];
    changed[8] = leafHash(Buffer.from('entry 8!'));
    expect(rootOf(9, memorySource(changed))).not.toEqual(root);
  });
});
