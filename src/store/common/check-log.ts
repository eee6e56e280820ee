/**
 * The check log's content lines and the detail of the audit entry that commits to a group of
 * them: anyone holding the log can recompute the digest from the rows and the leaf from the detail.
 */
import { hash } from 'node:crypto';
import type { CheckLogDraft } from '../types.ts';

export const CHECK_ACTION = 'measure.check';

/** One check as a line: check ID, subject (id, or identifier when unknown), measure, 1/0, reason. */
export const checkLogLine = (c: CheckLogDraft): string =>
  `${c.checkId}\t${c.subjectId ?? c.subject}\t${c.measure}\t${c.applies ? 1 : 0}\t${c.reasonCode}\n`;

/** The audit detail for a group of checks: how many and the SHA-256 of their lines in order. */
export const checkGroupDetail = (checks: readonly CheckLogDraft[]): string => {
  let text = '';
  for (const c of checks) text += checkLogLine(c);
  return `{"checks":${checks.length},"sha256":"${hash('sha256', text, 'hex')}"}`;
};

/** How a logged check reads in a subject's audit trail. */
export const checkAuditDetail = (c: Pick<CheckLogDraft, 'checkId' | 'measure' | 'applies' | 'reasonCode'>) =>
  JSON.stringify({ check_id: c.checkId, measure: c.measure, applies: c.applies, reason_code: c.reasonCode });
