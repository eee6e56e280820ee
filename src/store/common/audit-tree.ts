/**
 * The audit log's Merkle tree rows for both backends (see ../audit-tree.ts). Entries are put in the
 * tree after they commit, by one sequencer at a time (PostgreSQL: a transaction-scoped advisory
 * lock; SQLite has one writer), in seq order among those waiting: the partial index
 * `audit_unsequenced` holds exactly the entries waiting, so an entry whose transaction commits late
 * still gets the next leaf, never a slot already passed.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import {
  type AuditFrontier,
  type AuditHead,
  type AuditTreeStore,
  auditTileLevels,
  DEFAULT_AUDIT_TILE_HEIGHT,
  type EntryRun,
  type PackedTiles,
} from '../audit-tree.ts';
import type { Database } from '../schema.ts';
import type { Backend } from '../types.ts';

type Db = Kysely<Database> | Transaction<Database>;

const FRONTIER = 'audit_frontier';
const TILE_HEIGHT = 'audit_tile_height';
const DEFAULT_TILE_HEIGHT = DEFAULT_AUDIT_TILE_HEIGHT;
/** The advisory lock key of the sequencer ("audit" in ASCII). */
const SEQUENCER_LOCK = 0x6175646974;
const CHUNK = 500;

const readFrontier = async (db: Db): Promise<AuditFrontier> => {
  const r = await db.selectFrom('meta').select('value').where('key', '=', FRONTIER).executeTakeFirst();
  if (!r) return { size: 0, nodes: [] };
  const f = JSON.parse(r.value) as { size: number; nodes: string[] };
  return { size: f.size, nodes: f.nodes.map((h) => Buffer.from(h, 'hex')) };
};

const readTileHeight = async (db: Db): Promise<number | undefined> => {
  const r = await db.selectFrom('meta').select('value').where('key', '=', TILE_HEIGHT).executeTakeFirst();
  return r ? Number(r.value) : undefined;
};

const setMeta = (db: Db, key: string, value: string) =>
  db
    .insertInto('meta')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();

/** The canonical entry, exactly as `auditLeafHash` serialises it (without the 0x00 prefix). */
const canonical = (r: {
  at: string;
  actor: string;
  role: string;
  purpose: string;
  subject_id: number | string | null;
  action: string;
  detail: string | null;
  request_id: string | null;
}): Buffer =>
  Buffer.from(
    JSON.stringify([
      r.at,
      r.actor,
      r.role,
      r.purpose,
      r.subject_id === null ? null : Number(r.subject_id),
      r.action,
      r.detail,
      r.request_id,
    ]),
    'utf8',
  );

const withContext = (db: Db) =>
  db
    .selectFrom('audit_log')
    .innerJoin('audit_contexts', 'audit_contexts.id', 'audit_log.context_id')
    .select([
      'audit_log.seq',
      'audit_log.leaf_index',
      'audit_log.leaf_hash',
      'audit_log.subject_id',
      'audit_log.action',
      'audit_log.detail',
      'audit_contexts.at',
      'audit_contexts.actor',
      'audit_contexts.role',
      'audit_contexts.purpose',
      'audit_contexts.request_id',
    ]);

/**
 * Entries [from, end) with their contexts, in leaf order. The contexts are bounded by the least and
 * greatest context of those entries (as in packedRun): unbounded, PostgreSQL's planner may hash
 * every context of the log to join a few thousand entries.
 */
const withContextIn = (db: Db, from: number, end: number) => {
  const range = (fn: 'min' | 'max') =>
    db
      .selectFrom('audit_log')
      .select((eb) => eb.fn[fn]('context_id').as('bound'))
      .where('leaf_index', '>=', from)
      .where('leaf_index', '<', end);
  return withContext(db)
    .where('audit_log.leaf_index', '>=', from)
    .where('audit_log.leaf_index', '<', end)
    .where('audit_contexts.id', '>=', range('min'))
    .where('audit_contexts.id', '<=', range('max'))
    .orderBy('audit_log.leaf_index');
};

/**
 * The columns of the canonical entry, in its order (`canonical`), as the packed run's SQL names
 * them (`l`: audit_log, `c`: audit_contexts).
 */
const CANONICAL_COLUMNS = [
  'c.at',
  'c.actor',
  'c.role',
  'c.purpose',
  'l.subject_id',
  'l.action',
  'l.detail',
  'c.request_id',
].map((c) => sql.ref(c));

