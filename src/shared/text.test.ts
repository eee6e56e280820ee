import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, nfc, normaliseTextIn, textProblem } from './text.ts';

const oneLine = () => false;

describe('text rules', () => {
  it('refuses NUL, other C0 and C1 controls, DEL, bidi overrides and isolates, and unpaired surrogates', () => {
    expect(textProblem('a\u0000b')).toMatch(/NUL character \(U\+0000\)/);
    expect(textProblem('a\u001bb')).toMatch(/control character \(U\+001B\)/);
    expect(textProblem('a\u007fb')).toMatch(/control character \(U\+007F\)/);
    expect(textProblem('a\u0085b')).toMatch(/C1 control character \(U\+0085\)/);
    for (const c of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e])
      expect(textProblem(`张${String.fromCharCode(c)}伟`)).toMatch(/bidirectional override/);
    for (const c of [0x2066, 0x2067, 0x2068, 0x2069])
      expect(textProblem(`case ${String.fromCharCode(c)}12`)).toMatch(/bidirectional isolate/);
    expect(textProblem('a\ud800b')).toMatch(/unpaired surrogate/);
    expect(textProblem('a\udc00')).toMatch(/unpaired surrogate/);
  });

  it('refuses invisible characters that make two texts look the same, in names and in free text', () => {
    for (const c of [0x200b, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xfeff]) {
      const text = `张${String.fromCharCode(c)}伟`;
      expect(textProblem(text)).toMatch(
        new RegExp(`invisible character \\(U\\+${c.toString(16).toUpperCase()}\\)`),
      );
      expect(textProblem(`Good service.\n${text}`, true)).toMatch(/invisible character/);
    }
    // The joiners stay: scripts and emoji sequences need them.
    expect(textProblem('می\u200Cخواهم')).toBeUndefined();
    expect(textProblem('👩\u200D⚕️ doctor')).toBeUndefined();
  });

  it('lets a tab or line break through only where a field may span lines', () => {
    expect(textProblem('line one\nline two')).toMatch(/holds one line/);
    expect(textProblem('a\tb')).toMatch(/holds one line/);
    expect(textProblem('line one\r\nline two\tend', true)).toBeUndefined();
    expect(textProblem('a\u0000b', true)).toMatch(/NUL/);
  });

  it('allows ordinary text, left-to-right and right-to-left marks, and astral characters', () => {
    for (const s of [
      'Zhang San',
      '张伟',
      'ئابدۇكېرىم\u200F 12',
      'A\u200Eb',
      '𠀀𪚥 family',
      '(2025)京0105执1234号',
    ])
      expect(textProblem(s)).toBeUndefined();
  });

  it('normalises to NFC: a name typed with combining marks becomes the precomposed one', () => {
    expect(nfc('Jose\u0301')).toBe('Jos\u00e9');
    expect(nfc('\uF900')).toBe('\u8C48'); // a CJK compatibility ideograph becomes the unified one
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => nfc(s) === s.normalize('NFC')));
  });

  it('walks a body: normalises every string in place and names the first forbidden one by its path', () => {
    const body = { name: 'Jose\u0301', persons: [{ name: 'ok' }, { name: 'bad\u202Eevil' }] };
    const r = normaliseTextIn(body, oneLine);
    expect(r.issue).toEqual({ field: 'persons.1.name', reason: expect.stringMatching(/U\+202E/) });
    expect(body.name).toBe('Jos\u00e9');
    expect(normaliseTextIn({ list: ['a', 'b\u0000'] }, oneLine, 'body').issue?.field).toBe('body.list.1');
    // A field name is text too, shown escaped.
    expect(normaliseTextIn({ 'a\u0000': 1 }, oneLine).issue?.field).toBe('a\\u{0}');
  });

  it('keeps a key named __proto__ an own property when normalising it, and refuses deep nesting', () => {
    const body = JSON.parse('{"__proto__": "Jose\\u0301"}');
    normaliseTextIn(body, oneLine);
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(body, '__proto__')?.value).toBe('Jos\u00e9');
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(normaliseTextIn(deep, oneLine, 'body').issue?.reason).toBe(
      `nested more than ${MAX_DEPTH} levels deep`,
    );
  });
});
