import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES, type RawLine, readCsv, readNdjson } from './readers.ts';

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

describe('limits and hostile input', () => {
  const big = 'x'.repeat(MAX_LINE_BYTES + 1);
  const cut = (text: string, size: number) => {
    const b = Buffer.from(text, 'utf8');
    const out: Buffer[] = [];
    for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
    return out;
  };

  it('refuses an NDJSON line over the limit on its line, however it is cut into reads, and reads on', async () => {
    const text = `{"a":1}\n{"b":"${big}"}\n{"c":3}\n${big}`;
    for (const size of [1000, 65_536, 1 << 20]) {
      const lines = await collect(readNdjson(Readable.from(cut(text, size))));
      expect(lines).toEqual([
        { line: 1, value: { a: 1 } },
        { line: 2, problem: { field: '(line)', reason: expect.stringMatching(/longer than 65,536 bytes/) } },
        { line: 3, value: { c: 3 } },
        { line: 4, problem: { field: '(line)', reason: expect.stringMatching(/longer than 65,536 bytes/) } },
      ]);
    }
  });

  it('does not hold a line without an end in memory', async () => {
    // 64 MiB of one line, produced lazily: read through in bounded memory, refused as one line.
    const chunk = Buffer.alloc(1 << 20, 0x61);
    async function* endless() {
      for (let i = 0; i < 64; i++) yield chunk;
    }
    const before = process.memoryUsage().arrayBuffers;
    let peak = 0;
    const lines = await collect(
      readNdjson(Readable.from(endless()), () => {
        peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
      }),
    );
    expect(lines).toEqual([{ line: 1, problem: expect.objectContaining({ field: '(line)' }) }]);
    expect(peak).toBeLessThan(32 << 20);
  });

  it('refuses a CSV record over the limit on its line and keeps the line numbers of the rows after it', async () => {
    const text = `a,b\r\n1,2\r\n${big},3\r\n4,5\r\n"q\r\n${big}",6\r\n7,8\r\n`;
    const small = `a,b\r\n1,2\r\nx,3\r\n4,5\r\n"q\r\nx",6\r\n7,8\r\n`;
    const expected = (await collect(readCsv(Readable.from([small])))).map((l) => l.line);
    for (const size of [1000, 1 << 20]) {
      const lines = await collect(readCsv(Readable.from(cut(text, size))));
      expect(lines.map((l) => l.line)).toEqual(expected);
      expect(lines.map((l) => l.problem?.reason ?? l.value)).toEqual([
        { a: '1', b: '2' },
        expect.stringMatching(/longer than 65,536 bytes/),
        { a: '4', b: '5' },
        expect.stringMatching(/longer than 65,536 bytes/),
        { a: '7', b: '8' },
      ]);
    }
  });

  it('refuses a row with a stray quote on its line and reads on; an unclosed quote is named, not a crash', async () => {
    const stray = await collect(readCsv(Readable.from(['a,b\n1,2\n3,Li"Na\n5,6\n'])));
    expect(stray.map((l) => [l.line, l.problem?.reason ?? l.value])).toEqual([
      [2, { a: '1', b: '2' }],
      [3, expect.stringMatching(/^malformed CSV: Invalid Opening Quote/)],
      [4, { a: '5', b: '6' }],
    ]);
    const unclosed = await collect(readCsv(Readable.from(['a,b\n1,2\n3,"x\n5,6\n'])));
    expect(unclosed.map((l) => [l.line, l.problem?.reason ?? l.value])).toEqual([
      [2, { a: '1', b: '2' }],
      [4, expect.stringMatching(/^malformed CSV: a quote opened on an earlier line is never closed/)],
    ]);
  });

  it.each([
    ['__proto__,b', /column 1: "__proto__"/],
    ['subject.constructor.x,b', /"constructor" is never a field name/],
    ['a,prototype', /column 2: "prototype"/],
    ['a,a', /column 2: "a" is named twice/],
    ['a,,b', /column 2: empty column name/],
    ['a,b..c', /empty part between dots/],
  ])('refuses a CSV header %j, naming the column', async (header, message) => {
    await expect(collect(readCsv(Readable.from([`${header}\n1,2\n`])))).rejects.toThrow(message);
  });

  it('builds CSV rows on objects without a prototype, so no cell can reach Object.prototype', async () => {
    const [row] = await collect(readCsv(Readable.from(['subject.kind,subject.name\nperson,"{""x"":1}"\n'])));
    expect(Object.getPrototypeOf(row!.value)).toBeNull();
    expect(Object.getPrototypeOf((row!.value as { subject: object }).subject)).toBeNull();
    expect(({} as Record<string, unknown>).kind).toBeUndefined();
  });
});
