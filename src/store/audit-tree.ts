/**
 * The store's side of the audit log's Merkle tree (implemented for both backends in
 * common/audit-tree.ts), reached as `store.auditTree`. The store keeps rows — leaf indices, tiles of
 * perfect-subtree hashes, the frontier, tree heads — and knows no tree rule beyond the binary
 * counter of appending: the node hash is passed in by the audit capability (the store never imports
 * a capability), which computes roots and proofs from these rows.
 */

/** SHA-256(0x01 ‖ left ‖ right), as the audit capability defines it. */
export type NodeHash = (left: Uint8Array, right: Uint8Array) => Buffer;

/** The right edge of the tree: its size and the roots of its perfect subtrees, largest first. */
export interface AuditFrontier {
  size: number;
  nodes: Buffer[];
}

export interface AuditHead {
  treeSize: number;
  rootHash: Buffer;
  at: string;
  note: string | null;
  /** The signed note (C2SP checkpoint) over size, root and timestamp; null for an unsigned head. */
  checkpoint: string | null;
}

/**
 * Sequenced entries at consecutive leaves, as verification reads them: packed, so that a run of
 * thousands of entries is two buffers rather than thousands of objects.
 */
export interface EntryRun {
  /** The leaf index of the first entry; the others follow it, one leaf each. */
  start: number;
  count: number;
  /**
   * The canonical entries rebuilt from the rows and their contexts (what the leaf hashes commit
   * to), each behind one 0x00 byte: 0x00 ‖ e₀ ‖ 0x00 ‖ e₁ ‖ … Canonical JSON never holds a 0x00
   * byte, so the bytes from one 0x00 to the next are exactly what an entry's leaf hash hashes.
   */
  entries: Buffer;
  /**
   * The stored leaf hashes, 32 bytes each. A run holding an entry whose stored leaf hash is not
   * 32 bytes holds that entry alone, with the bytes stored.
   */
  leafHashes: Buffer;
  /**
   * Whether `entries` were built from the row values as JavaScript reads them, as `entries()`
   * builds them. Otherwise the database built them (faster), alike for every value of the types
   * the write path stores but in its own way for others (a real number in the subject column, an
   * integer beyond 2^53, invalid UTF-8): an entry that does not match its leaf hash there is
   * checked again, `exact`.
   */
  exact: boolean;
  /** The audit sequence number of the run's j-th entry (to name a broken one). */
  seq(j: number): Promise<number>;
}

/**
 * Every stored root of one tile level, packed (as verification reads them: hundreds of thousands of
 * rows as two buffers rather than as objects): tile i is bytes [32i, 32i + 32) of `hashes` when
 * `stored[i]` is 1, and has no row of 32 bytes when it is 0.
 */
export interface PackedTiles {
  hashes: Buffer;
  stored: Uint8Array;
}

/** Indices [start, end) of one level of stored hashes: 0 (the leaves) or a tile level. */
export interface TileRange {
  level: number;
  start: number;
  end: number;
}

export interface AuditTreeStore {
  /**
   * Gives the next leaf indices to up to `limit` entries not yet in the tree, in seq order, appends
   * their leaf hashes to the frontier and stores the roots of the perfect subtrees they complete at
   * the tile levels (h, 2h, … up to 32; h = `tileHeight`, fixed by the first call on a database): all in one
   * transaction, one sequencer at a time. Returns the frontier afterwards and how many were added.
   */
  sequence(limit: number, node: NodeHash, tileHeight?: number): Promise<AuditFrontier & { added: number }>;
  /** The frontier as last sequenced. */
  frontier(): Promise<AuditFrontier>;
  /** The tile height of this log (8 until the first sequencing fixes it). */
  tileHeight(): Promise<number>;
  /** Stored leaf hashes of leaves [start, end), in leaf order, up to the first one missing. */
  leafHashes(start: number, end: number): Promise<Buffer[]>;
  /** Stored roots of perfect subtrees at a tile level, indices [start, end), in order. */
  tiles(level: number, start: number, end: number): Promise<{ index: number; hash: Buffer }[]>;
  /** Every stored root of a tile level, packed. */
  packedTiles(level: number): Promise<PackedTiles>;
  /**
   * The stored hashes in several ranges at once, in one query (a proof's, planned ahead): for each
   * range, indices [start, end) of its level — leaf hashes at level 0, tile roots at a tile level.
   * Rows are in no particular order; a missing one is absent.
   */
  subtreeRoots(ranges: readonly TileRange[]): Promise<{ level: number; index: number; hash: Buffer }[]>;
  /** The canonical bytes of leaves [start, end), in leaf order. */
  entries(start: number, end: number): Promise<Buffer[]>;
  /**
   * Every sequenced entry in leaf order, in runs of up to `chunk` leaves; a missing leaf ends a run.
   * Each run is passed to `onRun` and awaited; the scan stops when it returns false. `exact`: every
   * run built from the values as JavaScript reads them (see `EntryRun.exact`).
   */
  scan(
    chunk: number,
    onRun: (run: EntryRun) => boolean | undefined | Promise<boolean | undefined>,
    exact?: boolean,
  ): Promise<void>;
  latestHead(): Promise<AuditHead | undefined>;
  /** Every head cut, smallest first. */
  listHeads(): Promise<AuditHead[]>;
  /** Keeps a head; a second head of the same size is ignored (false). */
  saveHead(head: AuditHead): Promise<boolean>;
}

/**
 * Tile levels: the roots of perfect subtrees are kept at levels h, 2h, … up to 32, so a subtree
 * between two kept levels is rebuilt from at most 2^(h−1) rows of the level below. New logs use
 * h = 4 (at most 8 rows; about one row per 15 leaves in all); a log keeps the height it began with.
 */
export const DEFAULT_AUDIT_TILE_HEIGHT = 4;
export const auditTileLevels = (h: number): number => Math.floor(32 / h);
