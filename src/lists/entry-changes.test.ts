import { describe, expect, it } from 'vitest';
import type { ListEntryState } from '../store/index.ts';
import { ENTRIES_CHANGE_ACTION, entryChangeAudits, entryChanges } from './entry-changes.ts';

const actor = { actor: 'operator:test', role: 'operator', purpose: 'recompute', requestId: 'r-1' };
const e = (
  subjectId: number,
  listCode: string,
  from: string,
  status: ListEntryState['status'],
  until: string | null,
  reasonCode = 'LISTED',
): ListEntryState => ({ subjectId, listCode, from, status, until, reasonCode });

describe('what an audit entry of a recomputation names', () => {
  it('nothing when the entries came out the same, in whatever order', () => {
    const a = [
      e(1, 'black.x', '2025-01-01', 'ended', '2025-06-01'),
      e(1, 'focus.y', '2025-02-01', 'active', null),
    ];
    expect(entryChanges(a, [...a].reverse())).toEqual([]);
    expect(entryChangeAudits(a, [...a].reverse(), actor)).toEqual([]);
  });

  it('each entry that changed, by list and start day, with its state before and after', () => {
    const before = [
      e(1, 'focus.y', '2025-02-01', 'pending', null, 'GRACE_PERIOD'),
      e(1, 'black.x', '2024-01-01', 'ended', '2024-06-01', 'EXPIRED'),
      e(1, 'black.x', '2025-01-01', 'active', '2027-01-01'),
    ];
    const after = [
      e(1, 'black.x', '2024-01-01', 'ended', '2024-06-01', 'EXPIRED'),
      e(1, 'black.x', '2025-01-01', 'ended', '2025-09-30', 'PERFORMED'),
      e(1, 'focus.y', '2025-02-11', 'active', null),
    ];
    expect(entryChanges(before, after)).toEqual([
      {
        list: 'black.x',
        from: '2025-01-01',
        before: { status: 'active', until: '2027-01-01', reason: 'LISTED' },
        after: { status: 'ended', until: '2025-09-30', reason: 'PERFORMED' },
      },
      {
        list: 'focus.y',
        from: '2025-02-01',
        before: { status: 'pending', until: null, reason: 'GRACE_PERIOD' },
        after: null,
      },
      {
        list: 'focus.y',
        from: '2025-02-11',
        before: null,
        after: { status: 'active', until: null, reason: 'LISTED' },
      },
    ]);
  });

  it('one entry per subject that changed, in subject order, none for the others', () => {
    const same = e(2, 'black.x', '2025-01-01', 'active', null);
    const audits = entryChangeAudits(
      [same, e(3, 'black.x', '2025-01-01', 'active', null)],
      [e(7, 'black.x', '2025-03-01', 'active', null), same],
      actor,
    );
    expect(audits.map((a) => [a.subjectId, a.action])).toEqual([
      [3, ENTRIES_CHANGE_ACTION],
      [7, ENTRIES_CHANGE_ACTION],
    ]);
    expect(audits[0]).toMatchObject(actor);
    expect(JSON.parse(audits[0]!.detail!).entries).toEqual([
      {
        list: 'black.x',
        from: '2025-01-01',
        before: { status: 'active', until: null, reason: 'LISTED' },
        after: null,
      },
    ]);
  });
});
