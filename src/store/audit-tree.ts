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

/** One sequenced entry as the log keeps it, for verification. */
export interface SequencedEntry {
  leafIndex: number;
  seq: number;
  /** The stored leaf hash. */
  leafHash: Buffer;
  /** The canonical entry rebuilt from the row and its context (what the leaf hash commits to). */
  entry: Buffer;
}

export interface AuditTreeStore {
  /**
   * Gives the next leaf indices to up to `limit` entries not yet in the tree, in seq order, appends
   * their leaf hashes to the frontier and stores the roots of the perfect subtrees they complete at
   * the tile levels (h, 2h, 3h; h = `tileHeight`, fixed by the first call on a database): all in one
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
  /** The canonical bytes of leaves [start, end), in leaf order. */
  entries(start: number, end: number): Promise<Buffer[]>;
  /** Every sequenced entry in leaf order, `chunk` at a time. */
  scan(chunk: number, onChunk: (rows: SequencedEntry[]) => void): Promise<void>;
  latestHead(): Promise<AuditHead | undefined>;
  /** Every head cut, smallest first. */
  listHeads(): Promise<AuditHead[]>;
  /** Keeps a head; a second head of the same size is ignored (false). */
  saveHead(head: AuditHead): Promise<boolean>;
}
