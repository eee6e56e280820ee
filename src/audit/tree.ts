/**
 * The audit log's Merkle tree over the store's rows: sequencing committed entries into it, roots
 * and proofs read from the stored tiles, and verification of the whole log against its heads.
 *
 * A proof is computed by merkle.ts from a synchronous `PerfectSource`; here that source is planned
 * first (the proof's shape depends only on the index and sizes, so a dry run with placeholder
 * hashes lists the perfect subtrees it needs), then each subtree is read from the nearest tile
 * level at or below it — one row, or at most 2^(h−1) rows of the level below — and hashed up.
 */
import { Worker } from 'node:worker_threads';
import {
  type AuditHead,
  type AuditTreeStore,
  auditTileLevels,
  type EntryRun,
  type TileRange,
} from '../store/index.ts';
import {
  consistencyProof,
  EMPTY_ROOT,
  Frontier,
  HASH_BYTES,
  inclusionProof,
  nodeHash,
  type PerfectSource,
  rootOf,
} from './merkle.ts';
import {
  checkLeaves,
  TreeCheck,
  type TreeCheckFailure,
  type TreeCheckInit,
  type TreeCheckState,
} from './verify-core.js';

/**
 * Runs `use` over a source of the tree's perfect subtrees read from the store: a dry run of `use`
 * lists the subtrees it needs, and the rows they are built from are read in one query.
 */
