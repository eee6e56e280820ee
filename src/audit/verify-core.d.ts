/** Types of verify-core.js (plain JavaScript, so that a worker thread runs it without a loader). */

export interface TreeCheckInit {
  tileHeight: number;
  tileLevels: number;
  /** Stored tile roots of levels h, 2h, … (the store's PackedTiles; a worker receives Uint8Arrays). */
  tiles: { hashes: Uint8Array; stored: Uint8Array }[];
  /** Stored heads, smallest first, roots as latin1 strings. */
  heads: { treeSize: number; root: string }[];
}

/** The first failure in leaf order; `index` is the leaf it locates. */
export type TreeCheckFailure =
  /** The entry at leaf `index` (the run's j-th) does not hash to its stored leaf hash. */
  | { kind: 'leaf'; index: number; j: number }
  /** Leaves first..last do not hash to the stored tile root of `level`. */
  | { kind: 'tile'; index: number; first: number; last: number; level: number }
  /** The first `size` leaves do not have the root of heads[head]. */
  | { kind: 'head'; index: number; size: number; head: number };

export interface TreeCheckState {
  size: number;
  /** Perfect subtree roots, largest first, as latin1 strings. */
  nodes: string[];
  verifiedThrough: number;
}

export class TreeCheck {
  constructor(init: TreeCheckInit);
  /**
   * Adds the next `count` leaves (a store EntryRun's entries and stored leaf hashes); the first
   * `checked` were found to match by `checkLeaves`, entry `checked` starts at byte `offset`, and
   * with `failAt` the entry after these did not match.
   */
  add(
    count: number,
    entries: Buffer,
    leafHashes: Buffer,
    checked?: number,
    offset?: number,
    failAt?: number,
  ): TreeCheckFailure | undefined;
  state(): TreeCheckState;
}

/** The first of a run's first `upTo` entries not matching its stored leaf hash (-1: none), and the byte offset of entry `upTo`. */
export function checkLeaves(
  count: number,
  entries: Buffer,
  leafHashes: Buffer,
  upTo: number,
): { bad: number; offset: number };
