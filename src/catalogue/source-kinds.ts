/**
 * The kinds of registered source that may submit records. Each catalogue item names the kinds
 * allowed to submit it (product rule 1); a source's registration names its kind.
 */
export const SOURCE_KINDS = [
  'court',
  'police',
  'tax',
  'bank',
  'employer',
  'market_regulator',
  'ecommerce',
  'telecom',
  'social_platform',
  'local_government',
  'hospital',
  'school',
  'citizen_ratings',
] as const;

export type SourceKind = (typeof SOURCE_KINDS)[number];

/**
 * Kinds only the platform itself holds: `citizen_ratings` is the platform's ratings service, the
 * one source of the records that sustained rating aggregates become (src/ratings). Nobody can
 * register a source of such a kind, so no one can submit those records by hand.
 */
export const PLATFORM_SOURCE_KINDS: readonly SourceKind[] = ['citizen_ratings'];

/** The kinds an operator may register a source of: the external data providers. */
export const REGISTRABLE_SOURCE_KINDS = SOURCE_KINDS.filter(
  (k) => !PLATFORM_SOURCE_KINDS.includes(k),
) as Exclude<SourceKind, 'citizen_ratings'>[];

/**
 * Registration authorities: the source kinds whose lines may set or change who represents an
 * organization or public body (legal representative, principal responsible persons, actual
 * controller). Market regulators keep the register of market entities (Company Law; Regulations
 * on the Registration of Market Entities 2022); everyone else may only name the persons on file.
 */
export const BINDING_AUTHORITIES: readonly SourceKind[] = ['market_regulator'];

/**
 * The source kinds that license each profession, and so alone may attach its licence to a person
 * (the operator's registry import may attach any): health authorities and hospitals for medical
 * staff, education authorities and schools for teachers, the licensing departments of local
 * government for the rest.
 */
export const LICENSING_SOURCE_KINDS: Readonly<Record<string, readonly SourceKind[]>> = {
  doctor: ['hospital', 'local_government'],
  nurse: ['hospital', 'local_government'],
  pharmacist: ['hospital', 'local_government'],
  teacher: ['school', 'local_government'],
  lawyer: ['local_government'],
  accountant: ['local_government'],
  architect: ['local_government'],
};
