/**
 * Bitemporal reading: what was on file at an earlier instant. A record corrected, withdrawn,
 * disputed or repaired since keeps its earlier versions with the instants each was the one known
 * (store: record_versions); a report with knowledge up to K uses the version known at K.
 */
import type { RecordVersionRow, ScoringRecordRow } from '../store/index.ts';

/**
 * The records as they stood at `knownAt` (an ISO instant): each record with an earlier version
 * known then takes that version's content and status. A record first recorded after `knownAt` is
 * left as it is (the engines skip it by its `recordedAt`).
 */
export const asKnownAt = (
  records: readonly ScoringRecordRow[],
  versions: readonly RecordVersionRow[],
  knownAt: string,
): ScoringRecordRow[] => {
  if (versions.length === 0) return [...records];
  const K = Date.parse(knownAt);
  const then = new Map<number, RecordVersionRow>();
  for (const v of versions)
    if (Date.parse(v.knownFrom) <= K && K < Date.parse(v.knownUntil)) then.set(v.recordId, v);
  if (then.size === 0) return [...records];
  return records.map((r) => {
    const v = then.get(r.id);
    return v
      ? {
          ...r,
          type: v.type,
          occurredAt: v.occurredAt,
          decidedAt: v.decidedAt,
          amount: v.amount,
          evidence: v.evidence,
          status: v.status,
        }
      : r;
  });
};
