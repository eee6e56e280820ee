/**
 * The public search: organizations and public bodies by part of their name or by their Unified
 * Social Credit Code. Never persons, whatever the query (the index holds none, and every query
 * says so again). A search is not audited hit by hit: it shows each hit's name, code, grade and how
 * many published list entries it has, what the list pages publish anyway, and auditing each hit of
 * each keystroke would let anyone fill a subject's access log with noise; opening an
 * organization's page, its published file, is audited (organization.ts).
 */
import { requirePermission } from '../access/index.ts';
import { type Ctx, todayOf } from '../context.ts';
import { USCC_ALPHABET } from '../identity/index.ts';
import { invalidInput } from '../shared/errors.ts';
import type { LookupDeps } from './deps.ts';
import { publishedLists } from './published.ts';

export const SEARCH_QUERY_MAX = 100;
export const SEARCH_LIMIT_DEFAULT = 20;
export const SEARCH_LIMIT_MAX = 50;

// GB 32100-2015: 18 characters of the USCC alphabet (digits and capitals without I, O, S, V, Z).
const CODE_SHAPE = new RegExp(`^[${USCC_ALPHABET}]{18}$`);

export interface SearchResult {
  identifier: string;
  name: string;
  kind: 'organization' | 'public_body';
  grade: string | null;
  /** Entries in force on the published (black and red) lists. */
  lists_in_force: number;
  /** Why it is where it is in the order: its code, the start of its name, or inside its name. */
  match: 'code' | 'prefix' | 'contains';
}

/**
 * Best matches first: the code itself, then names starting with the query, then names containing
 * it; ties by name (ASCII letters folded), then code. Latin letters match in either case.
 */
export const searchOrganizations = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { q: string; limit?: number };
  deps: LookupDeps;
}): Promise<{ results: SearchResult[] }> => {
  requirePermission(ctx.principal, 'lookup.search');
  const q = input.q.trim();
  const length = Array.from(q).length;
  if (length === 0)
    throw invalidInput('say what to look for: part of a name, or a Unified Social Credit Code', [
      { field: 'q', message: 'empty' },
    ]);
  if (length > SEARCH_QUERY_MAX)
    throw invalidInput(`a search has at most ${SEARCH_QUERY_MAX} characters`, [
      { field: 'q', message: `${length} characters` },
    ]);
  const limit = input.limit ?? SEARCH_LIMIT_DEFAULT;
  if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_LIMIT_MAX)
    throw invalidInput(`limit is a whole number from 1 to ${SEARCH_LIMIT_MAX}`, [
      { field: 'limit', message: String(limit) },
    ]);
  // A query shaped like a code is a code: looked up exactly (no name holds 18 characters of the
  // code alphabet in a row).
  const code = q.toUpperCase();
  const isCode = CODE_SHAPE.test(code);
  const rows = await ctx.store.replica.lookup.searchNames({
    text: isCode ? '' : q,
    code: isCode ? code : null,
    limit,
    listCodes: publishedLists(deps.lists).map((l) => l.code),
    today: todayOf(ctx.clock),
  });
  return {
    results: rows.map((r) => ({
      identifier: r.identifier,
      name: r.name,
      kind: r.kind,
      grade: r.grade,
      lists_in_force: r.listsInForce,
      match: r.match,
    })),
  };
};
