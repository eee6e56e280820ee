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
] as const;

export type SourceKind = (typeof SOURCE_KINDS)[number];
