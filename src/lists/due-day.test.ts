import { describe, expect, it } from 'vitest';
import { addMonths, formatDay, parseDay, scoreSubject } from '../scoring/index.ts';
import { policy } from '../scoring/test-helpers.ts';
import { nextTransitionDay } from './due-day.ts';
import type { ListEntry } from './entries.ts';
import { catalogue, entriesOf, lists, on, person, record } from './test-helpers.ts';

const score = (records: ReturnType<typeof record>[], asOf: string) =>
  scoreSubject({ subject: person(), records, policy, catalogue, asOf });

const entry = (over: Partial<ListEntry>): ListEntry => ({
  list: 'black.court_defaulters',
  kind: 'black',
  status: 'active',
  from: '2025-01-01',
  until: '2027-01-01',
  reasonRecordIds: [1],
  reason_code: 'LISTED_COURT_DEFAULTER',
  note: '',
  noticeFrom: null,
  listReasonCode: 'LISTED_COURT_DEFAULTER',
  extendedMonths: 0,
  deleteBy: null,
  ...over,
});

describe('the next transition day', () => {
  it('is none for a subject with nothing that time changes', () => {
    expect(nextTransitionDay({ asOf: '2026-01-01', entries: [] })).toBeNull();
    expect(nextTransitionDay({ asOf: '2026-01-01', entries: [], score: score([], '2026-01-01') })).toBeNull();
  });

  it('is the day a pending entry takes effect, or an active one ends, whichever comes first', () => {
    const pending = entry({
      status: 'pending',
      from: '2026-01-11',
      noticeFrom: '2026-01-01',
      until: '2028-01-11',
    });
    expect(nextTransitionDay({ asOf: '2026-01-05', entries: [pending] })).toBe('2026-01-11');
    expect(nextTransitionDay({ asOf: '2026-06-01', entries: [entry({})] })).toBe('2027-01-01');
    expect(
      nextTransitionDay({
        asOf: '2026-06-01',
        entries: [entry({}), entry({ from: '2026-03-01', until: '2026-09-01' })],
      }),
    ).toBe('2026-09-01');
    // Ended entries and open-ended ones bring no day.
    expect(
      nextTransitionDay({
        asOf: '2026-06-01',
        entries: [entry({ status: 'ended', until: '2026-02-01' }), entry({ until: null })],
      }),
    ).toBeNull();
  });

  it("is the first day a record's window closes when that comes before any entry changes", () => {
    const r = record('court.contract_lawsuit_lost', '2025-03-01');
    const s = score([r], '2025-06-01');
    const until = s.breakdown.find((c) => c.recordId === r.id)!.until;
    expect(s.nextChange).toBe(until);
    expect(
      nextTransitionDay({ asOf: '2025-06-01', entries: [entry({ until: '2099-01-01' })], score: s }),
    ).toBe(until);
    // The day after that window, the score has nothing left to change.
    expect(score([r], until).nextChange).toBeNull();
  });

  it("for a listed defaulter: the listing ends on the entry's until, and nothing is due after it ends", () => {
    const r = record('court.judgment_defaulter', '2024-03-01', {
      decidedAt: '2024-03-15',
      evidence: '(2024)赣0426执7号',
      amount: 50_000,
    });
    const asOf = '2024-06-01';
    const entries = on(entriesOf(person(), [r], asOf), 'black.court_defaulters');
    expect(entries).toHaveLength(1);
    const due = nextTransitionDay({ asOf, entries, score: score([r], asOf) })!;
    expect(due <= entries[0]!.until!).toBe(true);
    // Walking the calendar from one due day to the next reaches the listing's end, then stops.
    let day = asOf;
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      const e = entriesOf(person(), [r], day);
      const next = nextTransitionDay({ asOf: day, entries: e, score: score([r], day) });
      if (next === null) break;
      seen.push(next);
      day = next;
    }
    expect(seen).toContain(entries[0]!.until);
    expect(on(entriesOf(person(), [r], day), 'black.court_defaulters')[0]!.status).toBe('ended');
  });

  it("wakes a subject whose red-list entry resumes when a disqualifying record's clean period ends", () => {
    const offence = record('court.judgment_defaulter', '2023-01-10', { evidence: 'c-1' });
    const award = record('social.bravery_award', '2024-05-01');
    const asOf = '2024-06-01';
    const entries = entriesOf(person(), [offence, award], asOf);
    expect(on(entries, 'red.honoured_persons')).toEqual([]);
    const due = nextTransitionDay({
      asOf,
      entries: [],
      records: [offence, award],
      lists,
      subjectKind: 'person',
    });
    expect(due).toBe(formatDay(addMonths(parseDay('2023-01-10'), 36)));
  });
});
