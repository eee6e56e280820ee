/**
 * A case reference as records are matched by it (a performance ending the listing of its own case,
 * a cure archiving the record it cures, the representative's act told from the organization's):
 * compatibility-folded (NFKC: full-width brackets and digits as ASCII), without white space, in
 * upper case. `（2025）京0105执 123号` and `(2025)京0105执123号` name one case. Blank is none.
 */
export const caseReferenceKey = (evidence: string | null): string | null => {
  if (evidence === null) return null;
  const key = evidence.normalize('NFKC').replace(/\s+/gu, '').toUpperCase();
  return key === '' ? null : key;
};
