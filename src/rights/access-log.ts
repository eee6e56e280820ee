/**
 * Who looked at a subject's file and why (product rule 9), as the subject can read it: each actor
 * by a name it understands (a source's or relying party's registered name; "Credence operator",
 * "Auditor", "You"), never a machine user name; the reads and writes paged newest first; the
 * relying parties' checks apart, one line per relying party and day, so a flood of checks cannot
 * push the other reads out of view.
 */
import { invalidInput } from '../shared/errors.ts';
import type { AccessEntry, CheckCursor, Store } from '../store/index.ts';

export const WHO_KINDS = [
  'you',
  'operator',
  'platform',
  'auditor',
  'source',
  'relying_party',
  'inspector',
  'other',
] as const;
export type WhoKind = (typeof WHO_KINDS)[number];

/** The names an actor can be given. */
export interface Names {
  /** The subject's identifier: a subject principal with it as its ref is the subject itself. */
  self: string;
  sources: ReadonlyMap<string, string>;
  relyingParties: ReadonlyMap<string, string>;
}

/** A person-readable name for an actor, and what kind of actor it is. */
export const whoOf = (actor: string, role: string, names: Names): { who: string; who_kind: WhoKind } => {
  const ref = actor.slice(actor.indexOf(':') + 1);
  if (role === 'subject' && ref === names.self) return { who: 'You', who_kind: 'you' };
  switch (role) {
    case 'source':
      return { who: names.sources.get(ref) ?? 'A registered source', who_kind: 'source' };
    case 'relying_party':
      return {
        who: names.relyingParties.get(ref) ?? 'A registered relying party',
        who_kind: 'relying_party',
      };
    case 'operator':
      // The platform's own principals (`system:…`) apply decisions already taken and audited.
      return actor.startsWith('system:')
        ? { who: 'Credence (automatic processing)', who_kind: 'platform' }
        : { who: 'Credence operator', who_kind: 'operator' };
    case 'auditor':
      return { who: 'Auditor', who_kind: 'auditor' };
    case 'inspector':
      return { who: 'Inspector', who_kind: 'inspector' };
    default:
      return { who: role.replaceAll('_', ' '), who_kind: 'other' };
  }
};

/** What an audited action did, in plain English (the report translates by `action`). */
export const ACTION_WORDS: Readonly<Record<string, string>> = {
  'subject.file.read': 'read your file',
  'subject.report.read': 'printed your report',
  'subject.read': 'read your file',
  'score.read': 'read your score and its explanation',
  'subject.history.read': 'read your score history',
  'subject.notifications.read': 'read your notifications',
  'notification.mark_read': 'marked a notification read',
  'records.create': 'recorded a record about you',
  'subjects.create': 'registered you',
  'subject.binding': 'recorded whom you represent or who represents you',
  'record.correct': 'corrected a record',
  'record.withdraw': 'withdrew a record',
  'record.dispute': 'flagged a record you objected to',
  'record.objection_confirmed': 'confirmed a record after your objection',
  'record.objection_corrected': 'corrected a record after your objection',
  'record.objection_removed': 'removed a record after your objection',
  'record.repair': 'repaired a record',
  'record.archive': 'archived a record',
  'interactions.issue': 'recorded a service you gave, for the person served to rate',
  'rating.receive': 'received a verified rating of your service',
  'token.issue': 'issued a credential that acts in your name',
  'rating.submit': 'kept your rating of a service',
  'rating.reply': 'published your reply to a comment',
  'rating.object': 'received your objection to a rating',
  'ratings.hold': 'held ratings of you for review',
  'ratings.hold_confirmed': 'removed held ratings of you after review',
  'ratings.hold_released': 'released held ratings of you after review',
  'ratings.hold_read': 'read ratings of you held for review',
  'ratings.read': 'read your published ratings',
  'measure.check.explain': 'explained a check of you and recomputed its answer',
  'source.register': 'registered a data source that serves in your name',
  'source.update': 'changed what a data source declares: that it serves in your name, or no longer',
  'source.staff.add': 'put you on the staff roster of a data source you serve under',
  'source.staff.end': 'took you off the staff roster of a data source',
  'source.staff.read': 'read a staff roster that lists you',
  'outbox.deliver': 'sent you a notification',
  'outbox.superseded':
    'withdrew a notification not yet sent: what it announced no longer stood (the listing removed, its end changed since, or the notice queued again with its present text)',
};

