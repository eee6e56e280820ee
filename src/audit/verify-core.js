// The tree side of verifying the audit log (tree.ts, `verifyTree`): each entry's leaf hash
// recomputed and compared with the stored one, the tree rebuilt from them by the binary counter of
// RFC 6962 appending, each completed tile and each head checked as the tree passes it. It reports
// what failed first, in leaf order, as data; tree.ts words the failure.
//
// Plain JavaScript importing nothing of the project, so that the same code runs in the calling
// thread and on a worker thread (verify-worker.js) without the TypeScript loader.
//
// Hashes are kept as 32-character latin1 strings: `crypto.hash` returns one about three times
// faster than it returns a Buffer (measured in bench/audit.ts), and the hash call is most of the
// cost of verification.
import { hash } from 'node:crypto';

export class TreeCheck {
  /**
   * @param {{ tileHeight: number, tileLevels: number,
   *   tiles: { hashes: Uint8Array, stored: Uint8Array }[],
   *   heads: { treeSize: number, root: string }[] }} init
   */
  constructor(init) {
    this.h = init.tileHeight;
    this.top = init.tileLevels * init.tileHeight;
    // Tile i of level (t + 1)·h: bytes [32i, 32i + 32) of tiles[t].hashes, if tiles[t].stored[i].
    this.tiles = init.tiles.map((t) => ({
      hashes: Buffer.from(t.hashes.buffer, t.hashes.byteOffset, t.hashes.byteLength),
      stored: t.stored,
    }));
    this.heads = init.heads;
    /** Leaves added so far. */
    this.size = 0;
    /** Roots of the perfect subtrees of the leaves so far, largest first. */
    this.nodes = [];
    this.nextHead = 0;
    /** Leaves before this index are covered by a completed tile that matched. */
    this.verifiedThrough = 0;
    this.scratch = Buffer.alloc(65, 0x01);
  }

  /** SHA-256(0x01 ‖ left ‖ right). (`latin1Write`: Buffer's own method behind `write(s, o, n, 'latin1')`, without its argument checks.) */
  node(left, right) {
    this.scratch.latin1Write(left, 1, 32);
    this.scratch.latin1Write(right, 33, 32);
    return hash('sha256', this.scratch, 'latin1');
  }

  root() {
    const n = this.nodes;
    if (n.length === 0) return undefined;
    let r = n[n.length - 1];
    for (let j = n.length - 2; j >= 0; j--) r = this.node(n[j], r);
    return r;
  }

  /**
   * Adds `count` entries as the next leaves (the store's EntryRun: each entry behind a 0x00 byte
   * in `entries`, the stored leaf hashes in `leafHashes`). The first `checked` of them were found
   * to match their stored leaf hashes already (`checkLeaves`) and are not hashed again; entry
   * `checked` starts at byte `offset`. With `failAt`, the entry after these `count` did not match.
   * Returns the first failure, or undefined.
   *
   * @param {number} count
   * @param {Buffer} entries
   * @param {Buffer} leafHashes
   * @param {number} [checked]
   * @param {number} [offset]
   * @param {number} [failAt]
   */
  add(count, entries, leafHashes, checked = 0, offset = 0, failAt = undefined) {
    const stored = leafHashes.toString('latin1');
    const whole = leafHashes.length === 32 * count;
    const { h, top, tiles, heads, nodes } = this;
    let p = offset;
    for (let j = 0; j < count; j++) {
      const size = this.size;
      let hash32;
      if (j < checked) hash32 = stored.slice(32 * j, 32 * j + 32);
      else {
        const q = j + 1 < count ? entries.indexOf(0, p + 1) : entries.length;
        hash32 = hash('sha256', entries.subarray(p, q), 'latin1');
        p = q;
        if (!whole || stored.slice(32 * j, 32 * j + 32) !== hash32) return { kind: 'leaf', index: size, j };
      }
      let level = 0;
      for (let s = size; s % 2 === 1; s = (s - 1) / 2) {
        hash32 = this.node(nodes.pop(), hash32);
        level++;
        if (level % h !== 0 || level > top) continue;
        const first = size + 1 - 2 ** level;
        const tile = tiles[level / h - 1];
        const i = first / 2 ** level;
        if (
          i >= tile.stored.length ||
          tile.stored[i] !== 1 ||
          tile.hashes.latin1Slice(32 * i, 32 * i + 32) !== hash32
        )
          return { kind: 'tile', index: Math.max(first, this.verifiedThrough), first, last: size, level };
        this.verifiedThrough = Math.max(this.verifiedThrough, size + 1);
      }
      nodes.push(hash32);
      this.size = size + 1;
      while (this.nextHead < heads.length && heads[this.nextHead].treeSize === this.size) {
        const head = this.nextHead++;
        if (this.root() !== heads[head].root)
          return { kind: 'head', index: this.verifiedThrough, size: this.size, head };
      }
      while (this.nextHead < heads.length && heads[this.nextHead].treeSize < this.size) this.nextHead++;
    }
    return failAt === undefined ? undefined : { kind: 'leaf', index: this.size, j: failAt };
  }

  /** Where the tree stands: its size and perfect subtree roots, and how far tiles verified it. */
  state() {
    return { size: this.size, nodes: this.nodes, verifiedThrough: this.verifiedThrough };
  }
}

/**
 * Hashes the first `upTo` entries of a run and compares them with their stored leaf hashes (what
 * the reading thread does for a share of each run while the worker builds the tree): the first
 * that does not match (-1 when all do), and the byte offset of the entry after those checked.
 *
 * @param {number} count
 * @param {Buffer} entries
 * @param {Buffer} leafHashes
 * @param {number} upTo
 */
export const checkLeaves = (count, entries, leafHashes, upTo) => {
  if (upTo > 0 && leafHashes.length !== 32 * count) return { bad: 0, offset: 0 };
  const stored = leafHashes.toString('latin1', 0, 32 * upTo);
  let p = 0;
  for (let j = 0; j < upTo; j++) {
    const q = j + 1 < count ? entries.indexOf(0, p + 1) : entries.length;
    if (hash('sha256', entries.subarray(p, q), 'latin1') !== stored.slice(32 * j, 32 * j + 32))
      return { bad: j, offset: p };
    p = q;
  }
  return { bad: -1, offset: p };
};
