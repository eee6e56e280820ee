/**
 * Rules that relate one field of a record type to another. Each returns the problems it finds, so
 * the loader can report every problem in a file at once.
 */
import { POSITIVE_ONLY_CATEGORIES } from './categories.ts';
import type { CatalogueItem } from './schema.ts';

export interface ItemProblem {
  /** Field inside the item, e.g. `points`. */
  field: string;
  message: string;
}

/** Points at or below this count as a serious deduction (REFERENCE.md: serious tax evasion −100). */
export const SERIOUS_POINTS_THRESHOLD = -100;

export const checkItem = (item: CatalogueItem): ItemProblem[] => {
  const problems: ItemProblem[] = [];
  const negative = item.polarity === 'negative';

  if (negative && item.points > 0) {
    problems.push({ field: 'points', message: 'a negative type deducts: points must be 0 or less' });
  }
  if (!negative && item.points < 0) {
    problems.push({ field: 'points', message: 'a positive type adds: points must be 0 or more' });
  }
  // A positive type with 0 points is a status record (e.g. a judgment performed), which repair
  // rules read; a negative one must do something, so 0 points needs a direct grade.
  if (negative && item.points === 0 && item.direct_grade === undefined) {
    problems.push({ field: 'points', message: 'a negative type with 0 points must set a direct_grade' });
  }

  if (item.direct_grade !== undefined && !(negative && item.severity === 'serious')) {
    problems.push({
      field: 'direct_grade',
      message: 'a direct grade applies only to negative types of severity serious',
    });
  }

  // Severity classes are the classes of dishonesty of the NDRC Credit Repair Measures; an award
  // is never "serious".
  if (item.severity === 'serious' && !negative) {
    problems.push({ field: 'severity', message: 'severity serious is for negative types only' });
  }
  if (
    item.severity === 'serious' &&
    negative &&
    item.direct_grade === undefined &&
    item.points > SERIOUS_POINTS_THRESHOLD
  ) {
    problems.push({
      field: 'points',
      message: `a serious type deducts at least ${-SERIOUS_POINTS_THRESHOLD} points or sets a direct_grade`,
    });
  }

  // Government-affairs integrity judges public bodies in office (product rule 3). An official's
  // own misconduct is recorded against the person under a professional or criminal category, so
  // persons stay out of this domain.
  if (item.domain === 'government' && item.subject_kinds.some((k) => k !== 'public_body')) {
    problems.push({
      field: 'subject_kinds',
      message: 'the government domain applies to public bodies only: subject_kinds must be [public_body]',
    });
  }

  // A type that puts a subject on a list, or ends a listing, is matched to its case by the
  // case reference the record carries (SPC 2017 Art. 10: deletion of the listing of that case).
  if (item.list_triggers.some((l) => l.startsWith('black.')) && !item.requires_case_reference) {
    problems.push({
      field: 'requires_case_reference',
      message:
        'a type that enters a black list must require a case reference (requires_case_reference: true)',
    });
  }

  if (POSITIVE_ONLY_CATEGORIES.includes(item.data_category) && negative) {
    problems.push({
      field: 'data_category',
      message: `data category "${item.data_category}" records merit and is for positive types only`,
    });
  }

  return problems;
};
