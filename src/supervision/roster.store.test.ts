/**
 * An inspector already on a roster is updated with what is given only, on both backends, one at a
 * time or by upload: a name or conflicts left out keep what the roster holds (else a re-sent code
 * would lose its declared conflicts and the draw could send it where it declared one), and an
 * explicit empty list clears them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { fixedClock, type Principal } from '../context.ts';
import { makeUscc } from '../identity/index.ts';
import type { Platform } from '../platform/index.ts';
import { registerSource } from '../sources/index.ts';
import { addInspector, addInspectors } from './index.ts';

const A = makeUscc('9', '1', '110105', '40000001');
const B = makeUscc('9', '1', '110105', '40000002');
const operator: Principal = { id: 'operator:test', role: 'operator' };

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('roster updates', backend), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    const stored = async (code: string) =>
      (await p.store.inspections.listInspectors('samr')).find((i) => i.code === code);

    beforeAll(async () => {
      ({ platform: p, cleanup } = await backend.open({ clock: fixedClock('2026-11-02T09:00:00Z') }));
      await registerSource({
        ctx: p.ctx(operator, 'set up'),
        catalogue: p.catalogue,
        input: { code: 'samr', kind: 'market_regulator', name: 'Market regulator', legalBasis: 'test' },
      });
    }, 120_000);
    afterAll(async () => cleanup?.());

    it('one at a time: keeps the name and conflicts not given, clears conflicts when told', async () => {
      const ctx = p.ctx(operator, 'roster');
      const put = (input: { name?: string; conflicts?: string[] }) =>
        addInspector({ ctx, input: { code: 'i-1', regulator: 'samr', ...input } });
      expect(await put({ name: 'Wang', conflicts: [A] })).toMatchObject({ change: 'added' });
      expect(await put({})).toMatchObject({ change: 'unchanged', name: 'Wang', conflicts: [A] });
      expect(await stored('i-1')).toMatchObject({ name: 'Wang', conflicts: [A] });
      const renamed = await put({ name: 'Wang Wei' });
      expect(renamed).toMatchObject({ change: 'updated', name: 'Wang Wei', conflicts: [A] });
      expect(renamed.previous).toMatchObject({ name: 'Wang', conflicts: [A] });
      expect(await put({ conflicts: [] })).toMatchObject({
        change: 'updated',
        name: 'Wang Wei',
        conflicts: [],
      });
      expect(await stored('i-1')).toMatchObject({ name: 'Wang Wei', conflicts: [] });
    });

    it('by upload: a line states only what it changes', async () => {
      const ctx = p.ctx(operator, 'roster');
      const upload = (values: object[]) =>
        addInspectors({
          ctx,
          input: { regulator: 'samr', lines: values.map((value, i) => ({ line: i + 1, value })) },
        });
      await upload([{ code: 'i-2', name: 'Li', conflicts: [A, B] }]);
      const again = await upload([{ code: 'i-2' }, { code: 'i-3' }]);
      expect(again.map((x) => [x.entry.code, x.change])).toEqual([
        ['i-2', 'unchanged'],
        ['i-3', 'added'],
      ]);
      expect(await stored('i-2')).toMatchObject({ name: 'Li', conflicts: [A, B].sort() });
      expect(await stored('i-3')).toMatchObject({ name: 'i-3', conflicts: [] });
      const cleared = await upload([{ code: 'i-2', conflicts: [] }]);
      expect(cleared[0]).toMatchObject({ change: 'updated', entry: { name: 'Li', conflicts: [] } });
    });
  });
}
