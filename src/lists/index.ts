/**
 * Lists capability: red, black and focus lists computed from records, the rewards and restrictions
 * they trigger, the policy check that keeps measures lawful and proportionate (product rules 4, 7,
 * 8, 10), subject notifications and the fast check index relying-party checks read. Pure: plain
 * data in, plain data out. Other capabilities import from here only.
 */

export { type AnswerAsKnown, recomputeAnswer } from './answer-as-known.ts';
export {
  buildCheckIndex,
  CheckIndex,
  type CheckIndexOptions,
  notApplicable,
  type SubjectInfo,
} from './check-index.ts';
export { checkPolicies, checkPoliciesOrThrow, type PolicyProblem } from './check-policies.ts';
export { type NextTransitionInput, nextTransitionDay } from './due-day.ts';
export {
  type ComputeEntriesInput,
  computeEntries,
  ENTRY_REASON_CODES,
  type ListEntry,
  type ListEntryStatus,
  type RepresentedOrganization,
} from './entries.ts';
export { ENTRIES_CHANGE_ACTION, type EntryChange } from './entry-changes.ts';
export {
  type EvaluateMeasureInput,
  evaluateMeasure,
  evaluateMeasureOn,
  findEntryInForce,
  type MeasureAnswer,
  type MeasureGround,
  NOT_APPLICABLE,
  type RepresentedEntries,
} from './evaluate.ts';
export { findListPolicyVersion, findMeasurePolicyVersion, listsPolicyInForce } from './in-force.ts';
export {
  DEFAULT_LISTS_PATH,
  GRADE_NAMES,
  type GradeName,
  LIST_KINDS,
  type ListKind,
  type ListPolicy,
  type ListRule,
  loadListPolicy,
  parseListPolicy,
} from './list-policy.ts';
export {
  BINDS,
  type Binds,
  CROSS_DOMAIN_RULES,
  type CrossDomainRule,
  DEFAULT_MEASURES_PATH,
  type JurisdictionProfile,
  loadMeasurePolicy,
  MEASURE_KINDS,
  type Measure,
  type MeasureKind,
  type MeasurePolicy,
  type MeasureTrigger,
  parseMeasurePolicy,
  RELYING_PARTY_KINDS,
  type RelyingPartyKind,
} from './measure-policy.ts';
export { type ListNotification, type ListNotificationKind, notificationsFor } from './notifications.ts';
export {
  entryOf,
  type ListDeps,
  type ListsRecomputed,
  listSubject,
  RECOMPUTE_ACTION,
  recomputeAllLists,
  recomputeLists,
} from './service.ts';
export { type ListsPeriod, withTermsInForce } from './terms-in-force.ts';