/**
 * Leaves [from, end) as one run packed by the database itself: each entry's canonical JSON behind a
 * 0x00 byte, and the stored leaf hashes, each concatenated into one blob. Reading each row into
 * JavaScript values and serialising them there costs about twice as much as the hashing that
 * follows on SQLite, and several times as much on PostgreSQL.
 *
 * SQLite builds the JSON with `json_array`; PostgreSQL joins `to_json` of each value with commas
 * (its own arrays put a space after each comma). Both quote text byte for byte as JSON.stringify
 * does (the store tests check every code point) and write integers alike, so the bytes are the
 * canonical entry for every row of the types the write path stores; a value of another type (a real
 * number, text in the subject column, an integer beyond 2^53, invalid UTF-8) they render their own
 * way, and such an entry does not match its leaf hash until read `exact`. Undefined when the leaves
 * are not consecutive or the database cannot build the blob (SQLite: a blob where text belongs, or
 * more than its length limit). The rendering must stay one-to-one, not merely alike for the usual
 * values: text quoted more loosely than by `to_json` could render a changed value as the original's
 * bytes, and that entry would pass.
 */
const packedRun = async (
  db: Db,
  backend: Backend,
  from: number,
  end: number,
): Promise<Omit<EntryRun, 'seq'> | undefined> => {
  type Row = {
    n: number | string;
    lo: number | string | null;
    hi: number | string | null;
    entries: Buffer | null;
    hashes: Buffer | null;
  };
  let r: Row | undefined;
  try {
    r = (
      backend === 'sqlite'
        ? // group_concat joins the rows in the order the ordered subquery gives them: SQLite never
          // flattens an ordered subquery into an aggregate over it, so as to keep that order (the
          // query flattener's rule 16, made for group_concat).
          // The 0x00 bytes are its separator (and one before the first entry): a 0x00 put before
          // each entry in the row costs a copy of every entry more, about a tenth of the read.
          await sql<Row>`
          select count(*) as n, min(i) as lo, max(i) as hi,
            cast(char(0) || group_concat(canon, char(0)) as blob) as entries,
            cast(group_concat(h, '') as blob) as hashes
          from (
            select l.leaf_index as i, l.leaf_hash as h, json_array(${sql.join(CANONICAL_COLUMNS)}) as canon
            from audit_log l join audit_contexts c on c.id = l.context_id
            where l.leaf_index >= ${from} and l.leaf_index < ${end}
            order by l.leaf_index)`.execute(db)
        : // convert_to, not a cast: text::bytea would read backslashes as escapes. The contexts
          // are bounded by the chunk's least and greatest context: an action's entries are
          // written together, so its contexts are about one index range; unbounded, the planner
          // hashes every context of the log for each chunk, a cost growing with the log.
          await sql<Row>`
          with l as (
            select leaf_index, leaf_hash, context_id, subject_id, action, detail from audit_log
            where leaf_index >= ${from} and leaf_index < ${end})
          select count(*) as n, min(l.leaf_index) as lo, max(l.leaf_index) as hi,
            '\\x00'::bytea || string_agg(convert_to('[' || ${sql.join(
              CANONICAL_COLUMNS.map((c) => sql`coalesce(to_json(${c})::text, 'null')`),
              sql` || ',' || `,
            )} || ']', 'UTF8'), '\\x00'::bytea order by l.leaf_index) as entries,
            string_agg(l.leaf_hash, ''::bytea order by l.leaf_index) as hashes
          from l join audit_contexts c on c.id = l.context_id
            and c.id >= (select min(context_id) from l) and c.id <= (select max(context_id) from l)`.execute(
            db,
          )
    ).rows[0];
  } catch {
    return undefined;
  }
  const n = Number(r?.n ?? 0);
  if (!r?.entries || !r.hashes || Number(r.hi) - Number(r.lo) + 1 !== n) return undefined;
  return { start: Number(r.lo), count: n, entries: r.entries, leafHashes: r.hashes, exact: false };
};

const ZERO = Buffer.of(0);

/** Leaves [from, end) packed from the rows JavaScript reads: runs that a missing leaf ends. */
const rowRuns = async (
  db: Db,
  from: number,
  end: number,
  seqAt: (start: number) => (j: number) => Promise<number>,
): Promise<EntryRun[]> => {
  const rows = await withContextIn(db, from, end).execute();
  const runs: EntryRun[] = [];
  let entries: Buffer[] = [];
  let hashes: Buffer[] = [];
  let start = 0;
  const close = () => {
    if (hashes.length > 0)
      runs.push({
        start,
        count: hashes.length,
        entries: Buffer.concat(entries),
        leafHashes: Buffer.concat(hashes),
        exact: true,
        seq: seqAt(start),
      });
    entries = [];
    hashes = [];
  };
  for (const r of rows) {
    const index = Number(r.leaf_index);
    const hash = Buffer.from(r.leaf_hash);
    // A missing leaf ends a run; so does a stored leaf hash of another length, kept in a run of its own.
    if (index !== start + hashes.length || hash.length !== 32) close();
    if (hashes.length === 0) start = index;
    entries.push(ZERO, canonical(r));
    hashes.push(hash);
    if (hash.length !== 32) close();
  }
  close();
  return runs;
};

