import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packChunk, unpackChunk } from './chunk-codec.ts';
import type { CheckedLine } from './record-line.ts';

const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const person = fc.record(
  {
    kind: fc.constant('person' as const),
    identifier: text,
    name: text,
    birthDate: maybe(text),
    sex: maybe(fc.constantFrom('male' as const, 'female' as const)),
    licences: fc.array(fc.record({ kind: text, number: text }), { minLength: 1, maxLength: 2 }),
  },
  { requiredKeys: ['kind', 'identifier', 'name', 'birthDate', 'sex'] },
);
const organization = fc.record(
  {
    kind: fc.constantFrom('organization' as const, 'public_body' as const),
    identifier: text,
    name: text,
    legalRepresentative: fc.record({
      identifier: text,
      name: text,
      birthDate: text,
      sex: fc.constantFrom('male' as const, 'female' as const),
    }),
  },
  { requiredKeys: ['kind', 'identifier', 'name'] },
);
const write = fc.record({
  sourceRecordId: text,
  type: text,
  subject: fc.oneof(person, organization),
  occurredAt: text,
  decidedAt: maybe(text),
  disclosedAt: maybe(text),
  amount: maybe(fc.double({ noNaN: true })),
  evidence: maybe(text),
  note: maybe(text),
});
const checked: fc.Arbitrary<CheckedLine> = fc.oneof(
  fc.record({ line: fc.nat(), write }),
  fc.record({ line: fc.nat(), problem: fc.record({ field: text, reason: text }) }),
);

describe('checked lines passed between threads', () => {
  it('come back from the other thread exactly as they left, in order, with the same keys', () => {
    fc.assert(
      fc.property(fc.array(checked, { maxLength: 30 }), (lines) => {
        // (Cloned once so the expectation holds plain objects, as checking produces.)
        const sent = structuredClone(lines);
        expect(unpackChunk(structuredClone(packChunk(sent)))).toStrictEqual(sent);
      }),
    );
  });
});
