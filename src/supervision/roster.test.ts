/** A roster entry is checked field by field before anything is stored: what the draw could not read never gets in. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeUscc } from '../identity/index.ts';
import { rosterSnapshotHash } from './draw.ts';
import { checkRosterEntry } from './roster.ts';

const uscc = makeUscc('9', '1', '110105', '30000001');

describe('checkRosterEntry', () => {
  it('names the line and field of each problem, with the value escaped and cut short', () => {
    const r = checkRosterEntry(
      { code: `a\u0000${'x'.repeat(300)}`, name: 'a\u202eb', conflicts: ['x', uscc], extra: 1 },
      7,
    );
    expect(r.issues?.map((i) => [i.line, i.field])).toEqual([
      [7, 'extra'],
      [7, 'code'],
      [7, 'name'],
      [7, 'conflicts[0]'],
    ]);
    expect(r.issues?.[1]?.message).toMatch(/^"a\\u0000x+…" is not an inspector code/);
  });

  it('normalises conflicts (upper case, unique, sorted) and defaults the name to the code', () => {
    expect(checkRosterEntry({ code: 'i-1', conflicts: [uscc.toLowerCase(), ` ${uscc} `] })).toEqual({
      entry: { code: 'i-1', name: 'i-1', conflicts: [uscc] },
    });
  });

  it('lets in only entries the draw can put in its roster snapshot', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80 }),
        fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
        (code, conflicts) => {
          const r = checkRosterEntry({ code, conflicts });
          if (r.entry)
            expect(() =>
              rosterSnapshotHash([{ id: r.entry.code, conflicts: r.entry.conflicts }]),
            ).not.toThrow();
        },
      ),
    );
  });
});
