import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeResidentId } from '../identity/index.ts';
import { checkCommentLength, screenComment } from './screen.ts';

const held = (text: string) => {
  const r = screenComment(text, 500);
  return r.ok ? [] : r.held;
};

describe('screening a comment', () => {
  it('publishes an ordinary comment, in NFC', () => {
    expect(screenComment('Dr. Wang explained everything patiently. 很耐心！', 500)).toEqual({
      ok: true,
      text: 'Dr. Wang explained everything patiently. 很耐心！',
    });
    expect(screenComment('Cafe\u0301 service was quick', 500)).toEqual({
      ok: true,
      text: 'Café service was quick',
    });
    expect(held('Waited 3 hours, appointment 2026-06-01, room 12')).toEqual([]);
  });

  it('holds third parties’ identifiers: resident ID, mobile, e-mail, bank card', () => {
    const id = makeResidentId('110105', '1980-02-03', 17);
    expect(held(`the nurse ${id} was rude`)).toEqual(['third_party_personal_data']);
    expect(held('call her on 13812345678 to complain')).toEqual(['third_party_personal_data']);
    expect(held('他的手机１３９１２３４５６７８')).toEqual(['third_party_personal_data']);
    expect(held('write to li.na@example.com')).toEqual(['third_party_personal_data']);
    // The address pattern is bounded (RFC 5321's lengths) but still finds one inside a longer run.
    expect(held(`write to ${'x'.repeat(200)}@example.com`)).toEqual(['third_party_personal_data']);
    expect(held('x'.repeat(500))).toEqual([]);
    expect(held('paid to card 6222 0212 3456 7890 123')).toEqual(['third_party_personal_data']);
  });

  it('holds the protected categories in English, Chinese and French', () => {
    for (const text of [
      'He treats Muslim patients worse',
      '这个医生是党员，所以很好',
      'Elle a refusé parce que je suis syndiqué',
      'the teacher told everyone about my HIV diagnosis',
      '因为我去信访，办事员就刁难我',
      'she is gay and a great doctor',
    ])
      expect(held(text), text).toEqual(['protected_category']);
    // synonyms and spelling tricks are held too (the same screen as records: protected-screen.ts)
    for (const text of [
      'he asked about my r e l i g i o n',
      'she prays at the synagogue',
      '她有精神分裂',
      'Mus\u00adlim',
    ])
      expect(held(text), text).toEqual(['protected_category']);
    // words that only contain a keyword are not held
    expect(held('a reunion of former pupils, unfair competition')).toEqual([]);
    expect(held('the Hivemind app and the Templeton clinic were fine')).toEqual([]);
  });

  it('reports both reasons together', () => {
    expect(held('his wife is Buddhist, mail wang@example.cn')).toEqual([
      'third_party_personal_data',
      'protected_category',
    ]);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        const r = screenComment(text, 500);
        expect(typeof r.ok).toBe('boolean');
      }),
    );
    expect(() => screenComment('\uD800 lone surrogate', 500)).not.toThrow();
  });

  it('an over-long comment is refused, not held', () => {
    expect(checkCommentLength('很'.repeat(500), 500)).toBeUndefined();
    expect(checkCommentLength('很'.repeat(501), 500)).toBe(
      'the comment has 501 characters; at most 500 are allowed',
    );
    expect(screenComment('x'.repeat(900), 500).ok).toBe(true);
  });
});
