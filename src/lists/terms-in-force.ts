/**
 * The terms in force when a listing was decided (non-retroactivity, and the milder law).
 *
 * A list's rules change with its policy file: a longer term, a higher extension ceiling, a new
 * kind of record that enters the list, a lower entry threshold. Applied as they stand to every
 * case on file, such a change would lengthen listings already running, or list subjects for what
 * was not listable when it was decided, without a new decision and without notice. So each
 * restrictive (black or focus) list carries the terms of the policy versions in force before the
 * present one (`ListingTerm.earlier`): a decision is listed only if the terms of its day listed
 * it, and for no longer than either those terms or the present ones allow. Red lists (rewards)
 * follow the present terms. The lists engine and the scorer's direct grades read the same terms
 * (listing-term.ts), so a grade that follows a listing ends with it.
 */
import type { EarlierTerms } from '../scoring/index.ts';
import { parseDay } from '../shared/days.ts';
import type { ListPolicy, ListRule } from './list-policy.ts';

/** A lists policy version that was in force from a day (YYYY-MM-DD, the platform's). */
export interface ListsPeriod {
  from: string;
  policy: ListPolicy;
}

/**
 * `current` with each restrictive list carrying the terms of `earlier` (the periods before the
 * present one, oldest first; the first stands for every day before the second). Unchanged when
 * there is no earlier period.
 */
export const withTermsInForce = (
  current: ListPolicy,
  earlier: readonly ListsPeriod[],
  /** The day the present version came in force. */
  currentFrom: string,
): ListPolicy => {
  if (earlier.length === 0) return current;
  const ends = [...earlier.slice(1).map((p) => p.from), currentFrom].map(parseDay);
  const lists = current.lists.map((l): ListRule => {
    if (l.kind === 'red') return l;
    const terms: EarlierTerms[] = earlier.map((p, i) => {
      const then = p.policy.byCode.get(l.code);
      return {
        until: ends[i]!,
        version: p.policy.version,
        // A list the version did not have listed nobody.
        enteredBy: then && then.kind !== 'red' ? then.enteredBy : [],
        entryMinAmount: then?.entryMinAmount ?? {},
        repeat: then && then.kind !== 'red' ? then.repeat : null,
        openEndedBy: then?.openEndedBy ?? [],
        durationMonths: then ? then.durationMonths : null,
        extendByMonthsMax: then?.extend?.byMonthsMax ?? 0,
        graceDays: then?.graceDays ?? 0,
      };
    });
    return { ...l, earlier: terms };
  });
  return { ...current, lists, byCode: new Map(lists.map((l) => [l.code, l])) };
};