export interface AccessLine {
  /** The audit entry's sequence number (the order of writing; `next_page` cursors use it). */
  seq: number;
  /** Its leaf index in the audit log's Merkle tree, to ask its inclusion proof by; null: not yet in the tree. */
  leaf_index: number | null;
  at: string;
  who: string;
  who_kind: WhoKind;
  role: string;
  purpose: string;
  action: string;
  what: string;
}

export interface CheckGroupLine {
  /** YYYY-MM-DD, the platform's calendar day (its `TIME_ZONE`). */
  day: string;
  who: string;
  relying_party: string;
  count: number;
  /** How many of them were answered "applies". */
  applied: number;
  measures: string[];
  purposes: string[];
  first_at: string;
  last_at: string;
  /** The audit entries (check groups) these checks were committed with, newest first (at most 50). */
  seqs: number[];
  /** The leaf index of each of `seqs` in the audit log's Merkle tree, in the same order; null: not yet in the tree. */
  leaf_indices: (number | null)[];
  /** True when the group continues on the next page (a day with more checks than one page reads). */
  continued: boolean;
  /** The IDs of these checks, newest first (at most 50): each can be explained (`GET /v1/checks/{check_id}`). */
  check_ids: string[];
}

export interface AccessLogPage {
  accesses: { entries: AccessLine[]; next_page: string | null };
  checks: { groups: CheckGroupLine[]; next_page: string | null };
}

export const ACCESS_PAGE_DEFAULT = 50;
export const ACCESS_PAGE_MAX = 200;
/** Days of checks per page, and the most checks one page reads (a flood splits a day across pages). */
export const CHECK_DAYS_PER_PAGE = 31;
const CHECK_SCAN_MAX = 20_000;
const CHECK_CHUNK = 1000;
const SEQS_SHOWN = 50;

const parseAccessPage = (page: string | undefined): number | undefined => {
  if (page === undefined || page === '') return undefined;
  if (!/^\d{1,15}$/.test(page))
    throw invalidInput(`access_page "${page}" is not a page cursor: pass the next_page of the last page`, [
      { field: 'access_page', message: 'expected a cursor' },
    ]);
  return Number(page);
};

const parseChecksPage = (page: string | undefined): CheckCursor | undefined => {
  if (page === undefined || page === '') return undefined;
  const m = /^(\d{1,15})\.(\d{1,6})$/.exec(page);
  if (!m)
    throw invalidInput(`checks_page "${page}" is not a page cursor: pass the next_page of the last page`, [
      { field: 'checks_page', message: 'expected a cursor' },
    ]);
  return { seq: Number(m[1]), pos: Number(m[2]) };
};

export interface AccessLogInput {
  subjectId: number;
  names: Names;
  /** The platform's calendar day of an instant (ISO): checks are grouped by it. */
  dayOf: (at: string) => string;
  accessPage?: string;
  accessLimit?: number;
  checksPage?: string;
}

/** One page of a subject's access log: reads and writes, and the checks grouped. */
export const readAccessLog = async (store: Store, input: AccessLogInput): Promise<AccessLogPage> => {
  const before = parseAccessPage(input.accessPage);
  const limit = Math.min(ACCESS_PAGE_MAX, Math.max(1, Math.trunc(input.accessLimit ?? ACCESS_PAGE_DEFAULT)));
  const rows = await store.accessLog.listAccesses(input.subjectId, {
    ...(before !== undefined ? { beforeSeq: before } : {}),
    limit: limit + 1,
  });
  const shown = rows.slice(0, limit);
  return {
    accesses: {
      entries: shown.map((r) => accessLine(r, input.names)),
      next_page: rows.length > limit ? String(shown[shown.length - 1]!.seq) : null,
    },
    checks: await groupChecks(store, input, parseChecksPage(input.checksPage)),
  };
};

