/**
 * Scoring capability: turns a subject's records into a score, four domain sub-scores, a grade,
 * key factors and a breakdown that adds up, under a versioned policy (product rules 5 and 7).
 * Other capabilities import from here only.
 *
 * For one subject's explanation (report, API, subject file) call `scoreSubject` with its records;
 * after a whole-population `rescoreAll`, `explainSubject` gives the same result from the columns.
 */

export { addMonths, formatDay, parseDay } from '../shared/days.ts';
export type { RecordColumns } from './columns.ts';
export { buildColumns, ColumnBuilder } from './columns.ts';
export type { RescoreOptions, RescoreResult, ScoreSubjectInput } from './engine.ts';
export { explainSubject, rescoreAll, scoreSubject } from './engine.ts';
export {
  firstDayBindable,
  type Link,
  linkedRecords,
  linkHolds,
  linksOf,
  loadScoringNeighbourhood,
  type ScoringNeighbourhood,
} from './linkage.ts';
export {
  curedInGrace,
  type EarlierTerms,
  isMinorOn,
  type ListingEpisode,
  type ListingExclusion,
  type ListingOutcome,
  type ListingTerm,
  listingOutcomes,
  NO_END,
  type TermRecord,
} from './listing-term.ts';
export type { Cure, ScoringPolicy, TypeRule } from './policy.ts';
export { DEFAULT_SCORING_POLICY_PATH, loadScoringPolicyFile, parseScoringPolicy } from './policy.ts';
export { scoreReportJson } from './report-json.ts';
export {
  engineTime,
  getScoreReport,
  gradesToday,
  isScoredUnder,
  type PublishedKeyFactor,
  pastKnowledge,
  publishedKeyFactors,
  type RescoreProgress,
  type RescoreSummary,
  rescoreAllSubjects,
  rescoreSubjects,
  type ScoreReport,
  type ScoringDeps,
  scoreRow,
  scoringPolicyAt,
} from './service.ts';
export { countsWhileDisputed } from './tables.ts';
export type {
  Contribution,
  EngineRecord,
  EngineSubject,
  Grade,
  KeyFactor,
  LinkedOrganization,
  RecordStatus,
  ScoreResult,
} from './types.ts';
export { GRADES, RECORD_STATUSES } from './types.ts';
export { asKnownAt } from './versions.ts';
