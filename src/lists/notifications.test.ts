import { expect, it } from 'vitest';
import { computeEntries } from './entries.ts';
import { listingShortened, notificationsFor } from './notifications.ts';
import { calendar, catalogue, entriesOf, listsWithGraceList, on, person, record } from './test-helpers.ts';

const graceEntries = (records: ReturnType<typeof record>[], asOf: string) =>
  on(
    computeEntries({ subject: person(), records, lists: listsWithGraceList, catalogue, calendar, asOf }),
    'focus.grace_test',
  );

it('tells the subject when a court listing took effect and ended, with no warning the court did not give', () => {
  const r = record('court.judgment_defaulter', '2025-03-03', { evidence: 'E' });
  const performed = record('court.judgment_performed', '2025-07-01', { evidence: 'E' });
  const early = notificationsFor(entriesOf(person(), [r], '2025-03-05'), '2025-03-05');
  expect(early.map((n) => [n.kind, n.day])).toEqual([['listing_effective', '2025-03-03']]);
  const late = notificationsFor(entriesOf(person(), [r, performed], '2025-07-02'), '2025-07-02');
  expect(late.map((n) => [n.kind, n.day])).toEqual([
    ['listing_effective', '2025-03-03'],
    ['listing_ended', '2025-07-01'],
  ]);
  // The same events keep the same keys, so they are stored once.
  expect(late[0]!.key).toBe(early[0]!.key);
});

it('warns before a platform-derived entry takes effect (product rule 8)', () => {
  const r = record('court.consumption_restriction', '2025-03-03', { evidence: 'R' });
  const early = notificationsFor(graceEntries([r], '2025-03-05'), '2025-03-05');
  expect(early.map((n) => [n.kind, n.day])).toEqual([['listing_warning', '2025-03-03']]);
  expect(early[0]!.text).toContain('2025-03-13');
  const later = notificationsFor(graceEntries([r], '2025-03-20'), '2025-03-20');
  expect(later.map((n) => [n.kind, n.day])).toEqual([
    ['listing_warning', '2025-03-03'],
    ['listing_effective', '2025-03-13'],
  ]);
  expect(later[0]!.key).toBe(early[0]!.key);
});

it('promises a cure only where the list has an exit; elsewhere names the objection', () => {
  const r = record('court.consumption_restriction', '2025-03-03', { evidence: 'R' });
  const entries = graceEntries([r], '2025-03-05');
  const [curable] = notificationsFor(entries, '2025-03-05');
  expect(curable!.text).toContain('unless you perform the obligation or correct the violation before then');
  expect(curable!.text).toContain(`you may object to the records it rests on (${r.id}) before then too`);
  const [warning] = notificationsFor(entries, '2025-03-05', () => false);
  expect(warning!.text).not.toContain('perform');
  expect(warning!.text).toContain(`you may object to the records it rests on (${r.id}) before then`);
});

it('a cure within the grace period is announced, and nothing says the listing took effect', () => {
  const r = record('court.consumption_restriction', '2025-03-03', { evidence: 'R' });
  const cure = record('court.judgment_performed', '2025-03-06', { evidence: 'R' });
  const notes = notificationsFor(graceEntries([r, cure], '2025-04-01'), '2025-04-01');
  expect(notes.map((n) => n.kind)).toEqual(['listing_warning', 'listing_ended']);
  expect(notes[1]!.text).toMatch(/will not be placed/);
});

it('an excluded minor gets no listing notifications', () => {
  const r = record('court.judgment_defaulter', '2025-03-03');
  expect(notificationsFor(entriesOf(person(1, '2010-01-01'), [r], '2025-04-01'), '2025-04-01')).toEqual([]);
});

it('tells the subject each time a further case or an extension makes the listing last longer', () => {
  const r = record('court.judgment_defaulter', '2025-03-03', { evidence: 'E1' });
  const second = record('court.judgment_defaulter', '2025-06-02', { evidence: 'E2' });
  const violence = record('court.violent_obstruction', '2025-09-01', { evidence: 'E3' });
  const first = notificationsFor(entriesOf(person(), [r, second], '2025-06-03'), '2025-06-03');
  expect(first.map((n) => [n.kind, n.day])).toEqual([
    ['listing_effective', '2025-03-03'],
    ['listing_extended', '2025-06-02'],
  ]);
  expect(first[1]!.text).toContain('now lasts until 2027-06-02');
  const later = notificationsFor(entriesOf(person(), [r, second, violence], '2025-09-02'), '2025-09-02');
  expect(later.map((n) => [n.kind, n.day])).toEqual([
    ['listing_effective', '2025-03-03'],
    ['listing_extended', '2025-09-01'],
  ]);
  expect(later[1]!.text).toMatch(/extended by 12 months in all.*now lasts until 2028-06-02/);
  // A new day is a new notification: the first one, stored already, is kept beside it.
  expect(later[1]!.key).not.toBe(first[1]!.key);
  // A further case that ends no later than the listing already does lengthens nothing, and nothing
  // more is said ("able but refuses" lasts until the obligation is met).
  const refusing = record('court.judgment_defaulter_refusing', '2025-03-03', { evidence: 'E4' });
  const quiet = notificationsFor(entriesOf(person(), [refusing, second], '2025-06-03'), '2025-06-03');
  expect(quiet.map((n) => n.kind)).toEqual(['listing_effective']);
});

it('tells a subject whose entry now ends earlier its new end, on the day found, and what it was to end', () => {
  const e = { subjectId: 7, listCode: 'black.court_defaulters', from: '2025-06-01', until: '2027-06-01' };
  const dated = listingShortened({ ...e, untilBefore: '2028-01-10' }, '2026-03-01');
  // Dated the day it was found, as a removal is, not its new end (a future day that would sort it
  // above everything said after it).
  expect(dated).toMatchObject({ kind: 'listing_shortened', listCode: e.listCode, effective: '2026-03-01' });
  expect(dated.message).toContain(
    'Your entry on list black.court_defaulters from 2025-06-01 now ends on 2027-06-01 (it was to end on 2028-01-10)',
  );
  const open = listingShortened({ ...e, untilBefore: null }, '2026-03-01');
  expect(open.message).toContain('now ends on 2027-06-01 (it was to end when the obligation was met)');
  // A second shortening, to another day, found the same day: the same notification, new text.
  const again = listingShortened({ ...e, until: '2026-12-01', untilBefore: '2027-06-01' }, '2026-03-01');
  expect(again.effective).toBe('2026-03-01');
  expect(again.message).toContain('now ends on 2026-12-01 (it was to end on 2027-06-01)');
});
