import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldForScreen, protectedPolicyWordIn, protectedWordIn } from './protected-screen.ts';
import { PROTECTED_WORDS } from './protected-words.ts';

const category = (text: string) => protectedWordIn(text)?.category;

describe('the protected-word screen (product rule 2)', () => {
  it('finds every category in English, Chinese (simplified and traditional) and French', () => {
    for (const [text, expected] of [
      ['Friday prayers, wears hijab, reads the Quran', 'religion_or_belief'],
      ['做礼拜 信教', 'religion_or_belief'],
      ['attends the synagogue', 'religion_or_belief'],
      ['Jewish, Hindu, Sikh, atheist', 'religion_or_belief'],
      ['维族', 'ethnicity'],
      ['Zhuang people', 'ethnicity'],
      ['工會會員', 'trade_union_membership'],
      ['strike organiser', 'trade_union_membership'],
      ['collective bargaining', 'trade_union_membership'],
      ['指纹', 'biometric'],
      ['face scan at the gate', 'biometric'],
      ['empreinte digitale', 'biometric'],
      ['基因', 'genetic'],
      ['a DNA profile', 'genetic'],
      ['LGBT, queer', 'sex_life_or_orientation'],
      ['schizophrenia', 'health'],
      ['AIDS', 'health'],
      ['精神分裂, 糖尿病', 'health'],
      ['diabetic, wheelchair user', 'health'],
      ['信訪', 'petitions_and_complaints'],
      ['上訪', 'petitions_and_complaints'],
      ['complaints with the government', 'petitions_and_complaints'],
      ['letters and visits', 'petitions_and_complaints'],
      ['CCP member', 'political_opinion'],
      ['wrote a blog post', 'lawful_speech'],
      ['言论 抗议', 'lawful_speech'],
      ['manifestants', 'lawful_speech'],
    ] as const)
      expect(category(text), text).toBe(expected);
  });

  it('sees through spelling tricks', () => {
    for (const text of [
      'R\u0435ligious', // Cyrillic е
      'Reli\u200bgion',
      'Reli\u00adgion',
      'Reli\u200dgion',
      'Reli\u200cgion',
      'R e l i g i o n',
      'Religión',
      'Réligion',
      'ＲＥＬＩＧＩＯＮ',
      '宗 教',
      '宗\u3000教',
      '宗・教',
      '宗敎',
      '\ufb01ngerprint',
      'trade_union',
      'trade-union',
      'social.sex_life',
    ])
      expect(protectedWordIn(text), text).toBeDefined();
  });

  it('matches whole Latin words, so ordinary words that start alike pass', () => {
    for (const text of [
      'Hivemind',
      'hivernal',
      'Templeton',
      'gayety',
      'a reunion of former pupils, unfair competition',
      'litigated in bad faith',
      'sold hearing aids without a licence',
      'defrauded the medical security fund',
      'Iris Wang, minority shareholder',
      '礼拜一到庭',
      '(2024)川0104执12345号',
    ])
      expect(protectedWordIn(text), text).toBeUndefined();
  });

  it('is wider for what a catalogue, list or measure says than for free text', () => {
    for (const text of [
      'Iris scan',
      'medical data',
      'strike',
      'minority',
      'speech',
      'gait',
      'Sexual conduct',
      '就医',
    ])
      expect(protectedPolicyWordIn(text), text).toBeDefined();
    expect(protectedWordIn('paid for by the union of the two companies')).toBeUndefined();
    expect(protectedPolicyWordIn('Defrauded the medical security fund')).toBeUndefined();
  });

  it('finds any listed word inside ordinary text, whatever its case', () => {
    const words = Object.values(PROTECTED_WORDS).flat();
    fc.assert(
      fc.property(fc.constantFrom(...words), fc.boolean(), (entry, upper) => {
        const word = entry.replace(/\*/g, '');
        const text = `Noted on 3 May: ${upper ? word.toUpperCase() : word}; case closed.`;
        expect(protectedWordIn(text), text).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });

  it('folds without changing what is kept', () => {
    expect(foldForScreen('Ｒéli\u00adgion')).toBe('religion');
    expect(foldForScreen('plain text')).toBe('plain text');
  });
});