const accessLine = (r: AccessEntry, names: Names): AccessLine => ({
  seq: r.seq,
  leaf_index: r.leafIndex,
  at: r.at,
  ...whoOf(r.actor, r.role, names),
  role: r.role,
  purpose: r.purpose,
  action: r.action,
  what: ACTION_WORDS[r.action] ?? r.action.replaceAll('.', ' ').replaceAll('_', ' '),
});

/**
 * The subject's checks from a cursor, newest first, one line per relying party and day, for up
 * to CHECK_DAYS_PER_PAGE days; a day is read whole unless it alone passes CHECK_SCAN_MAX checks,
 * when its lines say `continued` and the next page goes on with it.
 */
const groupChecks = async (
  store: Store,
  { subjectId, names, dayOf }: Pick<AccessLogInput, 'subjectId' | 'names' | 'dayOf'>,
  from: CheckCursor | undefined,
): Promise<AccessLogPage['checks']> => {
  const groups = new Map<string, CheckGroupLine & { seqSet: Set<number> }>();
  const days = new Set<string>();
  let cursor = from;
  let last: CheckCursor | undefined;
  let scanned = 0;
  let next: string | null = null;
  scan: for (;;) {
    const chunk = await store.accessLog.listChecks(subjectId, {
      ...(cursor ? { before: cursor } : {}),
      limit: CHECK_CHUNK,
    });
    for (const c of chunk) {
      const day = dayOf(c.at);
      if (!days.has(day) && days.size >= CHECK_DAYS_PER_PAGE) {
        next = `${last!.seq}.${last!.pos}`;
        break scan;
      }
      if (scanned >= CHECK_SCAN_MAX) {
        next = `${last!.seq}.${last!.pos}`;
        for (const g of groups.values()) if (g.day === day) g.continued = true;
        break scan;
      }
      days.add(day);
      scanned++;
      const key = `${day}\t${c.actor}`;
      let g = groups.get(key);
      if (!g) {
        g = {
          day,
          who: whoOf(c.actor, c.role, names).who,
          relying_party: c.actor.slice(c.actor.indexOf(':') + 1),
          count: 0,
          applied: 0,
          measures: [],
          purposes: [],
          first_at: c.at,
          last_at: c.at,
          seqs: [],
          leaf_indices: [],
          continued: false,
          check_ids: [],
          seqSet: new Set(),
        };
        groups.set(key, g);
      }
      g.count++;
      if (g.check_ids.length < SEQS_SHOWN) g.check_ids.push(c.checkId);
      if (c.applies) g.applied++;
      if (!g.measures.includes(c.measure)) g.measures.push(c.measure);
      if (!g.purposes.includes(c.purpose)) g.purposes.push(c.purpose);
      if (c.at < g.first_at) g.first_at = c.at;
      if (c.at > g.last_at) g.last_at = c.at;
      if (!g.seqSet.has(c.seq)) {
        g.seqSet.add(c.seq);
        if (g.seqs.length < SEQS_SHOWN) {
          g.seqs.push(c.seq);
          g.leaf_indices.push(c.leafIndex);
        }
      }
      last = { seq: c.seq, pos: c.pos };
    }
    if (chunk.length < CHECK_CHUNK) break;
    cursor = last;
  }
  return {
    groups: [...groups.values()].map(({ seqSet: _, ...g }) => ({
      ...g,
      measures: g.measures.sort(),
      purposes: g.purposes.sort(),
    })),
    next_page: next,
  };
};
