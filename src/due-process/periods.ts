/**
 * The repair periods of a negative record (NDRC Credit Repair Measures, in force 1 April 2026;
 * REFERENCE's repair table), stated once for the repair application's eligibility and for
 * archival: by the severity class of its type, from the day the conduct was decided (else the day
 * it occurred), the minimum before repair and the maximum display.
 */
import type { Catalogue, Severity } from '../catalogue/index.ts';
import { addMonths, formatDay, parseDay } from '../shared/days.ts';
import type { DueProcessPolicy } from './policy.ts';

/** What the periods need of a record. */
export interface PeriodRecord {
  type: string;
  occurredAt: string;
  decidedAt: string | null;
}

export interface RepairPeriods {
  severity: Severity;
  /** YYYY-MM-DD: the day the conduct counts from (decided, else occurred). */
  from: string;
  /** YYYY-MM-DD: the first day an application may be made (the minimum period has passed). */
  minimumEnd: string;
  /** YYYY-MM-DD: the first day past the maximum display (display stops once corrected). */
  displayEnd: string;
}

/** The periods of a negative record; undefined for a positive one or a type not in the catalogue. */
export const repairPeriods = (
  record: PeriodRecord,
  catalogue: Catalogue,
  policy: DueProcessPolicy,
): RepairPeriods | undefined => {
  const item = catalogue.get(record.type);
  if (item?.polarity !== 'negative') return undefined;
  const cls = policy.repairs.classes[item.severity];
  const from = record.decidedAt ?? record.occurredAt;
  const day = parseDay(from);
  if (Number.isNaN(day)) return undefined;
  return {
    severity: item.severity,
    from,
    minimumEnd: formatDay(addMonths(day, cls.minimumMonths)),
    displayEnd: formatDay(addMonths(day, cls.maximumDisplayMonths)),
  };
};
