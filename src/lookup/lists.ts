/**
 * The black and red lists in force, browsable per list and paged, as they are published: an
 * organization or public body with its name and code; a person only on a list whose policy
 * publishes persons (the court list of judgment defaulters) and only as the court publishes it —
 * name, ID number masked, court, case number, date. Any other list's persons are left out of its
 * pages and of its count.
 *
 * List pages are not audited entry by entry: a page reproduces what the deciding authority
 * publishes (as search results do, see search.ts), it is not a read of anyone's file, and an entry
 * per row of every anonymous page view would let anyone flood a listed subject's access log.
 */
import { requirePermission } from '../access/index.ts';
import { type Ctx, todayOf } from '../context.ts';
import { maskResidentId } from '../identity/index.ts';
import type { ListRule } from '../lists/index.ts';
import { invalidInput, notFound } from '../shared/errors.ts';
import type { LookupDeps } from './deps.ts';
import { publishedLists } from './published.ts';

export const LIST_PAGE_DEFAULT = 20;
export const LIST_PAGE_MAX = 100;

const listView = (l: ListRule, inForce: number) => ({
  code: l.code,
  name: l.name,
  kind: l.kind as 'black' | 'red',
  legal_basis: l.legalBasis,
  /** The kinds of subject the list publishes. */
  subject_kinds: l.subjectKinds.filter((k) => k !== 'person' || l.publishPersons),
  publishes_persons: l.publishPersons,
  in_force: inForce,
});

const counts = (ctx: Ctx, lists: readonly ListRule[]) =>
  ctx.store.replica.lookup.countEntriesInForce({
    listCodes: lists.map((l) => l.code),
    withPersons: lists.filter((l) => l.publishPersons).map((l) => l.code),
    today: todayOf(ctx.clock),
  });

/** The published lists with how many entries of each are in force. */
export const listPublicLists = async ({ ctx, deps }: { ctx: Ctx; deps: LookupDeps }) => {
  requirePermission(ctx.principal, 'lookup.read');
  const lists = publishedLists(deps.lists);
  const n = await counts(ctx, lists);
  return { lists: lists.map((l) => listView(l, n.get(l.code) ?? 0)) };
};

/** One page of a published list's entries in force, newest first (by the day they took effect). */
export const getPublicList = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { code: string; page?: number; limit?: number };
  deps: LookupDeps;
}) => {
  requirePermission(ctx.principal, 'lookup.read');
  const rule = publishedLists(deps.lists).find((l) => l.code === input.code);
  if (!rule) throw notFound(`no published list has the code ${input.code}`);
  const page = input.page ?? 1;
  const limit = input.limit ?? LIST_PAGE_DEFAULT;
  if (!Number.isInteger(page) || page < 1)
    throw invalidInput('page is a whole number from 1', [{ field: 'page', message: String(page) }]);
  if (!Number.isInteger(limit) || limit < 1 || limit > LIST_PAGE_MAX)
    throw invalidInput(`limit is a whole number from 1 to ${LIST_PAGE_MAX}`, [
      { field: 'limit', message: String(limit) },
    ]);
  const [rows, total] = await Promise.all([
    ctx.store.replica.lookup.listEntriesInForce({
      listCode: rule.code,
      today: todayOf(ctx.clock),
      withPersons: rule.publishPersons,
      offset: (page - 1) * limit,
      // One more than asked says whether there is a next page.
      limit: limit + 1,
    }),
    counts(ctx, [rule]),
  ]);
  // The store leaves them out already; a person on a list that does not publish persons must never
  // reach the public, so it is checked again here.
  const shown = rows.slice(0, limit).filter((r) => r.kind !== 'person' || rule.publishPersons);
  const authorities = await ctx.store.replica.lookup.recordAuthorities(
    shown.flatMap((r) => (r.firstRecordId === null ? [] : [r.firstRecordId])),
  );
  const entries = shown.map((r) => {
    const entry = JSON.parse(r.entry) as { caseReference?: string | null; contested?: boolean };
    const authority = r.firstRecordId === null ? null : (authorities.get(r.firstRecordId) ?? null);
    return r.kind === 'person'
      ? {
          subject: { kind: r.kind, name: r.name, identifier: null, masked_id: maskResidentId(r.identifier) },
          from: r.from,
          case_reference: entry.caseReference ?? null,
          authority,
          reason_code: r.reasonCode,
        }
      : {
          subject: { kind: r.kind, name: r.name, identifier: r.identifier, masked_id: null },
          from: r.from,
          until: r.until,
          case_reference: entry.caseReference ?? null,
          authority,
          reason_code: r.reasonCode,
          contested: entry.contested === true,
        };
  });
  const inForce = total.get(rule.code) ?? 0;
  return {
    list: listView(rule, inForce),
    entries,
    page,
    limit,
    total: inForce,
    next_page: rows.length > limit ? page + 1 : null,
  };
};
