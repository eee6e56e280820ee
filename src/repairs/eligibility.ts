/**
 * When a negative record may be repaired (NDRC Credit Repair Measures; REFERENCE's repair table):
 * after the minimum period of its severity class, unless policy marks its type irreparable. Shown
 * in the subject's file for each negative record, and the reason an application made too early is
 * refused.
 */
import type { Catalogue } from '../catalogue/index.ts';
import { type DueProcessPolicy, type PeriodRecord, repairPeriods } from '../due-process/index.ts';

export interface RepairEligibility {
  /** YYYY-MM-DD: the first day an application may be made; null: never (see `reason`). */
  eligible_from: string | null;
  /** Why, in plain language: the class and its minimum period, or what rules the record out. */
  reason: string;
  /** YYYY-MM-DD: the first day past the maximum display (null for a record that has none). */
  display_until: string | null;
}

/** Statuses a repair can still act on: counting, or flagged while an objection is pending. */
const OPEN = new Set(['active', 'disputed']);

const CLOSED: Record<string, string> = {
  repaired: 'it is already repaired and no longer counts',
  withdrawn: 'its source withdrew it: it no longer counts',
  expired: 'it is archived: it no longer counts',
  corrected: 'it was replaced by a correction: it no longer counts',
};

export const repairEligibility = (
  record: PeriodRecord & { status?: string },
  catalogue: Catalogue,
  policy: DueProcessPolicy,
): RepairEligibility => {
  const item = catalogue.get(record.type);
  if (!item)
    return {
      eligible_from: null,
      reason: `type ${record.type} is not in the catalogue`,
      display_until: null,
    };
  if (item.polarity !== 'negative')
    return { eligible_from: null, reason: 'a positive record needs no repair', display_until: null };
  const periods = repairPeriods(record, catalogue, policy);
  const displayUntil = periods?.displayEnd ?? null;
  if (policy.repairs.irreparable.has(record.type))
    return {
      eligible_from: null,
      reason: `${item.name} cannot be repaired (due-process policy): it counts until its validity ends`,
      display_until: displayUntil,
    };
  if (record.status !== undefined && !OPEN.has(record.status))
    return {
      eligible_from: null,
      reason: CLOSED[record.status] ?? `its status is ${record.status}`,
      display_until: displayUntil,
    };
  if (!periods)
    return {
      eligible_from: null,
      reason: `its date ${record.decidedAt ?? record.occurredAt} is not a date`,
      display_until: null,
    };
  const months = policy.repairs.classes[periods.severity].minimumMonths;
  const reason =
    months === 0
      ? `a ${periods.severity} record may be repaired at any time`
      : `a ${periods.severity} record may be repaired ${months} month${months === 1 ? '' : 's'} after its ` +
        `${record.decidedAt ? 'decision' : 'conduct'} (${periods.from}), from ${periods.minimumEnd}`;
  return {
    eligible_from: periods.minimumEnd,
    reason:
      record.status === 'disputed'
        ? `${reason}; an objection to it is pending and must be decided first`
        : reason,
    display_until: displayUntil,
  };
};
