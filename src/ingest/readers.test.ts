import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type RawLine, readNdjson } from './readers.ts';

const collect = async (gen: AsyncIterable<RawLine[]>) => {
  const out: RawLine[] = [];
  for await (const chunk of gen) out.push(...chunk);
  return out;
};

describe('NDJSON reading', () => {
  it('reads the same numbered lines and bytes however the file is cut into reads, even mid-character', async () => {
    const value = fc.record({ id: fc.string({ unit: 'grapheme', maxLength: 8 }), n: fc.integer() });
    const lineText = fc.oneof(
      value.map((v) => JSON.stringify(v)),
      fc.constantFrom('', '  ', '{"broken": ', '{"a":"张伟"}\r'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineText, { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (lines, cuts) => {
          const bytes = Buffer.from(lines.join('\n'), 'utf8');
          const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const pieces: Buffer[] = [];
          let from = 0;
          for (const c of [...at, bytes.length]) {
            pieces.push(bytes.subarray(from, c));
            from = c;
          }
          let counted = 0;
          const whole = await collect(readNdjson(Readable.from([bytes])));
          const cut = await collect(readNdjson(Readable.from(pieces), (n) => (counted += n)));
          expect(cut).toEqual(whole);
          expect(counted).toBe(bytes.length);
          // One outcome per non-blank line, numbered by its place in the file.
          const expected = lines.flatMap((l, i) => (l.trim() === '' ? [] : [i + 1]));
          expect(whole.map((l) => l.line)).toEqual(expected);
        },
      ),
    );
  });

  it('skips a byte-order mark at the start of the file', async () => {
    const bytes = Buffer.from('\uFEFF{"a":"张伟"}\n{"b":2}', 'utf8');
    const lines = await collect(readNdjson(Readable.from([bytes.subarray(0, 2), bytes.subarray(2)])));
    expect(lines).toEqual([
      { line: 1, value: { a: '张伟' } },
      { line: 2, value: { b: 2 } },
    ]);
  });
});
