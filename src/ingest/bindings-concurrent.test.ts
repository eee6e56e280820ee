/**
 * Feeds that name an organization's legal representative at the same moment, from two processes,
 * on every backend. An organization has one legal representative in force at a time, and linkage
 * (its listings reaching that person's checks and score) follows it: when the registry import and
 * the market regulator's feed each name another person for one company at once, exactly one of
 * them may be left in force, and the company's file must name that one — never several persons
 * bound at once, each then answering for the company's listings.
 */
import { describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { makeResidentId, makeUscc } from '../identity/index.ts';
import type { Platform } from '../platform/index.ts';
import { registerSource } from '../sources/index.ts';
import { importSubjects, ingestRecords } from './index.ts';

const COMPANY = makeUscc('9', '1', '110105', '43000001');
const PERSONS = Array.from({ length: 9 }, (_, i) => makeResidentId('360426', '1972-02-02', 11 + i * 2));
const NAMES = ['王芳', '李强', '张敏', '刘洋', '陈静', '杨军', '赵丽', '黄勇', '周娟'];
const operator = (n: number) => ({ id: `operator:feeds-${n}`, role: 'operator' as const });

/** The operator's registry import of the company with this legal representative. */
const register = (p: Platform, person: number) =>
  importSubjects({
    ctx: p.ctx(operator(person), 'registry import'),
    input: {
      lines: [
        {
          line: 1,
          value: {
            kind: 'organization',
            uscc: COMPANY,
            name: '甲公司',
            legal_representative: { id_number: PERSONS[person]!, name: NAMES[person]! },
          },
        },
      ],
    },
  });

/** The market regulator's line about the company, naming this person its legal representative. */
const regulatorLine = (p: Platform, person: number) =>
  ingestRecords({
    ctx: p.ctx(operator(person), 'market regulator feed'),
    input: {
      source: 'samr-c',
      catalogue: p.catalogue,
      lines: [
        {
          line: 1,
          value: {
            source_record_id: `warning-${person}`,
            type: 'market.administrative_warning',
            subject: {
              kind: 'organization',
              uscc: COMPANY,
              name: '甲公司',
              legal_representative: { id_number: PERSONS[person]!, name: NAMES[person]! },
            },
            occurred_at: '2026-01-02',
          },
        },
      ],
    },
  });

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('legal representatives named at once', b), () => {
    it('leaves exactly one legal representative in force, the one the company file names', async () => {
      const { platform: p, cleanup, another } = await b.open();
      const q = await another();
      try {
        await registerSource({
          ctx: p.ctx(operator(0), 'set up'),
          catalogue: p.catalogue,
          input: { code: 'samr-c', kind: 'market_regulator' },
        });
        expect((await register(p, 0)).rejected).toBe(0);
        // Eight feeds at once, from two processes: four registry imports, four regulator lines.
        const outcomes = await Promise.all(
          [1, 2, 3, 4, 5, 6, 7, 8].map((n) =>
            n <= 4 ? register(n % 2 ? p : q, n) : regulatorLine(n % 2 ? p : q, n),
          ),
        );
        for (const o of outcomes) expect(o.rejected).toBe(0);

        const company = (await p.store.findSubjectByIdentifier(COMPANY))!;
        const bindings = await p.store.listBindings({ organizationIds: [company.id] });
        const inForce = bindings.filter((x) => x.role === 'legal_representative' && x.validUntil === null);
        expect(inForce).toHaveLength(1);
        expect(company.legalRepId).toBe(inForce[0]!.personId);
        // Every person named was bound for a while, one after the other.
        expect(new Set(bindings.map((x) => x.personId)).size).toBe(PERSONS.length);
      } finally {
        await q.close();
        await cleanup();
      }
    }, 60_000);
  });
}