export const withStoredSource = async <T>(
  tree: AuditTreeStore,
  use: (src: PerfectSource) => T,
): Promise<T> => {
  const h = await tree.tileHeight();
  const base = (level: number) => Math.min(Math.floor(level / h), auditTileLevels(h)) * h;
  const placeholder = Buffer.alloc(HASH_BYTES);
  // The rows of each subtree: one at its own level if that is a tile level, else the 2^(ℓ−t) of the
  // tile level t below it (leaves at t = 0); ranges that meet are merged.
  const wanted = new Map<number, [number, number][]>();
  use((level, index) => {
    const t = base(level);
    const span = 2 ** (level - t);
    const ranges = wanted.get(t) ?? wanted.set(t, []).get(t)!;
    ranges.push([index * span, (index + 1) * span]);
    return placeholder;
  });
  const ranges: TileRange[] = [];
  for (const [level, rs] of wanted) {
    rs.sort((a, b) => a[0] - b[0]);
    let [start, end] = rs[0]!;
    for (const [s, e] of rs.slice(1)) {
      if (s > end) {
        ranges.push({ level, start, end });
        start = s;
      }
      end = Math.max(end, e);
    }
    ranges.push({ level, start, end });
  }
  const known = new Map<string, Buffer>();
  for (const r of await tree.subtreeRoots(ranges)) known.set(`${r.level}:${r.index}`, r.hash);
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

/** The audit path of a leaf and the root it leads to, from one read of the tiles they share. */
export const storedInclusionProof = (
  tree: AuditTreeStore,
  index: number,
  size: number,
): Promise<{ path: Buffer[]; root: Buffer }> =>
  withStoredSource(tree, (src) => ({ path: inclusionProof(index, size, src), root: rootOf(size, src) }));

export const storedConsistencyProof = (
  tree: AuditTreeStore,
  first: number,
  second: number,
): Promise<Buffer[]> => withStoredSource(tree, (src) => consistencyProof(first, second, src));

export type AuditVerification =
  | { ok: true; size: number; root: Buffer }
  | { ok: false; index: number; reason: string };

/** Leaves read per run of the store's scan. */
const VERIFY_CHUNK = 10_000;
/**
 * Logs of at least this many leaves are hashed on a worker thread while this one reads the entries
 * from the store (starting the thread costs tens of milliseconds; a smaller log takes less).
 */
const WORKER_MIN_LEAVES = 50_000;
/** Runs handed to the worker and not yet hashed, at most (the reader waits beyond). */
const IN_FLIGHT = 4;

/** Hashes runs of entries into the tree (verify-core.js), here or on a worker thread. */
interface Hasher {
  /** Takes the next run; resolves when the next may be given. */
  add(run: EntryRun): Promise<void>;
  /** Whether a failure is known already. */
  failed(): boolean;
  /** Once every run given is hashed: the first failure and the run it is in, and where the tree stands. */
  finish(): Promise<{ failure?: { f: TreeCheckFailure; run: EntryRun }; state: TreeCheckState }>;
  close(): Promise<void>;
}

const inThisThread = (init: TreeCheckInit): Hasher => {
  const check = new TreeCheck(init);
  let failure: { f: TreeCheckFailure; run: EntryRun } | undefined;
  return {
    async add(run) {
      const f = check.add(run.count, run.entries, run.leafHashes);
      if (f) failure = { f, run };
    },
    failed: () => failure !== undefined,
    finish: async () => ({ ...(failure ? { failure } : {}), state: check.state() }),
    close: async () => {},
  };
};

/** The buffer's memory, when the buffer is all of it (so it can be moved to the worker, not copied). */
const movable = (b: Buffer): ArrayBuffer[] =>
  b.byteOffset === 0 && b.buffer.byteLength === b.length && b.buffer instanceof ArrayBuffer ? [b.buffer] : [];

/**
 * Hashing on a worker thread while this one reads: the worker builds the tree, and this thread
 * also checks the leaf hashes of a share of each run before handing it over, more while the worker
 * falls behind and less while it waits, so that both threads stay busy.
 */
const onWorker = (init: TreeCheckInit): Hasher => {
  // Runs the worker has finished, counted where this thread sees it at once (its messages wait
  // for this thread's event loop, which reading from SQLite does not turn).
  const done = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL('./verify-worker.js', import.meta.url), {
    workerData: { ...init, done },
    // It needs none of this process's flags (a loader's would only slow its start).
    execArgv: [],
  });
  const pending: EntryRun[] = [];
  let posted = 0;
  let share = 0.25;
  let failure: { f: TreeCheckFailure; run: EntryRun } | undefined;
  let error: Error | undefined;
  let wake: (() => void) | undefined;
  let gotState: ((s: TreeCheckState) => void) | undefined;
  const state = new Promise<TreeCheckState>((resolve, reject) => {
    gotState = resolve;
    worker.once('error', (e) => {
      error = e;
      reject(e);
      wake?.();
    });
    worker.once('exit', (code) => {
      error ??= new Error(`the verification thread stopped (exit code ${code})`);
      reject(error);
      wake?.();
    });
  });
  state.catch(() => {});
  worker.on('message', (m: { failure?: TreeCheckFailure; state?: TreeCheckState }) => {
    if (m.state) return gotState?.(m.state);
    const run = pending.shift()!;
    if (m.failure && !failure) failure = { f: m.failure, run };
    wake?.();
  });
  const settled = () => new Promise<void>((r) => (wake = r));
  return {
    async add(run) {
      if (error) throw error;
      const behind = posted - Atomics.load(done, 0);
      if (behind >= 2) share = Math.min(1, share + 0.05);
      else if (behind === 0) share = Math.max(0, share - 0.05);
      const upTo = Math.round(run.count * share);
      const { bad, offset } = checkLeaves(run.count, run.entries, run.leafHashes, upTo);
      pending.push(run);
      posted++;
      worker.postMessage(
        bad >= 0
          ? {
              count: bad,
              checked: bad,
              offset: 0,
              failAt: bad,
              entries: run.entries,
              leafHashes: run.leafHashes,
            }
          : { count: run.count, checked: upTo, offset, entries: run.entries, leafHashes: run.leafHashes },
        [...movable(run.entries), ...movable(run.leafHashes)],
      );
      while (posted - Atomics.load(done, 0) >= IN_FLIGHT && !error && !failure) await settled();
      if (error) throw error;
    },
    failed: () => failure !== undefined,
    async finish() {
      while (pending.length > 0 && !error) await settled();
      if (error) throw error;
      worker.postMessage('end');
      return { ...(failure ? { failure } : {}), state: await state };
    },
    async close() {
      await worker.terminate();
    },
  };
};

