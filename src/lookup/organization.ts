/**
 * An organization's or public body's page: what Credit China publishes about it — its grade with the
 * key factors behind it (product rule 5: a grade is never shown unexplained), its
 * entries in force on the black and red lists with their basis, period and case, the published
 * results of its inspections (those whose records still stand, one under objection marked
 * contested) and its rating aggregates with their counts. A person's identifier
 * gets the same 404 as an unknown one: the page never says that a person exists.
 *
 * Opening a page is a read of the subject's file and is audited (product rule 9), like an
 * operator's read, with the reader's role (`public`) and purpose, so the organization sees how it
 * was looked up. (The ratings and inspections it shows are read through their own verbs without
 * auditing again: this page's one entry covers them.)
 */
import { requirePermission } from '../access/index.ts';
import { type Ctx, todayOf } from '../context.ts';
import { entryOf } from '../lists/index.ts';
import { getRatingsOfAuditedPage } from '../ratings/index.ts';
import { publishedKeyFactors } from '../scoring/index.ts';
import { notFound } from '../shared/errors.ts';
import { publishedInspections } from '../supervision/index.ts';
import type { LookupDeps } from './deps.ts';
import { inForceOn, publishedLists } from './published.ts';

export const getPublicOrganization = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { identifier: string };
  deps: LookupDeps;
}) => {
  requirePermission(ctx.principal, 'lookup.read');
  const code = input.identifier.trim().toUpperCase();
  const s = code.length > 0 ? await ctx.store.replica.findSubjectByIdentifier(code) : undefined;
  if (!s || s.kind === 'person') throw notFound(`no organization or public body has the code ${code}`);
  await ctx.store.appendAudit(
    [
      {
        actor: ctx.principal.id,
        role: ctx.principal.role,
        purpose: ctx.purpose,
        subjectId: s.id,
        action: 'lookup.organization.read',
        detail: null,
        requestId: ctx.requestId,
      },
    ],
    ctx.clock.now().toISOString(),
  );
  const today = todayOf(ctx.clock);
  const published = new Map(publishedLists(deps.lists).map((l) => [l.code, l]));
  const [checkRow, explained, entries, inspections, ratings] = await Promise.all([
    ctx.store.replica.listCheckSubjects({ ids: [s.id] }),
    publishedKeyFactors(
      ctx,
      { id: s.id, kind: s.kind, legalRepId: s.legalRepId, birthDate: s.birthDate },
      deps.scoring,
    ),
    ctx.store.replica.listListEntries([s.id]),
    publishedInspections({ ctx, input: { subjectId: s.id } }),
    getRatingsOfAuditedPage({ ctx, input: { subject: s }, deps: deps.ratings }),
  ]);
  const lists = entries
    .filter((e) => published.has(e.listCode) && inForceOn(e, today))
    .map((e) => {
      const rule = published.get(e.listCode)!;
      const entry = entryOf(e);
      return {
        list: rule.code,
        name: rule.name,
        kind: rule.kind,
        legal_basis: rule.legalBasis,
        from: e.from,
        until: e.until,
        case_reference: entry.caseReference ?? null,
        reason_code: e.reasonCode,
        reason: e.note,
        contested: entry.contested === true,
      };
    });
  return {
    identifier: s.identifier,
    name: s.name,
    kind: s.kind as 'organization' | 'public_body',
    // The grade its records give today, with the factors that explain it: the stored one may be
    // behind the day until `credence maintain` runs (a direct grade that lapsed overnight).
    grade: checkRow[0] ? explained.grade : null,
    key_factors: checkRow[0] ? explained.factors : [],
    lists,
    inspections: inspections.map((i) => ({
      id: i.id,
      regulator: i.regulator,
      class: i.class,
      outcome: i.outcome,
      inspected_on: i.inspected_on,
      published_at: i.published_at,
      contested: i.contested,
    })),
    ratings: {
      min_count: ratings.min_count,
      professionalism: ratings.professionalism,
      honesty: ratings.honesty,
      comments: ratings.comments,
    },
  };
};
