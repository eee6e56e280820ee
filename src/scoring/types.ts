/** The plain data the scoring engine takes in and gives back. */
import type { DirectGrade, Domain } from '../catalogue/index.ts';
import type { ScoringRecordRow, ScoringSubjectRow } from '../store/index.ts';

export const RECORD_STATUSES = [
  'active',
  'disputed',
  'corrected',
  'repaired',
  'expired',
  'withdrawn',
] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/**
 * A record and a subject as the engine sees them: exactly the rows the store gives for scoring
 * (`occurredAt`/`decidedAt` YYYY-MM-DD, `recordedAt` an ISO timestamp, records sharing an
 * `evidence` reference being one act).
 */
export type EngineRecord = ScoringRecordRow;
export type EngineSubject = ScoringSubjectRow;

/** Grades in order from best to worst; a grade code in `rescoreAll` is an index into this list. */
export const GRADES = ['AAA', 'AA', 'A', 'B', 'C', 'DA', 'DB', 'DC'] as const;
export type Grade = (typeof GRADES)[number];

/** One record's part in a score. `points` is what it adds to the total (0 when not counted). */
export interface Contribution {
  recordId: number;
  type: string;
  domain: Domain;
  /** YYYY-MM-DD: when the conduct occurred */
  date: string;
  points: number;
  directGrade?: DirectGrade;
  /** YYYY-MM-DD: the first day the record no longer counts */
  until: string;
  note?: string;
}

/** One of at most four reasons for a score, in order of effect (FCRA §1681g(f) practice). */
export interface KeyFactor {
  recordId: number;
  type: string;
  /** YYYY-MM-DD: when the conduct occurred; for a listing, the day the listing took effect. */
  date: string;
  points: number;
  /**
   * The grade the record sets or caps, when it has one: `binds` when it is that grade that
   * decides the result ("sets the grade to B"), not when the points give it or worse ("caps the
   * grade at B; the points give C").
   */
  grade?: { letter: DirectGrade; binds: boolean };
  /** One plain-English sentence. */
  text: string;
}

/**
 * How a key factor names an organization whose record counts for the person scored (product
 * rule 5: never by a database id), and whether the person represents it on the scoring day.
 */
export interface LinkedOrganization {
  /** Its public identifier (the USCC). */
  identifier: string;
  name: string;
  /** Bound as its legal representative on the scoring day ("represents"; else "represented"). */
  represents: boolean;
}

export interface ScoreResult {
  subjectId: number;
  score: number;
  grade: Grade;
  domains: Record<Domain, number>;
  keyFactors: KeyFactor[];
  breakdown: Contribution[];
  policyVersion: string;
  asOf: string;
  /**
   * YYYY-MM-DD: the first day after `asOf` on which this result can change without a new record
   * (a record's window opening or closing); null when none.
   */
  nextChange: string | null;
}