/** What the tree check compares with: the stored tiles and heads. */
export const treeCheckInit = async (tree: AuditTreeStore, heads: AuditHead[]): Promise<TreeCheckInit> => {
  const h = await tree.tileHeight();
  const tiles: TreeCheckInit['tiles'] = [];
  for (let t = 1; t <= auditTileLevels(h); t++) tiles.push(await tree.packedTiles(t * h));
  return {
    tileHeight: h,
    tileLevels: auditTileLevels(h),
    tiles,
    heads: heads.map((x) => ({ treeSize: x.treeSize, root: x.rootHash.toString('latin1') })),
  };
};

/**
 * Reads every run of entries from the store and hashes it into the tree: the first failure the
 * hasher found (it lies before any leaf found missing: it had only the leaves before), the first
 * missing leaf, and where the tree stands.
 */
const hashAll = async (
  tree: AuditTreeStore,
  init: TreeCheckInit,
  opts: { worker: boolean; chunk: number },
  exact: boolean,
) => {
  const hasher = opts.worker ? onWorker(init) : inThisThread(init);
  let read = 0;
  let missing: { index: number; next: number } | undefined;
  try {
    await tree.scan(
      opts.chunk,
      async (run) => {
        if (hasher.failed()) return false;
        if (run.start !== read) {
          missing = { index: read, next: run.start };
          return false;
        }
        read += run.count;
        await hasher.add(run);
        return !hasher.failed();
      },
      exact,
    );
    return { ...(await hasher.finish()), missing };
  } finally {
    await hasher.close();
  }
};

/**
 * Recomputes every leaf hash from the canonical entries in leaf order and the tree from them, and
 * checks each against what was stored: the leaf hash of each entry, the root of each completed
 * tile, the root of each head as the tree passes its size, and that no head (nor the frontier)
 * counts more leaves than remain. The first failure names the leaf index it locates.
 *
 * The hashing (verify-core.js) runs on a worker thread for large logs (`worker` decides for any),
 * while this thread reads the next entries from the store; `chunk` is the most leaves read at once.
 */
export const verifyTree = async (
  tree: AuditTreeStore,
  opts: { worker?: boolean; chunk?: number } = {},
): Promise<AuditVerification> => {
  const heads: AuditHead[] = await tree.listHeads();
  const frontier = await tree.frontier();
  const init = await treeCheckInit(tree, heads);

  const how = {
    worker: opts.worker ?? frontier.size >= WORKER_MIN_LEAVES,
    chunk: opts.chunk ?? VERIFY_CHUNK,
  };
  let { failure, missing, state } = await hashAll(tree, init, how, false);
  // Entries the database packed may not match where their values are of a type the write path
  // never stores (see EntryRun.exact): the log is read again as JavaScript reads it, so that what
  // fails is what fails in those values (only a log that fails pays for the second reading).
  if (failure?.f.kind === 'leaf' && !failure.run.exact)
    ({ failure, missing, state } = await hashAll(tree, init, how, true));
  if (failure) {
    const { f, run } = failure;
    const reason =
      f.kind === 'leaf'
        ? `entry seq ${await run.seq(f.j)} at leaf ${f.index} does not hash to its stored leaf hash`
        : f.kind === 'tile'
          ? `leaves ${f.first}..${f.last} do not hash to the stored subtree root of level ${f.level}`
          : `the first ${f.size} leaves do not have the root of the head cut at that size (${heads[f.head]!.at})`;
    return { ok: false, index: f.index, reason };
  }
  if (missing)
    return {
      ok: false,
      index: missing.index,
      reason: `leaf ${missing.index} is missing (the next entry in the log is leaf ${missing.next})`,
    };
  const { size, verifiedThrough } = state;
  const root = new Frontier(
    size,
    state.nodes.map((n) => Buffer.from(n, 'latin1')),
  ).root();
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
  if (frontier.size === size && !new Frontier(frontier.size, frontier.nodes).root().equals(root))
    return {
      ok: false,
      index: verifiedThrough,
      reason: `the log's ${size} leaves do not have the sequenced root`,
    };
  return { ok: true, size, root };
};
