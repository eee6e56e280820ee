/**
 * The audit log's Merkle tree over the store's rows: sequencing committed entries into it, roots
 * and proofs read from the stored tiles, and verification of the whole log against its heads.
 *
 * A proof is computed by merkle.ts from a synchronous `PerfectSource`; here that source is planned
 * first (the proof's shape depends only on the index and sizes, so a dry run with placeholder
 * hashes lists the perfect subtrees it needs), then each subtree is read from the nearest tile
 * level at or below it — one row, or at most 2^(h−1) rows of the level below — and hashed up.
 */
import type { AuditHead, AuditTreeStore } from '../store/index.ts';
import {
  consistencyProof,
  EMPTY_ROOT,
  Frontier,
  HASH_BYTES,
  inclusionProof,
  leafHash,
  nodeHash,
  type PerfectSource,
  rootOf,
} from './merkle.ts';

/** Tiles at levels h, 2h, 3h (as the store keeps them). */
const TILE_LEVELS = 3;

/** Runs `use` over a source of the tree's perfect subtrees read from the store. */
export const withStoredSource = async <T>(
  tree: AuditTreeStore,
  use: (src: PerfectSource) => T,
): Promise<T> => {
  const h = await tree.tileHeight();
  const base = (level: number) => Math.min(Math.floor(level / h), TILE_LEVELS) * h;
  const wanted = new Map<string, [number, number]>();
  const placeholder = Buffer.alloc(HASH_BYTES);
  use((level, index) => {
    wanted.set(`${level}:${index}`, [level, index]);
    return placeholder;
  });
  const known = new Map<string, Buffer>();
  for (const [level, index] of wanted.values()) {
    const t = base(level);
    const span = 2 ** (level - t);
    const start = index * span;
    if (t === 0) {
      const leaves = await tree.leafHashes(start, start + span);
      for (const [j, l] of leaves.entries()) known.set(`0:${start + j}`, l);
    } else {
      for (const r of await tree.tiles(t, start, start + span)) known.set(`${t}:${r.index}`, r.hash);
    }
  }
  const get: PerfectSource = (level, index) => {
    const key = `${level}:${index}`;
    const hit = known.get(key);
    if (hit) return hit;
    if (level === base(level)) throw new RangeError(`the audit tree has no subtree ${key} (level:index)`);
    const hash = nodeHash(get(level - 1, 2 * index), get(level - 1, 2 * index + 1));
    known.set(key, hash);
    return hash;
  };
  return use(get);
};

export interface TreeHead {
  size: number;
  root: Buffer;
}

/** Puts up to `limit` committed entries not yet in the tree into it; the tree's size and root after. */
export const sequenceEntries = async (
  tree: AuditTreeStore,
  limit: number,
  tileHeight?: number,
): Promise<TreeHead & { added: number }> => {
  const f = await tree.sequence(limit, nodeHash, tileHeight);
  return { size: f.size, root: new Frontier(f.size, f.nodes).root(), added: f.added };
};

/** The tree head of the entries sequenced so far. */
export const currentHead = async (tree: AuditTreeStore): Promise<TreeHead> => {
  const f = await tree.frontier();
  return { size: f.size, root: new Frontier(f.size, f.nodes).root() };
};

/** The root of the first `size` leaves, from the tiles. */
export const rootAt = (tree: AuditTreeStore, size: number): Promise<Buffer> =>
  size === 0 ? Promise.resolve(EMPTY_ROOT) : withStoredSource(tree, (src) => rootOf(size, src));

export const storedInclusionProof = (tree: AuditTreeStore, index: number, size: number): Promise<Buffer[]> =>
  withStoredSource(tree, (src) => inclusionProof(index, size, src));

export const storedConsistencyProof = (
  tree: AuditTreeStore,
  first: number,
  second: number,
): Promise<Buffer[]> => withStoredSource(tree, (src) => consistencyProof(first, second, src));

export type AuditVerification =
  | { ok: true; size: number; root: Buffer }
  | { ok: false; index: number; reason: string };

const VERIFY_CHUNK = 10_000;

/**
 * Recomputes every leaf hash from the canonical entries in leaf order and the tree from them, and
 * checks each against what was stored: the leaf hash of each entry, the root of each completed
 * tile, the root of each head as the tree passes its size, and that no head (nor the frontier)
 * counts more leaves than remain. The first failure names the leaf index it locates.
 */
export const verifyTree = async (tree: AuditTreeStore): Promise<AuditVerification> => {
  const h = await tree.tileHeight();
  const heads: AuditHead[] = await tree.listHeads();
  const frontier = await tree.frontier();
  const tiles = new Map<string, Buffer>();
  for (let t = 1; t <= TILE_LEVELS; t++)
    for (const r of await tree.tiles(t * h, 0, Number.MAX_SAFE_INTEGER))
      tiles.set(`${t * h}:${r.index}`, r.hash);

  const nodes: Buffer[] = [];
  let size = 0;
  let nextHead = 0;
  /** Leaves before this index are covered by a completed tile that matched. */
  let verifiedThrough = 0;
  let failure: AuditVerification | undefined;
  const fail = (index: number, reason: string) => {
    failure ??= { ok: false, index, reason };
  };
  const root = () => new Frontier(size, nodes).root();

  await tree.scan(VERIFY_CHUNK, (rows) => {
    for (const r of rows) {
      if (failure) return;
      if (r.leafIndex !== size)
        return fail(size, `leaf ${size} is missing (the next entry in the log is leaf ${r.leafIndex})`);
      let hash = leafHash(r.entry);
      if (!hash.equals(r.leafHash))
        return fail(size, `entry seq ${r.seq} at leaf ${size} does not hash to its stored leaf hash`);
      let level = 0;
      for (let s = size; s % 2 === 1; s = (s - 1) / 2) {
        hash = nodeHash(nodes.pop()!, hash);
        level++;
        if (level % h !== 0 || level > TILE_LEVELS * h) continue;
        const first = size + 1 - 2 ** level;
        const stored = tiles.get(`${level}:${first / 2 ** level}`);
        if (!stored?.equals(hash))
          return fail(
            Math.max(first, verifiedThrough),
            `leaves ${first}..${size} do not hash to the stored subtree root of level ${level}`,
          );
        verifiedThrough = Math.max(verifiedThrough, size + 1);
      }
      nodes.push(hash);
      size++;
      while (nextHead < heads.length && heads[nextHead]!.treeSize === size) {
        const head = heads[nextHead++]!;
        if (!root().equals(head.rootHash))
          return fail(
            verifiedThrough,
            `the first ${size} leaves do not have the root of the head cut at that size (${head.at})`,
          );
      }
      while (nextHead < heads.length && heads[nextHead]!.treeSize < size) nextHead++;
    }
  });
  if (failure) return failure;
  const lastHead = heads[heads.length - 1];
  if (lastHead && lastHead.treeSize > size)
    return {
      ok: false,
      index: size,
      reason: `leaf ${size} is missing: a head was cut at ${lastHead.treeSize} leaves, the log holds ${size}`,
    };
  if (frontier.size > size)
    return {
      ok: false,
      index: size,
      reason: `leaf ${size} is missing: the tree was sequenced to ${frontier.size} leaves, the log holds ${size}`,
    };
  if (frontier.size === size && !new Frontier(frontier.size, frontier.nodes).root().equals(root()))
    return {
      ok: false,
      index: verifiedThrough,
      reason: `the log's ${size} leaves do not have the sequenced root`,
    };
  return { ok: true, size, root: root() };
};
