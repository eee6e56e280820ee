/**
 * The store's side of the public lookup (issue 18): the name search over organizations and public
 * bodies (never persons) through the index of migration 0019, and the list entries in force as
 * lists publish them. Implemented for both backends in common/lookup.ts; reached as `store.lookup`.
 */

/** What one search asks. */
export interface NameSearch {
  /** Part of a name, ASCII letters folded to lower case by the store; at least one character. */
  text: string;
  /** An identifier to match exactly first (a Unified Social Credit Code), or null. */
  code: string | null;
  limit: number;
  /** Lists whose entries in force are counted in `listsInForce` (the published ones). */
  listCodes: readonly string[];
  /** YYYY-MM-DD: the day entries are in force on. */
  today: string;
}

export interface SearchHitRow {
  subjectId: number;
  kind: 'organization' | 'public_body';
  identifier: string;
  name: string;
  /** How it matched: its code, its name's beginning, or inside its name. */
  match: 'code' | 'prefix' | 'contains';
  /** The latest kept grade; null: never scored. */
  grade: string | null;
  /** Entries in force on the lists asked about. */
  listsInForce: number;
}

/** One entry in force on a list, with its subject. */
export interface ListedRow {
  subjectId: number;
  kind: 'person' | 'organization' | 'public_body';
  identifier: string;
  name: string;
  from: string;
  until: string | null;
  reasonCode: string;
  /** JSON: the whole entry as the lists engine gave it (case reference, contested). */
  entry: string;
  /** The first record that put it there, whose source decided it (null: none kept). */
  firstRecordId: number | null;
}

export interface LookupStore {
  /**
   * Organizations and public bodies whose identifier is `code`, then those whose folded name starts
   * with the folded text, then those whose folded name contains it; ties by folded name, then
   * identifier; at most `limit`. Never a person, whatever is asked.
   */
  searchNames(q: NameSearch): Promise<SearchHitRow[]>;
  /**
   * Entries in force on `today` of one list, newest first (by the day they took effect, then by
   * subject), a page at a time; persons' entries only when `withPersons`.
   */
  listEntriesInForce(q: {
    listCode: string;
    today: string;
    withPersons: boolean;
    offset: number;
    limit: number;
  }): Promise<ListedRow[]>;
  /** How many entries are in force on `today` per list (persons counted only on `withPersons` lists). */
  countEntriesInForce(q: {
    listCodes: readonly string[];
    withPersons: readonly string[];
    today: string;
  }): Promise<Map<string, number>>;
  /** The name of the source that sent each of these records (those that exist). */
  recordAuthorities(recordIds: readonly number[]): Promise<Map<number, string>>;
}
