/**
 * The public lookup for both backends (see ../lookup.ts and migration 0019 in ../migrations/lookup.ts
 * for the index and why it differs per backend).
 *
 * A search runs in tiers, each in result order: the exact code; then names starting with the text,
 * a range scan of the folded-name index; then names containing it, found in up to three steps:
 *
 * 1. the first names in order (`lookupTuning.scanFirst` of them) are read and those containing the
 *    text kept: a text that many names contain ("有限公司", "科技") reaches the limit there, sooner
 *    than its thousands of candidates could be sorted;
 * 2. otherwise the backend's name index says how many names may contain it: up to
 *    `lookupTuning.candidates`, they are read from it and sorted;
 * 3. beyond, the text is frequent but its names come late in the order ("锦江" in names that start
 *    with "成都"): every name is walked in order until the limit (on 120,000 organizations, about
 *    25 ms at worst).
 *
 * Every step ends on the same containment test in SQL, so both backends return the same rows.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { ListedRow, LookupStore, NameSearch, SearchHitRow } from '../lookup.ts';
import { foldedNameSql } from '../migrations/lookup.ts';
import type { Database } from '../schema.ts';
import type { Backend } from '../types.ts';

/**
 * How the names containing a query are found (changed only by tests, to take every path on a small
 * store): the first `scanFirst` names in order are read first (about 1 ms for 5,000 on a
 * 1,000,000-subject store); then, up to `candidates` names the name index proposes are sorted;
 * beyond, every name is walked in order.
 */
export const lookupTuning = { scanFirst: 5000, candidates: 2000 };
/** Pairs of characters a PostgreSQL search looks up in the index at most. */
const MAX_GRAMS = 4;
/** Ids per `in (...)` list. */
const CHUNK = 500;
/** Sorts after every character of a name: the end of a prefix range. */
const LAST_CHAR = '\u{10FFFF}';

/** ASCII letters to lower case, nothing else: what the index does to names (SQLite's lower(), PostgreSQL's translate). */
export const foldAscii = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/** A string as one FTS5 phrase. */
const phrase = (s: string) => `"${s.replaceAll('"', '""')}"`;

type Hit = { id: number | string; kind: string; identifier: string; name: string };

