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

/**
 * Who a source may vouch for when it issues interaction tokens (src/ratings/interactions.ts), by
 * the way its kind serves. A source of an **own-name** kind serves in its own name: a hospital's
 * patients, a school's pupils, an employer's, bank's or telecom's customers and a local
 * government service hall's visitors are served by that organization (or public body) and the
 * staff on its payroll, so its word is good only for the organization it is (its declared USCC,
 * `credence sources set CODE --organization USCC`) and the licensed professionals on its roster on
 * the service day. Otherwise a hospital's credential could vouch for a doctor who never worked
 * there, or for any company. The kinds listed are those that issue tokens; each maps to the subject
 * kinds its own organization may be: a service hall is run by a public body (its organization is
 * that public body, and it vouches for no company), the others are companies or public
 * institutions (a public hospital or school is a public institution, a public body).
 */
export const OWN_NAME_SOURCE_KINDS: Readonly<
  Partial<Record<SourceKind, readonly ('organization' | 'public_body')[]>>
> = {
  hospital: ['organization', 'public_body'],
  school: ['organization', 'public_body'],
  employer: ['organization', 'public_body'],
  bank: ['organization', 'public_body'],
  telecom: ['organization', 'public_body'],
  local_government: ['public_body'],
};

/**
 * **Marketplace** kinds record the sales and services of others (a platform's sellers, the market
 * regulator's registered market entities), so they may vouch for third-party organizations, as
 * before, with or without a declared organization of their own; for a licensed professional only
 * when on their roster on the service day (and only where the profession's licensing kinds allow
 * it: LICENSING_SOURCE_KINDS names none of these, so today none vouches for a professional).
 */
export const MARKETPLACE_SOURCE_KINDS: readonly SourceKind[] = [
  'ecommerce',
  'social_platform',
  'market_regulator',
];

/**
 * The largest daily service volume a source may declare (`--daily-service-volume`), and the
 * largest default the ratings policy may give (policies/ratings.yaml): a million services a day,
 * beyond any one hospital, school or service hall (the busiest Chinese hospitals see about 20,000
 * outpatients a day). A platform larger than that registers a source per business line, so that
 * over-issuing by one of them is not lost in the others' volume.
 */
export const MAX_DAILY_SERVICE_VOLUME = 1_000_000;
