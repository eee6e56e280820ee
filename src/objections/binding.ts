/**
 * What an objection to a binding needs beyond a record's: the binding's words for a person, and
 * the check of a decision's corrected days. A binding is a registration authority's record that a
 * person represents (or controls) an organization from `valid_from` (null: the first on file,
 * read from the day it was recorded) until `valid_until` (the first day no longer bound; null: in
 * force), and it links the organization's serious acts to the person on those days.
 */
import { type Clock, dateIn } from '../context.ts';
import { firstDayBindable } from '../scoring/index.ts';
import { formatDay, parseDay } from '../shared/days.ts';
import { invalidInput } from '../shared/errors.ts';
import type { BindingRow } from '../store/index.ts';

/** The days a decision gives a binding: either or both (the other stays as it is). */
export interface BindingCorrection {
  validFrom?: string | undefined;
  validUntil?: string | undefined;
}

/** A role in words ("legal representative"). */
export const roleWords = (role: string) => role.replaceAll('_', ' ');

/** "legal representative of 某某公司 (9136…)" */
export const bindingLabel = (b: { role: string; organizationName: string; organizationIdentifier: string }) =>
  `${roleWords(b.role)} of ${b.organizationName} (${b.organizationIdentifier})`;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

const day = (field: string, value: string): string => {
  const n = DAY.test(value) ? parseDay(value) : Number.NaN;
  if (Number.isNaN(n) || formatDay(n) !== value)
    throw invalidInput(`${field} must be a day, YYYY-MM-DD`, [{ field, message: `"${value}" is not a day` }]);
  return value;
};

/**
 * The binding's days after a correction, checked: real days, neither after today (a correction
 * states what happened, and a binding ending later is the registration authority's next line),
 * a first day before the last (an empty period is a removal: say binding_removed), never before
 * the person's 18th birthday (Civil Code Art. 17-18: a minor is never bound), a change to what is
 * on file, and for a legal representative no day shared with another legal representative of the
 * same organization (one at a time: Civil Code Art. 61).
 */
export const correctedDays = (
  binding: BindingRow,
  correction: BindingCorrection,
  ctx: {
    today: string;
    clock: Clock;
    personBirthDate: string | null;
    /** The organization's other bindings in the same role that stand (not withdrawn). */
    others: readonly BindingRow[];
  },
): { validFrom: string | null; validUntil: string | null } => {
  const from = correction.validFrom === undefined ? undefined : day('valid_from', correction.validFrom);
  const until = correction.validUntil === undefined ? undefined : day('valid_until', correction.validUntil);
  if (from === undefined && until === undefined)
    throw invalidInput('binding_corrected needs the corrected days: valid_from, valid_until or both', [
      { field: 'binding_correction', message: 'give valid_from and/or valid_until' },
    ]);
  for (const [field, v] of [
    ['valid_from', from],
    ['valid_until', until],
  ] as const)
    if (v !== undefined && v > ctx.today)
      throw invalidInput(
        `${field} ${v} is after today (${ctx.today}): a correction states days that have passed`,
        [{ field, message: 'in the future' }],
      );
  const validFrom = from ?? binding.validFrom;
  const validUntil = until ?? binding.validUntil;
  // A first binding on file holds from the day it was recorded (scoring/linkage.ts).
  const effectiveFrom = validFrom ?? dateIn(ctx.clock, new Date(binding.recordedAt));
  if (validUntil !== null && validUntil <= effectiveFrom)
    throw invalidInput(
      `the binding would hold no day (from ${effectiveFrom}, until ${validUntil}): valid_from must come before valid_until; to take it out, decide binding_removed`,
      [{ field: until !== undefined ? 'valid_until' : 'valid_from', message: 'not after the first day' }],
    );
  const adult = firstDayBindable(ctx.personBirthDate);
  if (adult !== null && from !== undefined && from < adult)
    throw invalidInput(
      `valid_from ${from} is before the person's 18th birthday (${adult}): a minor is never bound`,
      [{ field: 'valid_from', message: 'before the 18th birthday' }],
    );
  if (validFrom === binding.validFrom && validUntil === binding.validUntil)
    throw invalidInput('these are the days on file: to keep the binding as it is, decide binding_confirmed', [
      { field: 'binding_correction', message: 'no change' },
    ]);
  if (binding.role === 'legal_representative')
    for (const o of ctx.others) {
      if (o.id === binding.id) continue;
      const oFrom = o.validFrom ?? dateIn(ctx.clock, new Date(o.recordedAt));
      const overlaps =
        (validUntil === null || oFrom < validUntil) &&
        (o.validUntil === null || effectiveFrom < o.validUntil);
      if (overlaps)
        throw invalidInput(
          `these days overlap binding ${o.id} (legal representative from ${oFrom}${o.validUntil ? ` until ${o.validUntil}` : ', in force'}): an organization has one legal representative at a time`,
          [{ field: 'binding_correction', message: `overlaps binding ${o.id}` }],
        );
    }
  return { validFrom, validUntil };
};
