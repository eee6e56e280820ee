/**
 * Migration 0019: the public lookup's name index (issue 18). Only organizations and public bodies
 * are indexed (persons are never searchable by the public), so the person-heavy ingestion pays one
 * predicate per insert and nothing more.
 *
 * What a search matches, on both backends alike: the name, with ASCII letters folded to lower case
 * and nothing else changed, contains the query folded the same way. Both backends keep the same
 * ordering index and differ only in the index that finds the names containing a query:
 *
 * - `subjects_org_folded_name` (both): the folded name and the identifier of organizations and
 *   public bodies, in byte order (SQLite's BINARY, PostgreSQL's "C" collation, so the two order
 *   alike). It answers "names starting with q" by a range scan already in result order, and walks
 *   names in result order when a query matches so many names that filtering them in order is
 *   cheaper than sorting them all.
 * - SQLite: `subject_names`, a contentless FTS5 table with the trigram tokenizer over the folded
 *   name (SQLite's own lower(): a function of ours, which could split names into characters, would
 *   make every connection without it, such as a bench's or an operator's sqlite3 shell, fail to
 *   write a subject at all), filled by the store as it creates organizations and kept by triggers on
 *   rename and deletion (see below). A query of three characters or more is a trigram phrase. Shorter ones cannot
 *   be (the trigram tokenizer has no prefix queries), so each name is indexed with two padding
 *   characters after it: every character of a name then begins a trigram, and a query of one or
 *   two characters is the OR of the indexed trigrams that begin with it, read from the vocabulary
 *   (`subject_names_vocab`), whose document counts also say how many names the query can match.
 * - PostgreSQL: a GIN index over each folded name's distinct characters and pairs of adjacent
 *   characters (`credence_name_grams`); a query is found by containment of its character (one
 *   character) or its pairs (two or more). Neither pg_trgm (no trigram in a query of one or two
 *   characters) nor a text-search parser (whether a CJK character is a word character depends on
 *   the cluster's locale; the test cluster runs initdb --locale=C) can find "华为" in
 *   "深圳市华为技术有限公司" by itself; the grams are plain strings, independent of the locale, and
 *   PostgreSQL keeps an expression index up to date on insert and rename with no trigger.
 *
 * Either index only proposes candidates; the same containment test, run in SQL on the folded name,
 * decides, so both backends return the same rows.
 */
import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';
import type { Backend } from '../types.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists (Kysely's documented pattern)
type AnyDb = Kysely<any>;

/** U+E000 (private use): two of them after each indexed name, so every character begins a trigram. */
export const NAME_PAD = '\uE000\uE000';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

/** The folded name in SQL: ASCII letters to lower case, nothing else (SQLite's lower() does exactly that without ICU). */
export const foldedNameSql = (backend: Backend, column = 'name') =>
  backend === 'postgres' ? `translate(${column}, '${UPPER}', '${LOWER}')` : `lower(${column})`;

/** SQLite: the last subject id whose name the FTS5 table has seen (meta key). */
const NAMES_MARK = 'subject_names_through';
const MARK = `(select cast(value as integer) from meta where key = '${NAMES_MARK}')`;

/** SQLite: a name as `subject_names` holds it, folded, with its padding. */
const indexedName = (column: string) => `${foldedNameSql('sqlite', column)} || char(57344, 57344)`;

/**
 * SQLite: indexes the names of the organizations and public bodies created since the mark, and
 * moves the mark to the last subject. Run in the transaction that created them (and at start-up,
 * for any written by other means, such as a bench's raw inserts). It reads only the subjects
 * created since the mark, by rowid.
 */
export const SYNC_SUBJECT_NAMES = [
  `insert into subject_names (rowid, name)
     select id, ${indexedName('name')} from subjects indexed by subjects_org_id
     where kind <> 'person' and id > ${MARK}`,
  `update meta set value = (select cast(coalesce(max(id), 0) as text) from subjects) where key = '${NAMES_MARK}'`,
] as const;

/** SQLite: whether an organization or a public body was created since the mark (a look-up in `subjects_org_id`). */
export const SUBJECT_NAMES_BEHIND = `select 1 as behind from subjects indexed by subjects_org_id
  where kind <> 'person' and id > ${MARK} limit 1`;

export const lookupIndex = (backend: Backend): Migration => ({
  async up(db: AnyDb) {
    if (backend === 'postgres') {
      await sql
        .raw(
          // With id, kind and name in it, a walk of names in order reads the index alone (once the rows
          // are all-visible, as vacuum leaves them).
          `create index subjects_org_folded_name on subjects
             ((${foldedNameSql(backend)}) collate "C", identifier collate "C") include (id, kind, name)
             where kind <> 'person'`,
        )
        .execute(db);
      // Distinct characters and pairs of adjacent characters of the folded name (length and substr
      // count characters in a UTF-8 database, as the query side does). Its cost says what it is, about
      // 50 µs a name: at the default (a hundredth of that) the planner prefers calling it on every
      // row of a sequential scan to reading the index, which on 3,000 organizations took 130 ms
      // instead of 1 ms.
      await sql
        .raw(
          `create function credence_name_grams(name text) returns text[]
             language sql immutable strict parallel safe cost 10000 as $$
               select coalesce(array_agg(distinct g), '{}')
               from (select ${foldedNameSql(backend)} as f) n,
                    lateral (
                      select substr(n.f, i, 1) as g from generate_series(1, length(n.f)) i
                      union all
                      select substr(n.f, i, 2) from generate_series(1, length(n.f) - 1) i
                    ) grams
             $$`,
        )
        .execute(db);
      await sql`create index subjects_org_name_grams on subjects
                  using gin (credence_name_grams(name)) where kind <> 'person'`.execute(db);
      return;
    }
    await sql
      .raw(
        `create index subjects_org_folded_name on subjects (${foldedNameSql(backend)}, identifier)
           where kind <> 'person'`,
      )
      .execute(db);
    await sql`create virtual table subject_names using fts5 (
                name, content = '', contentless_delete = 1, tokenize = 'trigram case_sensitive 1')`.execute(
      db,
    );
    await sql`create virtual table subject_names_vocab using fts5vocab (subject_names, 'row')`.execute(db);
    // Renames and deletions are kept by triggers (of those statements only). Inserts are not: a
    // trigger on insert that writes a virtual table costs every insert into subjects, a person's
    // too, about 13 µs of CPU even when its WHEN clause is false (SQLite opens the FTS5 table's
    // savepoint for each statement that may write it) — more than the insert itself (4 µs). The
    // store indexes new names instead at the end of each transaction that creates an organization
    // or a public body (`SYNC_SUBJECT_NAMES`): those created since a mark, found through a partial
    // index of their ids (which a person's insert skips once its predicate is false).
    await sql`create index subjects_org_id on subjects (id) where kind <> 'person'`.execute(db);
    await sql
      .raw(
        `create trigger subject_names_rename after update of name, kind on subjects
           when (old.kind <> 'person' or new.kind <> 'person') and old.id <= ${MARK} begin
           delete from subject_names where rowid = old.id;
           insert into subject_names (rowid, name) select new.id, ${indexedName('new.name')}
             where new.kind <> 'person';
         end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger subject_names_delete after delete on subjects
           when old.kind <> 'person' and old.id <= ${MARK} begin
           delete from subject_names where rowid = old.id;
         end`,
      )
      .execute(db);
    await sql.raw(`insert into meta (key, value) values ('${NAMES_MARK}', '0')`).execute(db);
    for (const statement of SYNC_SUBJECT_NAMES) await sql.raw(statement).execute(db);
  },
});
