/**
 * One calendar (issue 13): for every demo subject, the direct grade a listing brings is in force
 * on every day the listing is in force — the scorer and the lists engine run the same listing term
 * (src/scoring/listing-term.ts) on the same records — and after it only within the grade's own
 * validity, until an exit record of its case.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemo, type RecordJson } from '../demo/index.ts';
import { validateResidentId } from '../identity/index.ts';
import {
  addMonths,
  type EngineRecord,
  type EngineSubject,
  formatDay,
  parseDay,
  scoreSubject,
} from '../scoring/index.ts';
import { policy } from '../scoring/test-helpers.ts';
import { computeEntries } from './entries.ts';
import { calendar, catalogue, lists } from './test-helpers.ts';

const COURT = 'black.court_defaulters';
const END = '2026-05-31';
const followers = new Set(
  [...policy.types].filter(([, r]) => r.directGradeFollowsList === COURT).map(([code]) => code),
);

interface Case {
  subject: EngineSubject;
  records: EngineRecord[];
}

let cases: Case[] = [];

beforeAll(() => {
  const bySubject = new Map<string, { subject: EngineSubject; records: EngineRecord[] }>();
  let nextSubject = 1;
  let nextRecord = 1;
  const subjectOf = (r: RecordJson) => {
    const s = r.subject;
    const key = s.kind === 'person' ? s.id_number : s.uscc;
    let entry = bySubject.get(key);
    if (entry === undefined) {
      const birth = s.kind === 'person' ? validateResidentId(s.id_number) : null;
      entry = {
        subject: {
          id: nextSubject++,
          kind: s.kind,
          legalRepId: null,
          birthDate: birth?.ok ? birth.birthDate : null,
        },
        records: [],
      };
      bySubject.set(key, entry);
    }
    return entry;
  };
  for (const item of generateDemo({ persons: 20_000, organizations: 2_000, seed: 13, end: END }, catalogue)) {
    if (item.kind !== 'record') continue;
    const r = item.record;
    const s = subjectOf(r);
    s.records.push({
      id: nextRecord++,
      subjectId: s.subject.id,
      type: r.type,
      occurredAt: r.occurred_at,
      decidedAt: r.decided_at ?? null,
      // Known from the start of its own decision day, so "as of" a day sees what was decided by then.
      recordedAt: `${r.decided_at ?? r.occurred_at}T00:00:00.000Z`,
      amount: r.amount ?? null,
      evidence: r.evidence ?? null,
      status: 'active',
    });
  }
  cases = [...bySubject.values()].filter((c) => c.records.some((r) => followers.has(r.type)));
});

/** The days worth looking at: around every record's day and every entry boundary, and monthly. */
function daysFor(c: Case): string[] {
  const days = new Set<number>();
  const around = (d: number) => {
    for (const k of [-1, 0, 1]) days.add(d + k);
  };
  for (const r of c.records) around(parseDay(r.decidedAt ?? r.occurredAt));
  const last = computeEntries({
    subject: c.subject,
    records: c.records,
    lists,
    catalogue,
    calendar,
    asOf: '2031-12-31',
  });
  for (const e of last.filter((x) => x.list === COURT)) {
    around(parseDay(e.from));
    if (e.until !== null) around(parseDay(e.until));
  }
  const first = Math.min(...c.records.map((r) => parseDay(r.occurredAt)));
  for (let d = first; d < parseDay('2031-12-31'); d = addMonths(d, 1)) days.add(d);
  return [...days].sort((a, b) => a - b).map(formatDay);
}

describe('one calendar for a listing and the direct grade it brings', () => {
  it('the demo holds listed subjects, open-ended ones and exits among them', () => {
    expect(cases.length).toBeGreaterThan(20);
    const types = new Set(cases.flatMap((c) => c.records.map((r) => r.type)));
    expect(types).toContain('court.judgment_defaulter_refusing');
    expect(types).toContain('court.judgment_performed');
  });

  it('for every demo subject, the direct grade is in force on the days the listing is, and its validity after', () => {
    const exits = new Set(lists.byCode.get(COURT)!.exitOn);
    const dayOf = (r: EngineRecord) => r.decidedAt ?? r.occurredAt;
    let checked = 0;
    let listedDays = 0;
    let afterDays = 0;
    for (const c of cases) {
      for (const asOf of daysFor(c)) {
        const entries = computeEntries({
          subject: c.subject,
          records: c.records,
          lists,
          catalogue,
          calendar,
          asOf,
        }).filter((e) => e.list === COURT);
        const listed = entries.some((e) => e.status === 'active');
        // A listing that has run out leaves its grade until the type's validity (D: five years from
        // the decision) unless an exit record of its case came (REFERENCE: direct grade D 5 years).
        const after = c.records.some(
          (r) =>
            followers.has(r.type) &&
            entries.some(
              (e) => ['EXPIRED', 'PERFORMED'].includes(e.reason_code) && e.reasonRecordIds.includes(r.id),
            ) &&
            asOf < formatDay(addMonths(parseDay(dayOf(r)), catalogue.get(r.type)!.validity_years * 12)) &&
            !c.records.some(
              (x) =>
                exits.has(x.type) &&
                r.evidence !== null &&
                x.evidence === r.evidence &&
                dayOf(x) >= dayOf(r) &&
                dayOf(x) <= asOf,
            ),
        );
        const score = scoreSubject({ subject: c.subject, records: c.records, policy, catalogue, asOf });
        const graded = score.breakdown.some((b) => followers.has(b.type) && b.directGrade === 'D');
        expect(graded, `subject ${c.subject.id} on ${asOf}`).toBe(listed || after);
        checked++;
        if (listed) listedDays++;
        else if (after) afterDays++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect(listedDays).toBeGreaterThan(100);
    expect(afterDays).toBeGreaterThan(10);
    expect(checked - listedDays).toBeGreaterThan(100);
  });
});
