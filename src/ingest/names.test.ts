/**
 * A person's name is only a name (product rule 2): a source's line that would put a person on file
 * under a name carrying a protected category ("王伟（穆斯林）") or a remark is refused, naming the
 * field, and nothing of the line is kept — since a person's name is never renamed, it would stand
 * in the file for good and refuse the person's real records by the name check. A person already on
 * file under an unusual name (from the registration file) is named by it as before, and an
 * organization's lawful name may hold any word. On both backends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { makeResidentId, makeUscc } from '../identity/index.ts';
import type { Platform } from '../platform/index.ts';
import { registerSource } from '../sources/index.ts';
import { importSubjects, ingestRecords, type LineOutcome } from './index.ts';

const operator = { id: 'operator:test', role: 'operator' as const };
const WANG = makeResidentId('360426', '1985-01-01', 11);
const LI = makeResidentId('360426', '1986-02-02', 21);
const ZHAO = makeResidentId('360426', '1987-03-03', 31);
const CHEN = makeResidentId('360426', '1988-04-04', 41);
const COMPANY = makeUscc('9', '1', '110105', '44000001');
const ASSOCIATION = makeUscc('5', '1', '110105', '44000002');

const warning = (id: string, subject: object) => ({
  source_record_id: id,
  type: 'market.administrative_warning',
  subject,
  occurred_at: '2026-01-02',
});

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle("persons' names on file", b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    const send = async (lines: object[]) => {
      const outcomes: LineOutcome[] = [];
      await ingestRecords({
        ctx: p.ctx({ id: 'source:samr-n', role: 'source', ref: 'samr-n' }, 'submit records'),
        input: {
          source: 'samr-n',
          catalogue: p.catalogue,
          lines: lines.map((value, i) => ({ line: i + 1, value })),
          onLine: (o) => outcomes.push(o),
        },
      });
      return outcomes;
    };
    const onFile = async (identifier: string) => (await p.store.findSubjectByIdentifier(identifier))?.name;

    beforeAll(async () => {
      ({ platform: p, cleanup } = await b.open());
      await registerSource({
        ctx: p.ctx(operator, 'set up'),
        catalogue: p.catalogue,
        input: { code: 'samr-n', kind: 'market_regulator' },
      });
    });
    afterAll(() => cleanup());

    it("refuses a line that would put a protected category or a remark in a person's name, keeping the rest", async () => {
      const out = await send([
        warning('n-1', { kind: 'person', id_number: WANG, name: '王伟（穆斯林，艾滋病患者）' }),
        warning('n-2', { kind: 'person', id_number: WANG, name: '王伟穆斯林' }),
        warning('n-3', {
          kind: 'organization',
          uscc: COMPANY,
          name: '甲公司',
          legal_representative: { id_number: LI, name: '李娜 党员' },
        }),
        warning('n-4', { kind: 'person', id_number: ZHAO, name: '赵敏' }),
      ]);
      expect(out.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected', 'stored']);
      expect(out[0]).toMatchObject({
        field: 'subject.name',
        reason: expect.stringContaining('only letters'),
      });
      expect(out[1]).toMatchObject({
        field: 'subject.name',
        reason: expect.stringContaining('protected category (religion_or_belief: "穆斯林")'),
      });
      expect(out[2]).toMatchObject({
        field: 'subject.legal_representative.name',
        reason: expect.stringContaining('political_opinion'),
      });
      // Nothing of the refused lines is on file: neither the persons nor the company they named.
      expect(await onFile(WANG)).toBeUndefined();
      expect(await onFile(LI)).toBeUndefined();
      expect(await onFile(COMPANY)).toBeUndefined();
      expect(await onFile(ZHAO)).toBe('赵敏');

      // Sent again with the names alone, the lines are kept.
      const again = await send([
        warning('n-5', { kind: 'person', id_number: WANG, name: '王伟' }),
        warning('n-6', {
          kind: 'organization',
          uscc: COMPANY,
          name: '甲公司',
          legal_representative: { id_number: LI, name: '李娜' },
        }),
      ]);
      expect(again.map((o) => o.status)).toEqual(['stored', 'stored']);
      expect(await onFile(WANG)).toBe('王伟');
    });

    it('names a person on file by the name the registration file gave, and takes any lawful organization name', async () => {
      // The registration file is the authority on names; this one happens to hold a listed word.
      const imported = await importSubjects({
        ctx: p.ctx(operator, 'registry import'),
        input: { lines: [{ line: 1, value: { kind: 'person', id_number: CHEN, name: '陈信仰' } }] },
      });
      expect(imported.rejected).toBe(0);
      const out = await send([
        warning('n-7', { kind: 'person', id_number: CHEN, name: '陈信仰' }),
        warning('n-8', { kind: 'organization', uscc: ASSOCIATION, name: '某市佛教协会' }),
      ]);
      expect(out.map((o) => o.status)).toEqual(['stored', 'stored']);
      expect(await onFile(ASSOCIATION)).toBe('某市佛教协会');
    });
  });
}
