/**
 * Data categories: what kind of fact a record type carries. Only lawful categories can back a
 * record type; protected ones never can (product rule 2, README.md "Product rules"; Guobanfa [2020] No. 49 and the
 * Regulations on the Administration of the Credit Reporting Industry (2013) Art. 14 bar religion,
 * genes, fingerprints, blood type and medical history).
 */

export const LAWFUL_CATEGORIES = [
  'court_enforcement',
  'court_judgment',
  'criminal_conviction',
  'traffic_offence',
  'public_order_offence',
  'tax_compliance',
  'credit_repayment',
  'employment_conduct',
  'market_regulation',
  'commercial_conduct',
  'consumer_protection',
  'telecom_billing',
  'platform_conduct',
  'public_commitment',
  'public_service',
  'professional_conduct',
  'academic_integrity',
  'insurance_fraud',
  'commendation',
  'volunteering',
  'charity',
] as const;

export type DataCategory = (typeof LAWFUL_CATEGORIES)[number];

/** Categories that only ever describe something a subject did well. */
export const POSITIVE_ONLY_CATEGORIES: readonly DataCategory[] = ['commendation', 'volunteering', 'charity'];

/**
 * Protected categories: the ten of product rule 2, then the aliases people reach for, so that
 * renaming a category does not smuggle it in.
 */
export const PROTECTED_CATEGORIES = [
  'political_opinion',
  'religion_or_belief',
  'ethnicity',
  'health',
  'genetic',
  'biometric',
  'sex_life_or_orientation',
  'trade_union_membership',
  'petitions_and_complaints',
  'lawful_speech',
  // aliases
  'political_views',
  'political_affiliation',
  'party_membership',
  'religion',
  'religious_belief',
  'belief',
  'faith',
  'ethnic_origin',
  'race',
  'racial_origin',
  'health_condition',
  'health_status',
  'medical_history',
  'medical_record',
  'disease',
  'disability',
  'genes',
  'dna',
  'genetic_data',
  'biometric_data',
  'fingerprint',
  'fingerprints',
  'face_image',
  'facial_recognition',
  'iris',
  'voiceprint',
  'blood_type',
  'sexual_orientation',
  'sex_life',
  'trade_union',
  'union_membership',
  'petition',
  'petitions',
  'petitioning',
  'xinfang',
  'complaints_to_authorities',
  'speech',
  'online_speech',
] as const;

export type ProtectedCategory = (typeof PROTECTED_CATEGORIES)[number];

const PROTECTED_SET: ReadonlySet<string> = new Set(PROTECTED_CATEGORIES);

/** `Religion or belief`, `religion-or-belief` and `religion_or_belief` are the same category. */
export const normaliseCategory = (value: string): string =>
  value
    .trim()
    .toLowerCase()
    .replace(/[\s\-.]+/g, '_');

export const isProtectedCategory = (value: string): boolean => PROTECTED_SET.has(normaliseCategory(value));
