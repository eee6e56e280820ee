/**
 * The check log's content lines and the detail of the audit entry that commits to a group of
 * them: anyone holding the log can recompute the digest from the rows and the leaf from the detail.
 */
import { createHash } from 'node:crypto';
import type { CheckGroupRow } from '../schema.ts';
import type { CheckLogDraft } from '../types.ts';

export const CHECK_ACTION = 'measure.check';

/** One check as a line: check ID, subject (id, or identifier when unknown), measure, 1/0, reason. */
export const checkLogLine = (c: CheckLogDraft): string =>
  `${c.checkId}\t${c.subjectId ?? c.subject}\t${c.measure}\t${c.applies ? 1 : 0}\t${c.reasonCode}\n`;

/** Lines joined into one string before each update of the digest. */
const LINES_PER_UPDATE = 64;

/**
 * The audit detail for a group of checks: how many and the SHA-256 of their lines in order. The
 * lines go to the digest 64 at a time: one string of a batch's thousand lines is a tree of small
 * pieces that V8 must flatten first, which cost more than hashing it (2.5 times less in all).
 */
export const checkGroupDetail = (checks: readonly CheckLogDraft[]): string => {
  const digest = createHash('sha256');
  let text = '';
  for (let i = 0; i < checks.length; i++) {
    text += checkLogLine(checks[i]!);
    if (i % LINES_PER_UPDATE === LINES_PER_UPDATE - 1) {
      digest.update(text);
      text = '';
    }
  }
  digest.update(text);
  return `{"checks":${checks.length},"sha256":"${digest.digest('hex')}"}`;
};

/** How a logged check reads in a subject's audit trail. */
export const checkAuditDetail = (c: Pick<CheckLogDraft, 'checkId' | 'measure' | 'applies' | 'reasonCode'>) =>
  JSON.stringify({ check_id: c.checkId, measure: c.measure, applies: c.applies, reason_code: c.reasonCode });

/**
 * A group of checks as the check log stores it (see migration 0008): the checks as one JSON array,
 * in order, and their subject ids alone, by position.
 */
export const checkGroupJson = (checks: readonly CheckLogDraft[]): { checks: string; subjectIds: string } => {
  const rows: CheckGroupRow[] = new Array(checks.length);
  const ids: (number | null)[] = new Array(checks.length);
  for (let i = 0; i < checks.length; i++) {
    const c = checks[i]!;
    ids[i] = c.subjectId;
    rows[i] = [
      c.checkId,
      c.subjectId,
      c.subjectId === null ? c.subject : null,
      c.measure,
      c.applies ? 1 : 0,
      c.reasonCode,
    ];
  }
  return { checks: JSON.stringify(rows), subjectIds: JSON.stringify(ids) };
};

/** One stored check back as a draft. */
export const checkFromRow = (r: CheckGroupRow): CheckLogDraft => ({
  checkId: r[0],
  subjectId: r[1] === null ? null : Number(r[1]),
  subject: r[2] ?? '',
  measure: r[3],
  applies: Number(r[4]) === 1,
  reasonCode: r[5],
});

/** A stored group's checks: JSON text on SQLite, parsed already on PostgreSQL. */
export const checkGroupRows = (checks: string | CheckGroupRow[]): CheckGroupRow[] =>
  typeof checks === 'string' ? (JSON.parse(checks) as CheckGroupRow[]) : checks;

/** Meta key: the audit sequence number of the last check group indexed by subject. */
export const CHECKS_INDEXED_THROUGH = 'check_groups_indexed_through';
/** Check groups looked at per indexing slice. */
export const CHECK_GROUPS_PER_SLICE = 500;

/**
 * Where an indexing slice ends: whole groups, in order, until about `limit` checks (at least one
 * group). Undefined when there is nothing to index.
 */
export const checkIndexSlice = (
  groups: readonly { audit_seq: number | string; count: number | string }[],
  limit: number,
): { upTo: number; checks: number } | undefined => {
  let checks = 0;
  let upTo: number | undefined;
  for (const g of groups) {
    if (upTo !== undefined && checks + Number(g.count) > limit) break;
    checks += Number(g.count);
    upTo = Number(g.audit_seq);
  }
  return upTo === undefined ? undefined : { upTo, checks };
};
