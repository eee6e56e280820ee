/**
 * Key factors as the subject reads them in its own file and printable report (product rule 5):
 * an organization's record that counts for its legal representative names the organization by its
 * name and USCC (never a database id), in the tense of the binding today; a listing is told from
 * the day it took effect; a factor of no points says what it does to the grade. SQLite only: the
 * file's reads run on both backends in own-file.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../test/platforms.ts';
import { fixedClock, type Principal } from '../context.ts';
import { makeResidentId } from '../identity/index.ts';
import { ingestRecords } from '../ingest/index.ts';
import type { Platform } from '../platform/index.ts';
import { getScoreReport } from '../scoring/index.ts';
import { registerSource } from '../sources/index.ts';
import { getOwnFile, ownFileDeps, renderReport } from './index.ts';

const operator: Principal = { id: 'operator:test', role: 'operator' };
const REP = makeResidentId('110105', '1980-01-01', 4);
const NEXT_REP = makeResidentId('110105', '1981-02-02', 5);
const LISTED = makeResidentId('110105', '1975-03-03', 6);
const USCC = '91110105MA0123453U';
const ORG = { kind: 'organization', uscc: USCC, name: '北京测试科技有限公司' };
const sqlite = testBackends().find((b) => b.name === 'sqlite')!;

describe('key factors in the own file and the report', () => {
  let p: Platform;
  let cleanup: () => Promise<void>;
  const at = (day: string) => fixedClock(`${day}T09:00:00Z`);
  const send = async (source: string, day: string, lines: object[]) => {
    const ctx = { ...p.ctx(operator, 'test feed'), clock: at(day) };
    const r = await ingestRecords({
      ctx,
      input: {
        source,
        catalogue: p.catalogue,
        lines: lines.map((value, i) => ({ line: i + 1, value })),
        afterBatch: async (ids) => {
          await p.refreshSubjects(ctx, ids);
        },
      },
    });
    expect(r.rejected).toBe(0);
  };
  const ownFile = (idNumber: string, day: string) =>
    getOwnFile({
      ctx: {
        ...p.ctx({ id: `subject:${idNumber}`, role: 'subject', ref: idNumber }, 'read own file'),
        clock: at(day),
      },
      input: {},
      deps: ownFileDeps(p),
    });

  beforeAll(async () => {
    ({ platform: p, cleanup } = await sqlite.open({ clock: at('2026-03-02') }));
    for (const kind of ['court', 'tax', 'market_regulator'])
      await registerSource({
        ctx: p.ctx(operator, 'set up'),
        catalogue: p.catalogue,
        input: { code: kind, kind },
      });
    // The market regulator registers the company with its legal representative, who is bound
    // when the tax office finds serious evasion; a new representative takes over later.
    await send('market_regulator', '2026-01-05', [
      {
        source_record_id: 'm1',
        type: 'market.administrative_penalty',
        subject: { ...ORG, legal_representative: { id_number: REP, name: '李娜' } },
        occurred_at: '2026-01-02',
      },
    ]);
    await send('tax', '2026-01-10', [
      {
        source_record_id: 't1',
        type: 'tax.serious_evasion',
        subject: ORG,
        occurred_at: '2026-01-08',
        amount: 2_000_000,
        evidence: '京税稽罚〔2026〕1号',
      },
    ]);
    // Listed by the court on 2025-11-18 for a judgment unperformed since 2024-12-03.
    await send('court', '2026-01-10', [
      {
        source_record_id: 'c1',
        type: 'court.judgment_defaulter',
        subject: { kind: 'person', id_number: LISTED, name: '王芳' },
        occurred_at: '2024-12-03',
        decided_at: '2025-11-18',
        amount: 80_000,
        evidence: '(2025)京0105执200号',
      },
    ]);
  });
  afterAll(async () => cleanup?.());

  it("names the represented organization by name and USCC, in the binding's tense", async () => {
    const linked = (f: Awaited<ReturnType<typeof ownFile>>) =>
      f.score.key_factors.find((k) => k.type === 'tax.serious_evasion')!;
    const subject = await p.store.findSubjectByIdentifier(USCC);
    const before = linked(await ownFile(REP, '2026-01-20'));
    expect(before.text).toContain(`a record of ${ORG.name} (${USCC}), which this subject represents`);
    expect(before.organization).toBe(ORG.name);
    await send('market_regulator', '2026-02-01', [
      {
        source_record_id: 'm2',
        type: 'market.administrative_penalty',
        subject: { ...ORG, legal_representative: { id_number: NEXT_REP, name: '赵敏' } },
        occurred_at: '2026-01-30',
      },
    ]);
    // The act was the old representative's time: it still counts for it, told in the past.
    const after = linked(await ownFile(REP, '2026-03-02'));
    expect(after.text).toContain(`a record of ${ORG.name} (${USCC}), which this subject represented)`);
    for (const text of [before.text, after.text])
      expect(text).not.toMatch(new RegExp(`organization ${subject!.id}\\b`));
  });

  it('the score report names it the same way, as of the day asked', async () => {
    const report = (day: string, asOf: string) =>
      getScoreReport({
        ctx: { ...p.ctx(operator, 'read a score'), clock: at(day) },
        deps: { policy: p.scoringPolicy, catalogue: p.catalogue },
        input: { identifier: REP, asOf },
      });
    const text = async (asOf: string) =>
      (await report('2026-03-02', asOf)).keyFactors.find((k) => k.type === 'tax.serious_evasion')!.text;
    expect(await text('2026-01-20')).toContain(
      `a record of ${ORG.name} (${USCC}), which this subject represents`,
    );
    expect(await text('2026-03-02')).toContain(
      `a record of ${ORG.name} (${USCC}), which this subject represented)`,
    );
  });

  it('tells a listing from its decision day and says what it does to the grade', async () => {
    const f = await ownFile(LISTED, '2026-03-02');
    expect(f.score.grade).toBe('DA');
    const [k] = f.score.key_factors;
    expect(k).toMatchObject({
      type: 'court.judgment_defaulter',
      date: '2025-11-18',
      points: 0,
      grade: { letter: 'D', binds: true },
    });
    expect(k!.text).toMatch(
      /^Listed as a dishonest judgment defaulter on 2025-11-18, which sets the grade to D/,
    );
    const html = (lang: 'en' | 'fr' | 'zh-CN') => renderReport(f, { lang });
    expect(html('en')).toContain(
      '<code>court.judgment_defaulter</code> — November 18, 2025: sets the grade to D</h3>',
    );
    expect(html('en')).not.toContain(': 0 points');
    expect(html('fr')).toContain('fixe la catégorie à D');
    expect(html('zh-CN')).toContain('直接评为D级');
  });
});