const tileRows = async (db: Db, level: number, start: number, end: number) => {
  const rows = await db
    .selectFrom('audit_tiles')
    .select(['idx', 'hash'])
    .where('level', '=', level)
    .where('idx', '>=', start)
    .where('idx', '<', end)
    .orderBy('idx')
    .execute();
  return rows.map((r) => ({ index: Number(r.idx), hash: Buffer.from(r.hash) }));
};

/**
 * A tile level's roots concatenated in index order by the database (SQLite's group_concat keeps
 * the order of an ordered subquery, see packedRun), when every index from 0 has a row of 32 bytes;
 * otherwise (or when SQLite cannot build the blob) undefined.
 */
const packedTileLevel = async (db: Db, backend: Backend, level: number): Promise<PackedTiles | undefined> => {
  type Row = {
    n: number | string;
    lo: number | string | null;
    hi: number | string | null;
    hashes: Buffer | null;
  };
  let r: Row | undefined;
  try {
    r = (
      backend === 'sqlite'
        ? await sql<Row>`select count(*) as n, min(i) as lo, max(i) as hi,
            cast(group_concat(h, '') as blob) as hashes
          from (select idx as i, hash as h from audit_tiles where level = ${level} order by idx)`.execute(db)
        : await sql<Row>`select count(*) as n, min(idx) as lo, max(idx) as hi,
            string_agg(hash, ''::bytea order by idx) as hashes
          from audit_tiles where level = ${level}`.execute(db)
    ).rows[0];
  } catch {
    return undefined;
  }
  const n = Number(r?.n ?? 0);
  if (n === 0) return { hashes: Buffer.alloc(0), stored: new Uint8Array(0) };
  if (!r?.hashes || Number(r.lo) !== 0 || Number(r.hi) !== n - 1 || r.hashes.length !== 32 * n)
    return undefined;
  return { hashes: Buffer.from(r.hashes), stored: new Uint8Array(n).fill(1) };
};

const headOf = (r: {
  tree_size: number | string;
  root_hash: Uint8Array;
  at: string;
  note: string | null;
  checkpoint: string | null;
}) => ({
  treeSize: Number(r.tree_size),
  rootHash: Buffer.from(r.root_hash),
  at: r.at,
  note: r.note,
  checkpoint: r.checkpoint,
});