export const lookupStore = (db: Kysely<Database>, backend: () => Backend): LookupStore => {
  const pg = () => backend() === 'postgres';
  /** The folded name of subject `s`, as the index holds it (in byte order). */
  const folded = () =>
    sql.raw(pg() ? `(${foldedNameSql('postgres', 's.name')} collate "C")` : 'lower(s.name)');
  const byIdentifier = () => sql.raw(pg() ? 's.identifier collate "C"' : 's.identifier');
  /** Organizations and public bodies through the folded-name index (SQLite is told to use it). */
  const orgs = () => sql.raw(pg() ? 'subjects s' : 'subjects s indexed by subjects_org_folded_name');
  const startsWith = (text: string, f: RawBuilder<unknown> = folded()) =>
    sql`${f} >= ${text} and ${f} < ${text + LAST_CHAR}`;
  const contains = (text: string, f: RawBuilder<unknown> = folded()) =>
    pg() ? sql`strpos(${f}, ${text}) > 0` : sql`instr(${f}, ${text}) > 0`;
  const columns = sql`s.id, s.kind, s.identifier, s.name`;

  /**
   * Where the names containing `text` may be, from the backend's name index: a condition on `s`
   * and an upper bound of how many there are (exact on PostgreSQL and for three characters or more
   * on SQLite, counted up to `lookupTuning.candidates` + 1; the vocabulary's document counts
   * otherwise); null when none can.
   */
  const candidates = async (text: string): Promise<{ where: RawBuilder<unknown>; count: number } | null> => {
    const chars = Array.from(text);
    if (pg()) {
      // One character, or pairs: at most MAX_GRAMS of them, spread over the text (a superset of
      // the names that contain it, as any of its pairs gives, and a cheaper intersection).
      const pairs = [...new Set(chars.slice(1).map((c, i) => chars[i]! + c))];
      const grams =
        chars.length === 1
          ? chars
          : pairs.length <= MAX_GRAMS
            ? pairs
            : Array.from(
                { length: MAX_GRAMS },
                (_, k) => pairs[Math.round((k * (pairs.length - 1)) / (MAX_GRAMS - 1))]!,
              );
      const where = sql`credence_name_grams(s.name) @> ${grams}::text[]`;
      const r = await sql<{ n: number | string }>`select count(*) as n from (
          select 1 from subjects s where s.kind <> 'person' and ${where} and ${contains(text)}
          limit ${lookupTuning.candidates + 1}) c`.execute(db);
      return { where, count: Number(r.rows[0]!.n) };
    }
    let match: string;
    let count: number;
    if (chars.length >= 3) {
      match = phrase(text);
      const r = await sql<{ n: number }>`select count(*) as n from (
          select rowid from subject_names where subject_names match ${match}
          limit ${lookupTuning.candidates + 1}) c`.execute(db);
      count = Number(r.rows[0]!.n);
    } else {
      // Names are indexed with two padding characters after them, so each of their characters
      // begins a trigram: a name contains `text` when one of its trigrams begins with it.
      const terms = (
        await sql<{ term: string; doc: number }>`select term, doc from subject_names_vocab
            where term >= ${text} and term < ${text + LAST_CHAR}`.execute(db)
      ).rows;
      if (terms.length === 0) return null;
      count = terms.reduce((n, t) => n + Number(t.doc), 0);
      if (count > lookupTuning.candidates) return { where: sql`1 = 1`, count };
      match = terms.map((t) => phrase(t.term)).join(' OR ');
    }
    return {
      where: sql`s.id in (select rowid from subject_names where subject_names match ${match})`,
      count,
    };
  };

  /**
   * Whether there are more than `n` organizations and public bodies (a first scan of `n` did not
   * see them all). Once true it stays true (subjects are never deleted), so it is asked again only
   * while it is false.
   */
  let many = false;
  const hasMoreThan = async (n: number) => {
    if (many && n === lookupTuning.scanFirst) return true;
    const more =
      // In index order: a plain scan of subjects would read the persons before the organizations.
      (
        await sql`select 1 from (select s.id from ${orgs()} where s.kind <> 'person'
            order by ${folded()}, ${byIdentifier()} limit ${n + 1}) c`.execute(db)
      ).rows.length > n;
    if (n === lookupTuning.scanFirst) many = more;
    return more;
  };

  const enrich = async (
    rows: (Hit & { match: SearchHitRow['match'] })[],
    q: NameSearch,
  ): Promise<SearchHitRow[]> => {
    if (rows.length === 0) return [];
    const lists = q.listCodes.length > 0 ? sql.join([...q.listCodes]) : sql`null`;
    const extra = await sql<{ id: number | string; grade: string | null; lists: number | string }>`
      select s.id,
        (select sc.grade from scores sc where sc.subject_id = s.id
          order by sc.as_of desc, sc.computed_at desc limit 1) as grade,
        (select count(*) from list_entries le where le.subject_id = s.id and le.list_code in (${lists})
          and le.status in ('active', 'pending') and le.from_date <= ${q.today}
          and (le.until_date is null or le.until_date > ${q.today})) as lists
      from subjects s where s.id in (${sql.join(rows.map((r) => Number(r.id)))})`.execute(db);
    const byId = new Map(extra.rows.map((r) => [Number(r.id), r]));
    return rows.map((r) => {
      const e = byId.get(Number(r.id));
      return {
        subjectId: Number(r.id),
        kind: r.kind as SearchHitRow['kind'],
        identifier: r.identifier,
        name: r.name,
        match: r.match,
        grade: e?.grade ?? null,
        listsInForce: Number(e?.lists ?? 0),
      };
    });
  };

  return {
    async searchNames(q) {
      const text = foldAscii(q.text);
      const limit = Math.max(1, Math.trunc(q.limit));
      const out: (Hit & { match: SearchHitRow['match'] })[] = [];
      if (q.code !== null) {
        const r = await sql<Hit>`select ${columns} from subjects s
            where s.identifier = ${q.code} and s.kind <> 'person'`.execute(db);
        for (const h of r.rows) out.push({ ...h, match: 'code' });
      }
      const notCode = out.length > 0 ? sql`s.id <> ${Number(out[0]!.id)}` : sql`1 = 1`;
      const order = sql`order by ${folded()}, ${byIdentifier()}`;
      if (text.length > 0 && out.length < limit) {
        const prefix = await sql<Hit>`select ${columns} from ${orgs()}
            where s.kind <> 'person' and ${startsWith(text)} and ${notCode}
            ${order} limit ${limit - out.length}`.execute(db);
        for (const h of prefix.rows) out.push({ ...h, match: 'prefix' });
      }
      if (text.length > 0 && out.length < limit) {
        const need = limit - out.length;
        const rest = sql`s.kind <> 'person' and ${contains(text)} and not (${startsWith(text)}) and ${notCode}`;
        // 1. The first names in order: a query that many names contain finds its results there.
        // (The folded names are read from the index; only the names kept are read from the table.)
        const f = sql.raw('b.f');
        const first = await sql<Hit>`select ${columns} from (
            select s.id, ${folded()} as f from ${orgs()} where s.kind <> 'person' ${order}
            limit ${lookupTuning.scanFirst}) b
          join subjects s on s.id = b.id
          where ${contains(text, f)} and not (${startsWith(text, f)}) and ${notCode}
          order by b.f, ${byIdentifier()} limit ${need}`.execute(db);
        let found = first.rows;
        if (found.length < need && (await hasMoreThan(lookupTuning.scanFirst))) {
          // 2. A rarer one: its candidates from the name index, sorted; 3. else walk every name in order.
          const c = await candidates(text);
          found = !c
            ? []
            : c.count <= lookupTuning.candidates
              ? (
                  await sql<Hit>`select ${columns} from subjects s where ${c.where} and ${rest}
                      ${order} limit ${need}`.execute(db)
                ).rows
              : (
                  await sql<Hit>`select ${columns} from ${orgs()} where ${rest} ${order} limit ${need}`.execute(
                    db,
                  )
                ).rows;
        }
        for (const h of found) out.push({ ...h, match: 'contains' });
      }
      return enrich(out, q);
    },

    async listEntriesInForce(q) {
      const r = await sql<{
        subject_id: number | string;
        kind: string;
        identifier: string;
        name: string;
        from_date: string;
        until_date: string | null;
        reason_code: string;
        entry: string;
        reason_records: string;
      }>`select le.subject_id, s.kind, s.identifier, s.name, le.from_date, le.until_date,
            le.reason_code, le.entry, le.reason_records
          from list_entries le join subjects s on s.id = le.subject_id
          where le.list_code = ${q.listCode} and le.status in ('active', 'pending')
            and le.from_date <= ${q.today} and (le.until_date is null or le.until_date > ${q.today})
            ${q.withPersons ? sql`` : sql`and s.kind <> 'person'`}
          order by le.from_date desc, le.subject_id desc
          limit ${Math.max(1, Math.trunc(q.limit))} offset ${Math.max(0, Math.trunc(q.offset))}`.execute(db);
      return r.rows.map(
        (x): ListedRow => ({
          subjectId: Number(x.subject_id),
          kind: x.kind as ListedRow['kind'],
          identifier: x.identifier,
          name: x.name,
          from: x.from_date,
          until: x.until_date,
          reasonCode: x.reason_code,
          entry: x.entry,
          firstRecordId: (JSON.parse(x.reason_records) as number[])[0] ?? null,
        }),
      );
    },

    async countEntriesInForce(q) {
      const out = new Map<string, number>(q.listCodes.map((c) => [c, 0]));
      if (q.listCodes.length === 0) return out;
      const persons = q.withPersons.length > 0 ? sql.join([...q.withPersons]) : sql`null`;
      const r = await sql<{ list_code: string; n: number | string }>`
          select le.list_code, count(*) as n
          from list_entries le join subjects s on s.id = le.subject_id
          where le.list_code in (${sql.join([...q.listCodes])}) and le.status in ('active', 'pending')
            and le.from_date <= ${q.today} and (le.until_date is null or le.until_date > ${q.today})
            and (s.kind <> 'person' or le.list_code in (${persons}))
          group by le.list_code`.execute(db);
      for (const x of r.rows) out.set(x.list_code, Number(x.n));
      return out;
    },

    async recordAuthorities(recordIds) {
      const out = new Map<number, string>();
      for (let i = 0; i < recordIds.length; i += CHUNK) {
        const rows = await db
          .selectFrom('records')
          .innerJoin('sources', 'sources.id', 'records.source_id')
          .select(['records.id', 'sources.name'])
          .where('records.id', 'in', recordIds.slice(i, i + CHUNK) as number[])
          .execute();
        for (const r of rows) out.set(Number(r.id), r.name);
      }
      return out;
    },
  };
};
