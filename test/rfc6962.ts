/**
 * An independent RFC 6962 verifier for the tests, written from the RFC's own definitions (§2.1) and
 * nothing in src/: the Merkle Tree Hash MTH, the audit path PATH(m, D[n]) and the consistency proof
 * PROOF(m, D[n]) = SUBPROOF(m, D[n], true). Each proof is checked by running the RFC's recursive
 * definition backwards: the definition appends one hash at each level of recursion, so the verifier
 * takes hashes from the end of the proof while it descends and combines them on the way back up.
 *
 *   MTH({})        = SHA-256()
 *   MTH({d(0)})    = SHA-256(0x00 || d(0))
 *   MTH(D[n])      = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])),  k the largest power of 2 < n
 *   PATH(m, D[n])  = PATH(m, D[0:k]) : MTH(D[k:n])        for m < k
 *                  = PATH(m - k, D[k:n]) : MTH(D[0:k])    for m >= k;   PATH(0, {d(0)}) = {}
 *   SUBPROOF(m, D[m], true)  = {};  SUBPROOF(m, D[m], false) = {MTH(D[m])}
 *   SUBPROOF(m, D[n], b)     = SUBPROOF(m, D[0:k], b) : MTH(D[k:n])          for m <= k
 *                            = SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])  for m > k
 */
import { createHash } from 'node:crypto';

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
export const rfcLeafHash = (data: Uint8Array): Buffer => sha256(Buffer.from([0]), data);
const node = (l: Uint8Array, r: Uint8Array): Buffer => sha256(Buffer.from([1]), l, r);
const splitPoint = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

/** MTH over leaf data, straight from the definition. */
export const rfcRoot = (data: readonly Uint8Array[]): Buffer => {
  if (data.length === 0) return sha256();
  if (data.length === 1) return rfcLeafHash(data[0]!);
  const k = splitPoint(data.length);
  return node(rfcRoot(data.slice(0, k)), rfcRoot(data.slice(k)));
};

/** The root an audit path leads to from leaf `m` of a tree of `n` leaves (undefined: malformed). */
const pathRoot = (leaf: Buffer, m: number, n: number, path: Buffer[]): Buffer | undefined => {
  if (n === 1) return path.length === 0 ? leaf : undefined;
  const last = path[path.length - 1];
  if (!last) return undefined;
  const rest = path.slice(0, -1);
  const k = splitPoint(n);
  if (m < k) {
    const left = pathRoot(leaf, m, k, rest);
    return left && node(left, last);
  }
  const right = pathRoot(leaf, m - k, n - k, rest);
  return right && node(last, right);
};

export const rfcVerifyInclusion = (
  leafHash: Buffer,
  m: number,
  n: number,
  path: Buffer[],
  root: Buffer,
): boolean => m >= 0 && m < n && (pathRoot(leafHash, m, n, path)?.equals(root) ?? false);

/** [old root, new root] rebuilt from SUBPROOF(m, D[n], b), or undefined when it does not parse. */
const subRoots = (
  m: number,
  n: number,
  b: boolean,
  proof: Buffer[],
  oldRoot: Buffer,
): [Buffer, Buffer] | undefined => {
  if (m === n) {
    if (b) return proof.length === 0 ? [oldRoot, oldRoot] : undefined;
    return proof.length === 1 ? [proof[0]!, proof[0]!] : undefined;
  }
  const last = proof[proof.length - 1];
  if (!last) return undefined;
  const rest = proof.slice(0, -1);
  const k = splitPoint(n);
  if (m <= k) {
    const r = subRoots(m, k, b, rest, oldRoot);
    return r && [r[0], node(r[1], last)];
  }
  const r = subRoots(m - k, n - k, false, rest, oldRoot);
  return r && [node(last, r[0]), node(last, r[1])];
};

export const rfcVerifyConsistency = (
  m: number,
  n: number,
  proof: Buffer[],
  oldRoot: Buffer,
  newRoot: Buffer,
): boolean => {
  if (m < 0 || m > n) return false;
  if (m === 0 || m === n) return proof.length === 0 && (m === 0 || oldRoot.equals(newRoot));
  const r = subRoots(m, n, true, proof, oldRoot);
  if (!r) return false;
  return r[0].equals(oldRoot) && r[1].equals(newRoot);
};
