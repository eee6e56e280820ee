/**
 * Issuing a token checks whom it stands for, on both backends: an identifier is kept as the
 * subject lookup reads it (upper case), so a token issued with a lower-case x reads its own file; a
 * rater is a person; an inspector is on a roster; the operator and the auditor stand for no one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import type { Principal } from '../context.ts';
import { makeResidentId, makeUscc } from '../identity/index.ts';
import { importSubjects } from '../ingest/index.ts';
import type { Platform } from '../platform/index.ts';
import { getOwnFile, ownFileDeps } from '../rights/index.ts';
import { CredenceError } from '../shared/errors.ts';
import { registerSource } from '../sources/index.ts';
import { addInspector } from '../supervision/index.ts';
import { authenticate, type IssueTokenInput, issueToken } from './index.ts';

const operator: Principal = { id: 'operator:test', role: 'operator' };

/** A valid resident ID whose check character is X (one in eleven orders has it). */
const withX = (() => {
  for (let order = 1; order < 1000; order++) {
    const id = makeResidentId('150124', '1983-10-27', order);
    if (id.endsWith('X')) return id;
  }
  throw new Error('no X');
})();
const shop = makeUscc('9', '1', '110105', '32000001');

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('whom a token stands for', backend), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    const issue = (input: IssueTokenInput) => issueToken({ ctx: p.ctx(operator, 'test'), input });
    const refused = async (input: IssueTokenInput) => {
      const e = await issue(input).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e, JSON.stringify(input)).toBeInstanceOf(CredenceError);
      expect((e as CredenceError).code).toBe('invalid_input');
      expect((e as CredenceError).issues[0]?.field).toBe('ref');
      return (e as CredenceError).message;
    };

    beforeAll(async () => {
      ({ platform: p, cleanup } = await backend.open());
      const ctx = p.ctx(operator, 'set up');
      const imported = await importSubjects({
        ctx,
        input: {
          lines: [
            { line: 1, value: { kind: 'person', id_number: withX, name: '王芳' } },
            { line: 2, value: { kind: 'organization', uscc: shop, name: '小店' } },
          ],
        },
      });
      expect(imported.rejected).toBe(0);
      await registerSource({
        ctx,
        catalogue: p.catalogue,
        input: { code: 'samr', kind: 'market_regulator', name: 'Market regulator', legalBasis: 'test' },
      });
      await addInspector({ ctx, input: { code: 'insp-1', regulator: 'samr' } });
    }, 120_000);
    afterAll(async () => cleanup?.());

    it('keeps a subject identifier typed with a lower-case x as the lookup reads it, so the token reads its own file', async () => {
      const lower = withX.toLowerCase();
      const { token, row } = await issue({ role: 'subject', label: 'citizen', ref: lower });
      expect(row.principal).toBe(`subject:${withX}`);
      const principal = await authenticate(p.store, token);
      expect(principal.ref).toBe(withX);
      const own = await getOwnFile({
        ctx: p.ctx(principal, 'read my file'),
        input: {},
        deps: ownFileDeps(p),
      });
      expect(JSON.stringify(own)).toContain(withX);
      // The same for a rater: its ratings are its own subject's.
      const rater = await issue({ role: 'rater', label: 'rater', ref: lower });
      expect(rater.row.principal).toBe(`rater:${withX}`);
    });

    it("refuses a rater that is not a person's resident ID: only persons rate", async () => {
      expect(await refused({ role: 'rater', label: 'shop', ref: shop })).toMatch(
        /a rater token names a person by resident identity number, and \S+ is an organization's or public body's code: only persons rate/,
      );
      expect(await refused({ role: 'rater', label: 'typo', ref: 'nobody' })).toMatch(
        /a rater token names a person by resident identity number, and nobody is not one/,
      );
    });

    it('refuses an inspector that is on no roster, and takes one that is', async () => {
      expect(await refused({ role: 'inspector', label: 'ghost', ref: 'insp-9' })).toBe(
        "no inspector with the code insp-9 is on a regulator's roster (`credence inspections roster` puts one there)",
      );
      const { row } = await issue({ role: 'inspector', label: 'inspector one', ref: 'insp-1' });
      expect(row.principal).toBe('inspector:insp-1');
    });

    it('refuses a ref for the operator and the auditor, which stand for no one', async () => {
      for (const role of ['operator', 'auditor'] as const)
        expect(await refused({ role, label: 'desk', ref: 'someone' })).toBe(
          `an ${role} token stands for no one: give it no ref (its label names the holder)`,
        );
      const { row } = await issue({ role: 'auditor', label: 'desk' });
      expect(row.principal).toMatch(/^auditor:desk#\d+$/);
    });
  });
}
