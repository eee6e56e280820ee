/**
 * The shapes of what a caller sends, shared by every route (CONVENTIONS.md §9, bad input gets a
 * precise answer):
 * - a request body, and every object inside it, refuses a field it does not know, naming it —
 *   dropping it would lose what the caller meant without a word (`attachment` for `attachments`,
 *   `day` for `days`), as record lines already refuse theirs (ingest/record-line.ts);
 * - a path id or a number in the query is plain decimal digits: no sign, spaces, hexadecimal,
 *   exponent or leading zero, and an empty value is not 0. The OpenAPI document still describes
 *   them as integers (their `meta`).
 * A query parameter given twice, of any type, is said so where validation failures are answered
 * (errors.ts).
 */
import { z } from 'zod';

/** A field name as a message may quote it: control characters escaped, cut short. */
const fieldName = (k: string) => {
  const s = JSON.stringify(k).slice(1, -1);
  return `\`${s.length > 40 ? `${s.slice(0, 40)}…` : s}\``;
};

/**
 * An object of a request body: an unknown field is refused, `unknown field \`x\` (expected a, b)`.
 * Use it for the body and for every object a body holds.
 */
export const inputObject = <S extends z.core.$ZodLooseShape>(shape: S) =>
  z.strictObject(shape, {
    error: (iss) => {
      if (iss.code !== 'unrecognized_keys') return undefined;
      const keys = iss.keys;
      const named = keys.slice(0, 5).map(fieldName).join(', ') + (keys.length > 5 ? ', …' : '');
      return `unknown field${keys.length > 1 ? 's' : ''} ${named} (expected ${Object.keys(shape).join(', ')})`;
    },
  });

const DIGITS = /^(0|[1-9]\d{0,15})$/;

/** A whole number from a path or query text, between `min` and `max`. */
const wholeNumber = (min: number, max: number) =>
  z
    .string({ error: 'expected a whole number in decimal digits' })
    .refine((s) => DIGITS.test(s), {
      error: (iss) =>
        iss.input === ''
          ? 'empty: expected a whole number in decimal digits'
          : 'expected a whole number in decimal digits 0–9, without sign, spaces, leading zeros or exponent',
    })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, `expected a whole number from ${min.toLocaleString('en')}`)
        .max(max, `expected a whole number up to ${max.toLocaleString('en')}`),
    );

/** A path id: a positive whole number (an id of 0 or -1 names nothing). */
export const idParam = () =>
  wholeNumber(1, Number.MAX_SAFE_INTEGER).meta({
    type: 'integer',
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
  });

/** A whole-number path parameter other than an id (an index from 0). */
export const intParam = (opts: { min: number; max?: number }) => {
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  return wholeNumber(opts.min, max).meta({ type: 'integer', minimum: opts.min, maximum: max });
};

/** A whole number in the query: required, or optional, or with a default when left out. */
export function intQuery(opts: { min: number; max?: number }): ReturnType<typeof wholeNumber>;
export function intQuery(opts: {
  min: number;
  max?: number;
  optional: true;
}): z.ZodOptional<ReturnType<typeof wholeNumber>>;
export function intQuery(opts: {
  min: number;
  max?: number;
  default: number;
}): z.ZodDefault<ReturnType<typeof wholeNumber>>;
export function intQuery(opts: { min: number; max?: number; optional?: true; default?: number }) {
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  const meta = { type: 'integer', minimum: opts.min, maximum: max } as const;
  const n = wholeNumber(opts.min, max);
  // zod leaves a default out of the input schema of a transform: the description says it.
  if (opts.default !== undefined)
    return n.default(opts.default).meta({ ...meta, description: `default ${opts.default}` });
  if (opts.optional) return n.optional().meta(meta);
  return n.meta(meta);
}