export const auditTreeStore = (db: Kysely<Database>, backend: () => Backend): AuditTreeStore => ({
  sequence(limit, node, tileHeight = DEFAULT_TILE_HEIGHT) {
    return db.transaction().execute(async (tx) => {
      if (backend() === 'postgres') await sql`select pg_advisory_xact_lock(${SEQUENCER_LOCK})`.execute(tx);
      const h = (await readTileHeight(tx)) ?? tileHeight;
      const { size: start, nodes } = await readFrontier(tx);
      const waiting = await tx
        .selectFrom('audit_log')
        .select(['seq', 'leaf_hash'])
        .where('leaf_index', 'is', null)
        .orderBy('seq')
        .limit(limit)
        .execute();
      if (waiting.length === 0) return { size: start, nodes, added: 0 };
      const tiles: { level: number; idx: number; hash: Buffer }[] = [];
      let size = start;
      for (const w of waiting) {
        // The binary counter of RFC 6962 appending: each trailing one bit of the size merges the
        // new subtree with the one before it; the merged roots at tile levels are kept.
        let hash: Buffer = Buffer.from(w.leaf_hash);
        let level = 0;
        for (let s = size; s % 2 === 1; s = (s - 1) / 2) {
          hash = node(nodes.pop()!, hash);
          level++;
          if (level % h === 0 && level <= auditTileLevels(h) * h)
            tiles.push({ level, idx: (size + 1) / 2 ** level - 1, hash });
        }
        nodes.push(hash);
        size++;
      }
      // Waiting entries with consecutive sequence numbers get consecutive leaves: one range update
      // per run, through the primary key (an UPDATE … FROM (VALUES …) scans the whole log on SQLite).
      for (let i = 0; i < waiting.length; ) {
        let j = i;
        while (j + 1 < waiting.length && Number(waiting[j + 1]!.seq) === Number(waiting[j]!.seq) + 1) j++;
        const first = Number(waiting[i]!.seq);
        await sql`update audit_log set leaf_index = seq + ${start + i - first}
          where seq >= ${first} and seq <= ${Number(waiting[j]!.seq)} and leaf_index is null`.execute(tx);
        i = j + 1;
      }
      for (let i = 0; i < tiles.length; i += CHUNK)
        await tx
          .insertInto('audit_tiles')
          .values(tiles.slice(i, i + CHUNK))
          .execute();
      await setMeta(tx, FRONTIER, JSON.stringify({ size, nodes: nodes.map((n) => n.toString('hex')) }));
      await setMeta(tx, TILE_HEIGHT, String(h));
      return { size, nodes, added: waiting.length };
    });
  },

  frontier: () => readFrontier(db),

  async tileHeight() {
    return (await readTileHeight(db)) ?? DEFAULT_TILE_HEIGHT;
  },

  async leafHashes(start, end) {
    const rows = await db
      .selectFrom('audit_log')
      .select(['leaf_index', 'leaf_hash'])
      .where('leaf_index', '>=', start)
      .where('leaf_index', '<', end)
      .orderBy('leaf_index')
      .execute();
    // Up to the first leaf missing (a deleted entry), so that each hash is at its own position.
    const out: Buffer[] = [];
    for (const r of rows) {
      if (Number(r.leaf_index) !== start + out.length) break;
      out.push(Buffer.from(r.leaf_hash));
    }
    return out;
  },

  tiles: (level, start, end) => tileRows(db, level, start, end),

  async packedTiles(level) {
    const packed = await packedTileLevel(db, backend(), level);
    if (packed) return packed;
    // A row missing or not 32 bytes long: the level is read row by row.
    const rows = await tileRows(db, level, 0, Number.MAX_SAFE_INTEGER);
    const size = rows.length === 0 ? 0 : rows[rows.length - 1]!.index + 1;
    const hashes = Buffer.alloc(32 * size);
    const stored = new Uint8Array(size);
    for (const t of rows)
      if (t.hash.length === 32) {
        t.hash.copy(hashes, 32 * t.index);
        stored[t.index] = 1;
      }
    return { hashes, stored };
  },

  async subtreeRoots(ranges) {
    if (ranges.length === 0) return [];
    // One index range scan per branch (the leaves' unique index, the tiles' primary key), on both
    // backends: an OR of ranges or a join with a VALUES list leaves the plan to the planner.
    const branches = ranges.map((r) =>
      r.level === 0
        ? sql`select 0 as level, leaf_index as idx, leaf_hash as hash from audit_log
            where leaf_index >= ${r.start} and leaf_index < ${r.end}`
        : sql`select level, idx, hash from audit_tiles
            where level = ${r.level} and idx >= ${r.start} and idx < ${r.end}`,
    );
    const { rows } = await sql<{ level: number; idx: number | string; hash: Uint8Array }>`${sql.join(
      branches,
      sql` union all `,
    )}`.execute(db);
    return rows.map((r) => ({ level: Number(r.level), index: Number(r.idx), hash: Buffer.from(r.hash) }));
  },

  async entries(start, end) {
    return (await withContextIn(db, start, end).execute()).map(canonical);
  },

  async scan(chunk, onRun, exact = false) {
    const seqAt = (start: number) => async (j: number) =>
      Number(
        (
          await db
            .selectFrom('audit_log')
            .select('seq')
            .where('leaf_index', '=', start + j)
            .executeTakeFirstOrThrow()
        ).seq,
      );
    let from = 0;
    for (;;) {
      const end = from + chunk;
      const packed = exact ? undefined : await packedRun(db, backend(), from, end);
      const runs = packed ? [{ ...packed, seq: seqAt(packed.start) }] : await rowRuns(db, from, end, seqAt);
      if (runs.length === 0) {
        // Nothing in [from, end): go on from the next leaf there is, if any.
        const next = await db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.min('leaf_index').as('next'))
          .where('leaf_index', '>=', end)
          .executeTakeFirst();
        if (next?.next === null || next?.next === undefined) return;
        from = Number(next.next);
        continue;
      }
      for (const run of runs) if ((await onRun(run)) === false) return;
      from = end;
    }
  },

  async latestHead() {
    const r = await db
      .selectFrom('audit_heads')
      .selectAll()
      .orderBy('tree_size', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r ? headOf(r) : undefined;
  },

  async listHeads() {
    return (await db.selectFrom('audit_heads').selectAll().orderBy('tree_size').execute()).map(headOf);
  },

  async saveHead(head: AuditHead) {
    const r = await db
      .insertInto('audit_heads')
      .values({
        tree_size: head.treeSize,
        root_hash: head.rootHash,
        at: head.at,
        note: head.note,
        checkpoint: head.checkpoint,
      })
      .onConflict((oc) => oc.column('tree_size').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  },
});
