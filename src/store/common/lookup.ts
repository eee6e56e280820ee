/**
 * The public lookup for both backends (see ../lookup.ts and migration 0019 in ../migrations/lookup.ts
 * for the index and why it differs per backend).
 *
 * A search runs in tiers, each already in result order: the exact code; then names starting with
 * the text, a range scan of the folded-name index; then names containing it. For the last tier the
 * name index of each backend first says how many names can match: up to CANDIDATES, they are read
 * from it and sorted; beyond, so many names match that walking the folded-name index in order and
 * keeping those that contain the text reaches `limit` of them sooner than sorting them all would
 * (at least CANDIDATES of the organizations match, so about one in every organizations/CANDIDATES
 * names walked is kept). Every tier ends on the same containment test in SQL, so both backends
 * return the same rows.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { ListedRow, LookupStore, NameSearch, SearchHitRow } from '../lookup.ts';
import { foldedNameSql } from '../migrations/lookup.ts';
import type { Database } from '../schema.ts';
import type { Backend } from '../types.ts';

/** Beyond this many candidates a query walks names in order instead of sorting its candidates. */
export const CANDIDATES = 2000;
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
  const startsWith = (text: string) => sql`${folded()} >= ${text} and ${folded()} < ${text + LAST_CHAR}`;
  const contains = (text: string) =>
    pg() ? sql`strpos(${folded()}, ${text}) > 0` : sql`instr(${folded()}, ${text}) > 0`;
  const columns = sql`s.id, s.kind, s.identifier, s.name`;

  /**
   * Where the names containing `text` may be, from the backend's name index: a condition on `s`
   * and an upper bound of how many there are (exact on PostgreSQL and for three characters or more
   * on SQLite, counted up to CANDIDATES + 1; the vocabulary's document counts otherwise).
   */
  const candidates = async (text: string): Promise<{ where: RawBuilder<unknown>; count: number } | null> => {
    const chars = Array.from(text);
    if (pg()) {
      const grams = chars.length === 1 ? chars : [...new Set(chars.slice(1).map((c, i) => chars[i]! + c))];
      const where = sql`credence_name_grams(s.name) @> ${grams}::text[]`;
      const r = await sql<{ n: number | string }>`select count(*) as n from (
          select 1 from subjects s where s.kind <> 'person' and ${where} and ${contains(text)}
          limit ${CANDIDATES + 1}) c`.execute(db);
      return { where, count: Number(r.rows[0]!.n) };
    }
    let match: string;
    let count: number;
    if (chars.length >= 3) {
      match = phrase(text);
      const r = await sql<{ n: number }>`select count(*) as n from (
          select rowid from subject_names where subject_names match ${match}
          limit ${CANDIDATES + 1}) c`.execute(db);
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
      if (count > CANDIDATES) return { where: sql`1 = 1`, count };
      match = terms.map((t) => phrase(t.term)).join(' OR ');
    }
    return {
      where: sql`s.id in (select rowid from subject_names where subject_names match ${match})`,
      count,
    };
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
        const c = await candidates(text);
        if (c) {
          const rest = sql`s.kind <> 'person' and ${contains(text)} and not (${startsWith(text)}) and ${notCode}`;
          const found =
            c.count > CANDIDATES
              ? // Walk names in order: dense enough to reach the limit soon.
                await sql<Hit>`select ${columns} from ${orgs()} where ${rest}
                  ${order} limit ${limit - out.length}`.execute(db)
              : await sql<Hit>`select ${columns} from subjects s where ${c.where} and ${rest}
                  ${order} limit ${limit - out.length}`.execute(db);
          for (const h of found.rows) out.push({ ...h, match: 'contains' });
        }
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
