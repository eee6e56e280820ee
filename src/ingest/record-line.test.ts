/**
 * The record contract line by line: ISO calendar dates from 1900 on, and a field of the wrong type
 * told apart from a missing one, each with its reason.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Catalogue, DEFAULT_CATALOGUE_PATH, loadCatalogueFile } from '../catalogue/index.ts';
import { makeResidentId } from '../identity/index.ts';
import { type CheckEnv, checkLine } from './record-line.ts';

let env: CheckEnv;
beforeAll(async () => {
  const catalogue: Catalogue = await loadCatalogueFile(DEFAULT_CATALOGUE_PATH);
  env = {
    catalogue,
    sourceCode: 'court-a',
    sourceKind: 'court',
    sourceTypes: new Set(['court.contract_lawsuit_lost']),
    today: '2026-06-01',
  };
});
const line = (occurred_at: unknown) => ({
  source_record_id: 'r1',
  type: 'court.contract_lawsuit_lost',
  subject: { kind: 'person', id_number: makeResidentId('110105', '1990-01-01', 7), name: '张伟' },
  occurred_at,
});

describe('record dates', () => {
  it.each(['2024-02-29', '2000-02-29', '1900-01-01', '2025-12-31', '2026-06-01'])('accepts %s', (d) => {
    expect(checkLine(line(d), env)).toMatchObject({ occurredAt: d });
  });
  it.each([
    ['2023-02-29', 'not a real calendar date'],
    ['1900-02-29', 'not a real calendar date'],
    ['2024-04-31', 'not a real calendar date'],
    ['2024-13-01', 'not a real calendar date'],
    ['2024-00-10', 'not a real calendar date'],
    ['2024-01-00', 'not a real calendar date'],
    ['1899-12-31', 'not a real calendar date'],
    ['2024-2-3', 'expected an ISO date YYYY-MM-DD'],
    ['2024-02-03T00:00:00Z', 'expected an ISO date YYYY-MM-DD'],
    [20240203, 'expected an ISO date YYYY-MM-DD'],
  ])('refuses %s: %s', (d, reason) => {
    expect(checkLine(line(d), env)).toEqual({ field: 'occurred_at', reason });
  });
});

describe('field types', () => {
  it('tells a value of the wrong type from a missing field', () => {
    expect(checkLine({ ...line('2024-01-02'), amount: 'abc' }, env)).toEqual({
      field: 'amount',
      reason: 'expected a number',
    });
    const { occurred_at: _, ...missing } = line('2024-01-02');
    expect(checkLine(missing, env)).toEqual({ field: 'occurred_at', reason: 'required field is missing' });
    expect(checkLine({ ...line('2024-01-02'), subject: { kind: 'person', name: '张伟' } }, env)).toEqual({
      field: 'subject.id_number',
      reason: 'required field is missing',
    });
    expect(checkLine({ ...line('2024-01-02'), source_record_id: 7 }, env)).toEqual({
      field: 'source_record_id',
      reason: 'expected text, unique per source',
    });
  });
});

describe('case references', () => {
  it('refuses a performance, a listing or a restriction without its case number, and keeps one that has it', () => {
    const types = ['court.judgment_performed', 'court.judgment_defaulter', 'court.consumption_restriction'];
    const courtEnv = { ...env, sourceTypes: new Set(types) };
    for (const type of types) {
      for (const evidence of [undefined, null, '', '  ']) {
        expect(checkLine({ ...line('2024-01-02'), type, evidence }, courtEnv), `${type} ${evidence}`).toEqual(
          {
            field: 'evidence',
            reason: `${type} must name its case (e.g. the court's case number) in evidence`,
          },
        );
      }
      expect(
        checkLine({ ...line('2024-01-02'), type, evidence: '(2024)川0104执1号' }, courtEnv),
      ).toMatchObject({
        type,
        evidence: '(2024)川0104执1号',
      });
    }
    // A type that needs none is accepted without it.
    expect(checkLine(line('2024-01-02'), env)).toMatchObject({ evidence: null });
  });
});

describe('text and amounts', () => {
  it('refuses a control character, a bidi override or an unpaired surrogate in any text field, naming it', () => {
    const at = (over: Record<string, unknown>) => checkLine({ ...line('2025-01-01'), ...over }, env);
    expect(at({ source_record_id: 'r\u0000' })).toMatchObject({
      field: 'source_record_id',
      reason: expect.stringMatching(/NUL/),
    });
    expect(at({ evidence: 'case \u2067123\u2069' })).toMatchObject({ field: 'evidence' });
    expect(
      at({
        subject: { kind: 'person', id_number: makeResidentId('110105', '1990-01-01', 7), name: '张\u202E伟' },
      }),
    ).toMatchObject({ field: 'subject.name', reason: expect.stringMatching(/U\+202E/) });
    expect(at({ note: 'a\ud800' })).toMatchObject({
      field: 'note',
      reason: expect.stringMatching(/surrogate/),
    });
    expect(at({ evidence: 'two\nlines' })).toMatchObject({
      field: 'evidence',
      reason: expect.stringMatching(/one line/),
    });
    // A note may span lines.
    expect(at({ note: 'paid\r\nin full\tlate' })).toMatchObject({ note: 'paid\r\nin full\tlate' });
  });

  it('refuses a protected category in its ID, evidence, a note or a correction’s reason, naming the field and the word (product rule 2)', () => {
    const at = (over: Record<string, unknown>) => checkLine({ ...line('2025-01-01'), ...over }, env);
    expect(at({ evidence: '(2025)京0105执123号 被执行人系法轮功信徒' })).toEqual({
      field: 'evidence',
      reason: expect.stringContaining('religion_or_belief: "法轮"'),
    });
    expect(at({ note: '穆斯林，艾滋病患者' })).toMatchObject({ field: 'note' });
    // Full-width and mathematical letters fold to the word they spell.
    for (const note of ['Ｍｕｓｌｉｍ', '𝐌𝐮𝐬𝐥𝐢𝐦', 'religiouſ', 'party\u3000member'])
      expect(at({ note })).toMatchObject({ field: 'note' });
    expect(at({ note: 'He is a PARTY MEMBER' })).toMatchObject({
      field: 'note',
      reason: expect.stringContaining('political_opinion'),
    });
    expect(at({ action: 'correct', reason: 'his religion was wrong' })).toMatchObject({ field: 'reason' });
    // The source's own ID of the record is shown like any text: screened too.
    expect(at({ source_record_id: 'HIV-positive-muslim-patient-7' })).toMatchObject({
      field: 'source_record_id',
      reason: expect.stringContaining('health: "hiv"'),
    });
    expect(
      checkLine({ action: 'withdraw', source_record_id: 'r1', reason: '他是少数民族' }, env),
    ).toMatchObject({ field: 'reason', reason: expect.stringContaining('ethnicity') });
    // Lawful text passes, and so does a word that only contains one ("reunion").
    expect(
      at({ evidence: '(2025)京0105执123号', note: 'Unpaid since the reunion of the board' }),
    ).toMatchObject({
      evidence: '(2025)京0105执123号',
    });
  });

  it('refuses synonyms, named groups and spelling tricks too, and passes words that only start alike', () => {
    const at = (over: Record<string, unknown>) => checkLine({ ...line('2025-01-01'), ...over }, env);
    for (const note of [
      'Friday prayers, wears hijab, reads the Quran; 做礼拜 信教',
      '维族; 工會會員; 指纹 基因; 同志',
      'schizophrenia, AIDS, diabetic, wheelchair user, 精神分裂, 糖尿病, DNA',
      'Jewish, Hindu, Sikh, atheist, Zhuang, LGBT, queer, strike organiser',
      'attends R e l i g i o u s meetings',
      'Reli\u00adgion: Christian',
      'R\u0435ligious', // Cyrillic е
      '宗\u3000教活动',
      '宗・教',
    ])
      expect(at({ note }), note).toMatchObject({
        field: 'note',
        reason: expect.stringContaining('protected category'),
      });
    for (const note of [
      'Hivemind Ltd. did not pay',
      'hivernal stock',
      'Templeton Fund arrears',
      'the gayety of the fair',
      'litigated in bad faith',
      'disability pension fraud',
      'falsified disability certificate',
      '民族路12号',
      '中央民族大学',
    ])
      expect(at({ note }), note).toMatchObject({ note });
  });

  it('takes a Latin-script name as a name (Christian, Islam, Gay are names), and refuses a remark in a Chinese one', () => {
    const named = (name: string) =>
      checkLine(
        {
          ...line('2025-01-01'),
          subject: { kind: 'person', id_number: makeResidentId('110105', '1990-01-01', 7), name },
        },
        env,
      );
    const problem = (name: string) =>
      (named(name) as { subject?: { nameProblem?: { reason: string } } }).subject?.nameProblem;
    for (const name of ['Christian Schmidt', 'Nur Islam', 'Gay Lussac', 'Grace Church'])
      expect(problem(name), name).toBeUndefined();
    expect(problem('王伟穆斯林')).toMatchObject({ reason: expect.stringContaining('protected category') });
  });

  it('takes a licence number of letters and digits, and refuses one naming a protected category', () => {
    const withLicence = (number: string) =>
      checkLine(
        {
          ...line('2025-01-01'),
          subject: {
            kind: 'person',
            id_number: makeResidentId('110105', '1990-01-01', 7),
            name: '张伟',
            licences: [{ kind: 'doctor', number }],
          },
        },
        env,
      );
    // (A court may not license doctors: those lines stop at the licence's kind, past its number.)
    for (const ok of ['110105197103030021', 'D-110102-000020', '京律(2019)0123'])
      expect(withLicence(ok), ok).toMatchObject({ field: 'subject.licences.0.kind' });
    expect(withLicence('Uyghur-Muslim-HIV')).toMatchObject({
      field: 'subject.licences.0.number',
      reason: expect.stringContaining('protected category'),
    });
    expect(withLicence('a b; drop')).toMatchObject({
      field: 'subject.licences.0.number',
      reason: expect.stringContaining('letters and digits'),
    });
  });

  it('stores text NFC', () => {
    const r = checkLine(
      {
        ...line('2025-01-01'),
        subject: { kind: 'person', id_number: makeResidentId('110105', '1990-01-01', 7), name: 'Jose\u0301' },
        note: 'Cafe\u0301',
      },
      env,
    );
    expect(r).toMatchObject({ subject: { name: 'Jos\u00e9' }, note: 'Caf\u00e9' });
  });

  it('refuses an amount over 10 trillion yuan', () => {
    expect(checkLine({ ...line('2025-01-01'), amount: 1e13 }, env)).toMatchObject({ amount: 1e13 });
    expect(checkLine({ ...line('2025-01-01'), amount: 1e13 + 0.01 }, env)).toEqual({
      field: 'amount',
      reason: 'at most 10,000,000,000,000 yuan',
    });
  });
});

describe('a case reference names the case, never a person (product rule 10)', () => {
  const listing = (evidence: string) => ({
    source_record_id: 'l1',
    type: 'court.judgment_defaulter',
    subject: { kind: 'person', id_number: makeResidentId('110105', '1990-01-01', 7), name: '张伟' },
    occurred_at: '2025-01-01',
    amount: 50_000,
    evidence,
  });
  const courtEnv = () => ({
    ...env,
    sourceTypes: new Set(['court.judgment_defaulter', 'court.contract_lawsuit_lost']),
  });

  it("refuses a listing's evidence holding a resident ID number, a mobile number or an e-mail address", () => {
    const other = makeResidentId('440118', '1999-09-02', 109);
    for (const [evidence, kind] of [
      [`(2026)宁0106执77号 实际经营人 身份证${other}`, 'resident ID number'],
      ['(2026)宁0106执77号 手机13800138000', 'mobile number'],
      ['(2026)宁0106执77号 联系 zhang.wei@example.cn', 'e-mail address'],
    ] as const)
      expect(checkLine(listing(evidence), courtEnv()), kind).toEqual({
        field: 'evidence',
        reason: expect.stringContaining(`holds a ${kind}`),
      });
    // The case number alone, and a record whose evidence nobody is shown, are taken.
    expect(checkLine(listing('(2026)宁0106执77号'), courtEnv())).toMatchObject({
      evidence: '(2026)宁0106执77号',
    });
    expect(checkLine({ ...line('2025-01-01'), evidence: '合同 13800138000' }, courtEnv())).toMatchObject({
      evidence: '合同 13800138000',
    });
  });
});
