/**
 * What a subject can do about a record (product rules 6 and 7): perform or pay, apply for repair
 * from the day the due-process policy allows, object if it is wrong, or wait for the day it stops
 * counting. Every day and figure comes from the policies (scoring cures, due-process repair
 * classes, the catalogue); only the wording is here.
 */
import type { Catalogue } from '../catalogue/index.ts';
import { type DueProcessPolicy, reviewDaysFor } from '../due-process/index.ts';
import type { RepairEligibility } from '../repairs/index.ts';
import type { ScoringPolicy } from '../scoring/index.ts';
import type { RecordRow } from '../store/index.ts';

export type { RepairEligibility };

/** One thing a subject can do about a key factor, with the day it concerns where there is one. */
export type Advice =
  | { kind: 'perform'; case_reference: string | null; cured_by: string[]; text: string }
  | { kind: 'pay'; amount: number | null; source: string; text: string }
  | { kind: 'repair_from'; day: string; text: string }
  | { kind: 'repair_now'; text: string }
  | { kind: 'irreparable'; text: string }
  | { kind: 'object'; days: number; text: string }
  | { kind: 'wait'; day: string; text: string }
  | { kind: 'keep'; day: string; text: string }
  | { kind: 'linked'; organization: string; text: string };

/**
 * Record types that say money is owed and unpaid (arrears, overdue, default): paying ends the
 * conduct. By the code's own words, since the catalogue has no field for it; a listing by a court
 * is matched first by the scoring policy's cures (perform the judgment).
 */
const OWED = /(arrears|overdue|_default)(_|$)/;

export interface AdviceInput {
  type: string;
  date: string;
  points: number;
  /** The first day it no longer counts (the score explanation's window). */
  until: string | null;
  /** The subject's own record; absent for an organization's record counted through a binding. */
  record?: RecordRow;
  sourceName?: string;
  /** The organization whose record it is, when not the subject's own. */
  organization?: string;
  today: string;
  eligibility?: RepairEligibility;
}

export const adviceFor = (
  a: AdviceInput,
  deps: { catalogue: Catalogue; policy: ScoringPolicy; dueProcess: DueProcessPolicy },
): Advice[] => {
  const out: Advice[] = [];
  const item = deps.catalogue.get(a.type);
  if (a.organization !== undefined)
    out.push({
      kind: 'linked',
      organization: a.organization,
      text: `It is a record of ${a.organization}, counted because you represent it: the organization can act on it (perform, pay, object or apply for repair).`,
    });
  if (item?.polarity === 'positive') {
    if (a.until) out.push({ kind: 'keep', day: a.until, text: `It raises your score until ${a.until}.` });
    return out;
  }
  if (a.organization !== undefined) {
    if (a.until) out.push({ kind: 'wait', day: a.until, text: `It stops counting on ${a.until}.` });
    return out;
  }
  const cure = deps.policy.cures.find((c) => c.type === a.type);
  const caseRef = a.record?.evidence ?? null;
  if (cure) {
    const after =
      cure.becomes.years === 0 || cure.becomes.points === 0
        ? 'it then counts nothing more'
        : `it then counts ${cure.becomes.points} points for ${cure.becomes.years} year${cure.becomes.years === 1 ? '' : 's'} instead`;
    out.push({
      kind: 'perform',
      case_reference: caseRef,
      cured_by: [...cure.curedBy],
      text: `Perform the judgment${caseRef ? ` of case ${caseRef}` : ''} (pay, or settle with the creditor): once the court records it, the court removes the listing and ${after}.`,
    });
  } else if (OWED.test(a.type)) {
    const owed = a.record?.amount;
    out.push({
      kind: 'pay',
      amount: owed ?? null,
      source: a.sourceName ?? '',
      text: `Pay the arrears${owed ? ` (${owed})` : ''}${a.sourceName ? ` and ask ${a.sourceName} to record the payment` : ''}.`,
    });
  }
  const e = a.eligibility;
  if (e?.eligible_from)
    out.push(
      e.eligible_from <= a.today
        ? { kind: 'repair_now', text: 'You may apply for credit repair now (free of charge).' }
        : {
            kind: 'repair_from',
            day: e.eligible_from,
            text: `Apply for credit repair from ${e.eligible_from} (free of charge).`,
          },
    );
  else if (e && item?.polarity === 'negative')
    out.push({
      kind: 'irreparable',
      text: 'This record cannot be repaired: it ends only with its validity.',
    });
  // A shorter review for records that trigger some lists (court listings: SPC 2017 Art. 12).
  const days = reviewDaysFor(a.type, deps.catalogue, deps.dueProcess.objections);
  out.push({
    kind: 'object',
    days,
    text: `If it is wrong, object to it: it is flagged at once and decided within ${days} days.`,
  });
  if (a.until) out.push({ kind: 'wait', day: a.until, text: `It stops counting on ${a.until}.` });
  return out;
};
