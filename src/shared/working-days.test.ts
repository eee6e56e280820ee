import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDay, parseDay } from './days.ts';
import { isCredenceError } from './errors.ts';
import {
  calendarCoverageWarning,
  DEFAULT_CALENDAR_PATH,
  loadWorkingCalendar,
  parseWorkingCalendar,
  STATUTORY_BY_DATE,
  type WorkingCalendar,
} from './working-days.ts';

const d = parseDay;
const add = (cal: WorkingCalendar, from: string, n: number) => formatDay(cal.addWorkingDays(d(from), n));

/** A one-year calendar with the given holiday blocks and make-up days. */
const yamlWith = (holidays: string, workingDays: string, covers = '{ from: 2026, to: 2026 }') => `
covers: ${covers}
years:
  - year: 2026
    basis: test notice
    holidays:
${holidays}
    working_days: ${workingDays}
`;

/** The message of the `invalid_input` the parser throws. */
const refusal = (text: string): string => {
  try {
    parseWorkingCalendar(text, 'test.yaml');
  } catch (e) {
    if (isCredenceError(e) && e.code === 'invalid_input') return e.message;
    throw e;
  }
  throw new Error('the calendar was accepted');
};

describe('the calendar shipped in policies/calendar.yaml', () => {
  let cal: WorkingCalendar;
  beforeAll(async () => {
    cal = await loadWorkingCalendar();
  });

  it('covers 2022 to 2026 and carries the sha256 of its text as its version', () => {
    expect(cal.coveredFrom).toBe('2022-01-01');
    expect(cal.coveredUntil).toBe('2026-12-31');
    expect(cal.version).toMatch(/^[0-9a-f]{64}$/);
    expect(parseWorkingCalendar(readFileSync(DEFAULT_CALENDAR_PATH, 'utf8')).version).toBe(cal.version);
    expect(cal.covers(d('2022-01-01'))).toBe(true);
    expect(cal.covers(d('2026-12-31'))).toBe(true);
    expect(cal.covers(d('2021-12-31'))).toBe(false);
    expect(cal.covers(d('2027-01-01'))).toBe(false);
  });

  it('does not count public holidays: five working days from 2026-09-30 skip the National Day block', () => {
    // Wed 30 Sep; 1–7 Oct off; Sat 10 Oct is a make-up working day.
    expect(cal.isWorkingDay(d('2026-10-05'))).toBe(false); // a Monday inside the block
    expect(cal.holidayName(d('2026-10-05'))).toBe('National Day');
    expect(add(cal, '2026-09-30', 1)).toBe('2026-10-08');
    expect(add(cal, '2026-09-30', 3)).toBe('2026-10-10');
    expect(add(cal, '2026-09-30', 5)).toBe('2026-10-13');
    expect(cal.workingDaysBetween(d('2026-09-30'), d('2026-10-09'))).toBe(2);
  });

  it('counts make-up Saturdays and Sundays', () => {
    expect(cal.isWorkingDay(d('2026-02-14'))).toBe(true);
    expect(cal.isWorkingDay(d('2026-02-28'))).toBe(true);
    expect(cal.isWorkingDay(d('2026-01-04'))).toBe(true); // a Sunday
    expect(cal.holidayName(d('2026-02-14'))).toBeUndefined();
    // Fri 13 Feb → Sat 14 Feb (make-up) → Spring Festival 15–23 Feb → Tue 24 Feb.
    expect(add(cal, '2026-02-13', 1)).toBe('2026-02-14');
    expect(add(cal, '2026-02-13', 2)).toBe('2026-02-24');
    // Fri 27 Feb → Sat 28 Feb (make-up) → Mon 2 Mar.
    expect(add(cal, '2026-02-27', 1)).toBe('2026-02-28');
    expect(add(cal, '2026-02-27', 2)).toBe('2026-03-02');
  });

  it('names the weekend days inside a holiday block, and skips ordinary weekends', () => {
    expect(cal.holidayName(d('2026-02-15'))).toBe('Spring Festival'); // a Sunday
    expect(cal.holidayName(d('2022-12-31'))).toBe("New Year's Day"); // the 2023 notice's block
    expect(cal.isWorkingDay(d('2024-02-09'))).toBe(true); // 2024 Spring Festival eve was not a day off
    expect(cal.isWorkingDay(d('2026-03-07'))).toBe(false); // an ordinary Saturday
    expect(cal.isWorkingDay(d('2026-03-08'))).toBe(false);
    expect(add(cal, '2026-03-06', 1)).toBe('2026-03-09'); // Fri → Mon
    expect(add(cal, '2026-03-04', 0)).toBe('2026-03-04');
    expect(add(cal, '2026-03-07', 0)).toBe('2026-03-07'); // n = 0 returns the day itself
  });

  it('has the published number of days off in each year', () => {
    // Days off that would otherwise be working days: 11 a year to 2024, 13 from 2025 (Decree 795).
    const expected: Record<number, number> = { 2022: 11, 2023: 11, 2024: 11, 2025: 13, 2026: 13 };
    for (const [y, n] of Object.entries(expected)) {
      let weekdays = 0;
      for (let day = d(`${y}-01-01`); day <= d(`${y}-12-31`); day++) {
        const w = (((day + 4) % 7) + 7) % 7;
        if (w !== 0 && w !== 6) weekdays++;
      }
      const working = cal.workingDaysBetween(d(`${Number(y) - 1}-12-31`), d(`${y}-12-31`));
      expect(weekdays - working, y).toBe(n);
    }
  });

  it('after the covered years, counts Monday to Friday less the days off the law fixes by date', () => {
    // 2027 is not covered yet: Fri 1 Jan, Mon 3 May, Fri 1 Oct are days off by law; Thu 7 Oct is not.
    expect(cal.isWorkingDay(d('2027-01-01'))).toBe(false);
    expect(cal.isWorkingDay(d('2027-05-03'))).toBe(true); // a Monday: only a notice could make it a day off
    expect(cal.isWorkingDay(d('2027-10-01'))).toBe(false);
    expect(cal.isWorkingDay(d('2027-10-07'))).toBe(true);
    expect(cal.isWorkingDay(d('2027-10-02'))).toBe(false);
    expect(cal.holidayName(d('2027-10-01'))).toMatch(/^National Day \(fixed by law/);
    expect(cal.holidayName(d('2027-10-04'))).toBeUndefined();
    // Before the covered years, Monday to Friday only.
    expect(cal.isWorkingDay(d('2021-10-01'))).toBe(true);
    expect(cal.holidayName(d('2021-10-01'))).toBeUndefined();
    // Thu 31 Dec 2026 + 2 → (Fri 1 Jan 2027 off by law) Mon 4, Tue 5 Jan.
    expect(add(cal, '2026-12-31', 2)).toBe('2027-01-05');
    // Fri 31 Dec 2021 + 1 → Mon 3 Jan 2022 is a holiday → Tue 4 Jan.
    expect(add(cal, '2021-12-31', 1)).toBe('2022-01-04');
    expect(cal.workingDaysBetween(d('2030-01-06'), d('2030-01-13'))).toBe(5);
    // 2031: 1 Jan a Wednesday, 1–2 May Thursday and Friday, 1–3 October Wednesday to Friday.
    expect(cal.workingDaysBetween(d('2030-12-31'), d('2031-12-31'))).toBe(261 - 6);
    // The warning says how days past the calendar are counted.
    expect(calendarCoverageWarning(cal, d('2027-03-01'))).toMatch(/1 January, 1–2 May and 1–3 October/);
  });

  it("puts every day the law fixes by date inside a holiday block of each covered year's notice", () => {
    for (const y of [2025, 2026])
      for (const { name, month, days } of STATUTORY_BY_DATE)
        for (const day of days) {
          const date = d(`${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
          expect(cal.holidayName(date), `${y}: ${name} ${month}/${day}`).toBeDefined();
          expect(cal.isWorkingDay(date)).toBe(false);
        }
  });

  it('keeps the statutory days of later years when a calendar covers them itself', () => {
    const covered = parseWorkingCalendar(
      yamlWith('      - { name: National Day, from: 2026-10-01, to: 2026-10-07 }', '[2026-09-27]'),
    );
    // 2026 is covered by this calendar: its notice rules (a Friday that no block names is a working day).
    expect(covered.isWorkingDay(d('2026-05-01'))).toBe(true);
    expect(covered.isWorkingDay(d('2027-05-01'))).toBe(false); // a Saturday anyway
    expect(covered.isWorkingDay(d('2028-05-01'))).toBe(false); // a Monday, off by law
    expect(covered.isWorkingDay(d('2028-05-03'))).toBe(true);
  });

  it('agrees with a day-by-day count, across and beyond the covered years', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: d('2020-06-01'), max: d('2028-06-01') }),
        fc.integer({ min: 0, max: 400 }),
        (day, n) => {
          let x = day;
          for (let left = n; left > 0; ) {
            x++;
            if (cal.isWorkingDay(x)) left--;
          }
          expect(cal.addWorkingDays(day, n)).toBe(x);
          expect(cal.workingDaysBetween(day, x)).toBe(n);
          expect(cal.workingDaysBetween(x, day) + n).toBe(0);
        },
      ),
    );
  });

  it('refuses a fractional or negative number of working days', () => {
    expect(() => cal.addWorkingDays(d('2026-03-02'), -1)).toThrow(/whole number ≥ 0/);
    expect(() => cal.addWorkingDays(d('2026-03-02'), 1.5)).toThrow(/whole number ≥ 0/);
  });
});

describe('the coverage warning', () => {
  const cal = parseWorkingCalendar(yamlWith('      []', '[]'));
  it('is silent when the calendar runs 12 months or more past today', () => {
    expect(calendarCoverageWarning(cal, d('2025-12-31'))).toBeUndefined();
  });
  it('warns when the calendar ends within 12 months, or has ended', () => {
    expect(calendarCoverageWarning(cal, d('2026-01-01'))).toMatch(/ends on 2026-12-31, within 12 months/);
    expect(calendarCoverageWarning(cal, d('2027-03-01'))).toMatch(/ended on 2026-12-31/);
  });
});

describe('parseWorkingCalendar refuses', () => {
  const ok = yamlWith('      - { name: Labour Day, from: 2026-05-01, to: 2026-05-05 }', '[2026-05-09]');

  it('nothing in a well-formed calendar', () => {
    const cal = parseWorkingCalendar(ok);
    expect(cal.isWorkingDay(d('2026-05-04'))).toBe(false);
    expect(cal.isWorkingDay(d('2026-05-09'))).toBe(true);
  });

  it('a range whose from is after its to', () => {
    expect(refusal(yamlWith('      - { name: Labour Day, from: 2026-05-05, to: 2026-05-01 }', '[]'))).toMatch(
      /years\[0\]\.holidays\[0\]\.to: 2026-05-01 is before from \(2026-05-05\) \(line \d+\)/,
    );
  });

  it('a make-up working day that is not a Saturday or Sunday', () => {
    expect(refusal(yamlWith('      []', '[2026-05-08]'))).toMatch(
      /years\[0\]\.working_days\[0\]: 2026-05-08 is not a Saturday or Sunday/,
    );
  });

  it('a make-up working day inside a holiday block, and overlapping blocks', () => {
    expect(
      refusal(yamlWith('      - { name: Labour Day, from: 2026-05-01, to: 2026-05-05 }', '[2026-05-02]')),
    ).toMatch(
      /years\[0\]\.working_days\[0\]: 2026-05-02 is listed twice: make-up working day .* and holiday Labour Day/,
    );
    expect(
      refusal(
        yamlWith(
          '      - { name: A, from: 2026-05-01, to: 2026-05-05 }\n      - { name: B, from: 2026-05-05, to: 2026-05-06 }',
          '[]',
        ),
      ),
    ).toMatch(/years\[0\]\.holidays\[1\]: 2026-05-05 is listed twice: holiday B .* and holiday A/);
    expect(refusal(yamlWith('      []', '[2026-05-09, 2026-05-09]'))).toMatch(
      /working_days\[1\]: 2026-05-09 is listed twice/,
    );
  });

  it('dates outside the covered years', () => {
    expect(
      refusal(yamlWith('      - { name: New Year, from: 2025-12-31, to: 2026-01-01 }', '[2027-01-02]')),
    ).toMatch(
      /holidays\[0\]\.from: 2025-12-31 is outside the covered years 2026–2026[\s\S]*working_days\[0\]: 2027-01-02 is outside the covered years/,
    );
  });

  it('a covered year without an entry, an entry outside the covers, and covers in the wrong order', () => {
    expect(refusal(yamlWith('      []', '[]', '{ from: 2025, to: 2026 }'))).toMatch(
      /years: 2025 is covered but has no entry/,
    );
    expect(refusal(yamlWith('      []', '[]', '{ from: 2027, to: 2027 }'))).toMatch(
      /years\[0\]\.year: 2026 is outside the covered years 2027–2027/,
    );
    expect(refusal(yamlWith('      []', '[]', '{ from: 2026, to: 2025 }'))).toMatch(
      /covers: from \(2026\) is after to \(2025\)/,
    );
  });

  it('a date that is not a real date, a missing field and an unknown field', () => {
    expect(refusal(yamlWith('      - { name: X, from: 2026-02-30, to: 2026-03-01 }', '[]'))).toMatch(
      /years\[0\]\.holidays\[0\]\.from: expected a real date \(YYYY-MM-DD\)/,
    );
    expect(refusal(yamlWith('      - { name: X, from: 2026-03-02 }', '[]'))).toMatch(
      /years\[0\]\.holidays\[0\]\.to: required/,
    );
    expect(refusal(`${ok}extra: 1\n`)).toMatch(/extra: unknown field/);
    expect(refusal('covers: [')).toMatch(/not valid YAML/);
  });
});
