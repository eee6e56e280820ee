/**
 * The check log's content lines and the detail of the audit entry that commits to a group of
 * them: anyone holding the log can recompute the digest from the rows and the leaf from the detail.
 */
import { createHash, hash, randomBytes } from 'node:crypto';
import type { CheckGroupRow } from '../schema.ts';
import type { Backend, CheckLogDraft, CheckPolicies } from '../types.ts';

export const CHECK_ACTION = 'measure.check';

/**
 * A check ID is the key of the group it is logged in and a random suffix, in the shape of a UUID
 * (version 8): `kkkkkkkk-kkkk-8kkk-8kkk-ssssssssssss`, the key 72 random bits drawn once per group
 * (`newCheckKey`), the suffix 48 random bits drawn per check (`checkSuffixes`), never twice in a
 * group. The suffix is random, not a count: a subject reading its own check ID must not learn the
 * IDs of the others checked in the same batch, nor its place in it. The group keeps its key
 * (`check_groups.check_key`, migration 0028, one indexed value a group), so a check is found by its
 * ID with one look-up without writing anything per check. Checks logged before have random UUIDs
 * (version 4) and no key: `checkKeyOf` tells them apart by shape.
 */
const CHECK_ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/;
const KEY_LENGTH = 23;

/** A new group key: 72 random bits. */
export const newCheckKey = (): string => {
  const h = randomBytes(9).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(12, 15)}-8${h.slice(15, 18)}`;
};

/**
 * Random 48-bit suffixes (12 hex digits) for about `count` checks: one `randomBytes` for all of
 * them (a turn's checks, whatever their groups), more drawn only when they run out.
 */
export const checkSuffixes = (count: number): (() => string) => {
  let hex = '';
  let at = 0;
  return () => {
    if (at >= hex.length) {
      hex = randomBytes(6 * Math.max(count, 16)).toString('hex');
      at = 0;
    }
    at += 12;
    return hex.slice(at - 12, at);
  };
};

/** The IDs of the checks of the group keyed `key`: each with a suffix of `suffix`, none twice. */
export const groupCheckIds = (key: string, suffix: () => string): (() => string) => {
  const used = new Set<string>();
  return () => {
    let s = suffix();
    while (used.has(s)) s = suffix();
    used.add(s);
    return checkIdOf(key, s);
  };
};

/** The ID of a check of the group keyed `key` with this suffix (12 hex digits). */
export const checkIdOf = (key: string, suffix: string): string => `${key}-${suffix}`;

/** The key of the group a check ID was logged in; undefined for an ID not made by `checkIdOf`. */
export const checkKeyOf = (checkId: string): string | undefined =>
  CHECK_ID_RE.test(checkId) ? checkId.slice(0, KEY_LENGTH) : undefined;

/**
 * One check as a line: check ID, subject (id, or identifier when unknown), measure, 1/0, reason.
 * Groups logged before the digest moved to their JSON (below) committed to these lines.
 */
export const checkLogLine = (c: CheckLogDraft): string =>
  `${c.checkId}\t${c.subjectId ?? c.subject}\t${c.measure}\t${c.applies ? 1 : 0}\t${c.reasonCode}\n`;

/** Lines joined into one string before each update of the digest. */
const LINES_PER_UPDATE = 64;

/**
 * The detail of a group logged before the digest moved to the group's JSON: how many and the
 * SHA-256 of their lines in order (64 lines at a time: one string of a thousand lines is a tree of
 * small pieces that V8 must flatten first). Kept to verify those groups.
 */
export const checkLinesDetail = (checks: readonly CheckLogDraft[]): string => {
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

/**
 * A group of checks ready to log: its JSON (`checkGroupJson`) and the detail of the audit entry
 * that commits to it — how many and the SHA-256 of that JSON text, compact as `JSON.stringify`
 * writes it, which anyone holding the rows writes again the same way (PostgreSQL's jsonb keeps the
 * arrays and their order). Hashing the text already made for storage costs a seventh of hashing
 * separate lines (0.07 against 0.52 µs a check). With `policies`, the detail also names the
 * versions of the measures and lists policies the group was answered under (product rule 5): once
 * a group, in the leaf the log's tree commits to.
 */
export const checkGroupRecord = (checks: readonly CheckLogDraft[], policies?: CheckPolicies) => {
  const packed = checkGroupJson(checks);
  const digest = hash('sha256', packed.checks, 'hex');
  return {
    ...packed,
    detail: policies
      ? `{"checks":${checks.length},"json_sha256":"${digest}","measures_policy":${JSON.stringify(policies.measures)},"lists_policy":${JSON.stringify(policies.lists)}}`
      : `{"checks":${checks.length},"json_sha256":"${digest}"}`,
  };
};

/** The policy versions a group's audit detail names; undefined for a group logged before they were kept. */
export const checkGroupPolicies = (detail: string | null): CheckPolicies | undefined => {
  if (!detail) return undefined;
  const d = JSON.parse(detail) as { measures_policy?: unknown; lists_policy?: unknown };
  return typeof d.measures_policy === 'string' && typeof d.lists_policy === 'string'
    ? { measures: d.measures_policy, lists: d.lists_policy }
    : undefined;
};

/** Whether a group's audit detail commits to these checks, in this order (either form of digest). */
export const checkGroupVerifies = (detail: string, checks: readonly CheckLogDraft[]): boolean => {
  const d = JSON.parse(detail) as { checks?: unknown; json_sha256?: unknown; sha256?: unknown };
  if (d.checks !== checks.length) return false;
  if (typeof d.json_sha256 === 'string')
    return checkGroupRecord(checks, checkGroupPolicies(detail)).detail === detail;
  if (typeof d.sha256 === 'string') return checkLinesDetail(checks) === detail;
  return false;
};

/** Whether a check ID is of the form that finds its group (`checkIdOf`): one logged since migration 0028. */
export const isExplainableCheckId = (checkId: string): boolean => CHECK_ID_RE.test(checkId);

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

/**
 * The check log's subject index is a chain per subject (migration 0010): each indexed check points
 * at the subject's check before it, and `check_heads` holds each subject's latest. Indexing appends
 * to `check_chain` in log order and rewrites one head per subject checked, so what a slice writes
 * depends on how many subjects it names, not on how long the log has grown (a subject-ordered
 * index takes each new check on a random page of an ever larger tree).
 *
 * `slice` selects `(subject_id, audit_seq, pos)` of the checks to index, in the backend's SQL;
 * `range` is the same groups' condition on `audit_seq`. The heads are moved from the chain rows just
 * written (read in key order): on SQLite each upsert in order, so the last of a subject wins; on
 * PostgreSQL, which lets one statement update a row only once, the last of each subject alone.
 */
export const checkChainSql = (backend: Backend, slice: string, range: string) => ({
  link: `with s as (${slice}),
    w as (select subject_id, audit_seq, pos, lag(audit_seq) over o as ps, lag(pos) over o as pp
          from s window o as (partition by subject_id order by audit_seq, pos))
    insert into check_chain (audit_seq, pos, subject_id, prev_seq, prev_pos)
    select w.audit_seq, w.pos, w.subject_id,
      case when w.ps is null then h.audit_seq else w.ps end,
      case when w.ps is null then h.pos else w.pp end
    from w left join check_heads h on h.subject_id = w.subject_id
    where true
    on conflict do nothing`,
  heads: `insert into check_heads (subject_id, audit_seq, pos)
    ${
      backend === 'sqlite'
        ? `select subject_id, audit_seq, pos from check_chain where ${range} order by audit_seq, pos`
        : `select distinct on (subject_id) subject_id, audit_seq, pos from check_chain where ${range}
           order by subject_id, audit_seq desc, pos desc`
    }
    on conflict (subject_id) do update set audit_seq = excluded.audit_seq, pos = excluded.pos`,
});

/**
 * A subject's indexed checks, newest first, following its chain from its head: `(audit_seq, pos,
 * c)` where `check` is the backend's expression for the check at `c.pos` of group `g`.
 */
export const checkChainTrailSql = (check: string, subject: string, limit: string) => `
  with recursive c (audit_seq, pos, prev_seq, prev_pos, n) as (
    select k.audit_seq, k.pos, k.prev_seq, k.prev_pos, 1
    from check_heads h join check_chain k on k.audit_seq = h.audit_seq and k.pos = h.pos
    where h.subject_id = ${subject}
    union all
    select k.audit_seq, k.pos, k.prev_seq, k.prev_pos, c.n + 1
    from c join check_chain k on k.audit_seq = c.prev_seq and k.pos = c.prev_pos
    where c.n < ${limit})
  select c.audit_seq, c.pos, ${check} as c
  from c join check_groups g on g.audit_seq = c.audit_seq`;
