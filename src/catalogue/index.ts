/**
 * Catalogue capability: the published list of lawful record types (product rules 1–3). Other
 * capabilities import from here only.
 */

export type { Catalogue, CatalogueData } from './catalogue.ts';
export { catalogueData, restoreCatalogue } from './catalogue.ts';
export type { DataCategory, ProtectedCategory } from './categories.ts';
export { LAWFUL_CATEGORIES, PROTECTED_CATEGORIES } from './categories.ts';
export { DEFAULT_CATALOGUE_PATH, loadCatalogueFile, parseCatalogue } from './load.ts';
export type { ProtectedWord } from './protected-screen.ts';
export {
  foldForScreen,
  protectedPolicyWordIn,
  protectedWordIn,
  refuseProtectedInPolicy,
  refuseProtectedText,
} from './protected-screen.ts';
export { LAWFUL_PHRASES, PROTECTED_POLICY_WORDS, PROTECTED_WORDS } from './protected-words.ts';
export type {
  AmountKind,
  CatalogueItem,
  DirectGrade,
  Domain,
  Polarity,
  Severity,
  SubjectKind,
} from './schema.ts';
export { AMOUNT_KINDS, DIRECT_GRADES, DOMAINS, POLARITIES, SEVERITIES, SUBJECT_KINDS } from './schema.ts';
export type { SourceKind } from './source-kinds.ts';
export {
  BINDING_AUTHORITIES,
  LICENSING_SOURCE_KINDS,
  MARKETPLACE_SOURCE_KINDS,
  MAX_DAILY_SERVICE_VOLUME,
  OWN_NAME_SOURCE_KINDS,
  PLATFORM_SOURCE_KINDS,
  REGISTRABLE_SOURCE_KINDS,
  SOURCE_KINDS,
} from './source-kinds.ts';
