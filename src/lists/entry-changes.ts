/**
 * The audit entries of a recomputation of list entries (product rule 9): one per subject whose
 * entries changed, naming each entry that changed by its list and start day, with its status, end
 * and reason code before and after. Nothing more: the records behind it have their own entries.
 * A subject whose entries came out the same gets none, so a bulk recomputation writes only the
 * changes.
 */
import type { AuditActor, AuditDraft, ListEntryState } from '../store/index.ts';

export const ENTRIES_CHANGE_ACTION = 'lists.entries.change';

/** An entry's state in an audit entry's detail; null where the entry was not (or is no longer) there. */
interface StateJson {
  status: ListEntryState['status'];
  until: string | null;
  reason: string;
}

export interface EntryChange {
  list: string;
  from: string;
  before: StateJson | null;
  after: StateJson | null;
}

const stateOf = (e: ListEntryState): StateJson => ({
  status: e.status,
  until: e.until,
  reason: e.reasonCode,
});
const same = (a: ListEntryState, b: ListEntryState) =>
  a.status === b.status && a.until === b.until && a.reasonCode === b.reasonCode;
/** A subject's entries are keyed by list and start day (the table's primary key). */
const keyOf = (e: ListEntryState) => `${e.listCode}\u0000${e.from}`;

const bySubject = (rows: readonly ListEntryState[]) => {
  const out = new Map<number, ListEntryState[]>();
  for (const r of rows) {
    const list = out.get(r.subjectId);
    if (list === undefined) out.set(r.subjectId, [r]);
    else list.push(r);
  }
  return out;
};

/** What changed in one subject's entries, by list then start day; empty when nothing did. */
export function entryChanges(
  before: readonly ListEntryState[],
  after: readonly ListEntryState[],
): EntryChange[] {
  const old = new Map<string, ListEntryState>();
  for (const e of before) old.set(keyOf(e), e);
  const out: EntryChange[] = [];
  for (const e of after) {
    const k = keyOf(e);
    const was = old.get(k);
    old.delete(k);
    if (was !== undefined && same(was, e)) continue;
    out.push({ list: e.listCode, from: e.from, before: was ? stateOf(was) : null, after: stateOf(e) });
  }
  for (const e of old.values()) out.push({ list: e.listCode, from: e.from, before: stateOf(e), after: null });
  return out.sort((a, b) => (a.list !== b.list ? (a.list < b.list ? -1 : 1) : a.from < b.from ? -1 : 1));
}

/**
 * One audit entry per subject whose entries changed between `before` (as stored) and `after` (as
 * recomputed), in subject order, for the actor of the recomputation.
 */
export function entryChangeAudits(
  before: readonly ListEntryState[],
  after: readonly ListEntryState[],
  actor: AuditActor,
): AuditDraft[] {
  if (before.length === 0 && after.length === 0) return [];
  const was = bySubject(before);
  const now = bySubject(after);
  const ids = new Set([...was.keys(), ...now.keys()]);
  const out: AuditDraft[] = [];
  for (const id of [...ids].sort((a, b) => a - b)) {
    const changes = entryChanges(was.get(id) ?? [], now.get(id) ?? []);
    if (changes.length === 0) continue;
    out.push({
      ...actor,
      subjectId: id,
      action: ENTRIES_CHANGE_ACTION,
      detail: JSON.stringify({ entries: changes }),
    });
  }
  return out;
}
