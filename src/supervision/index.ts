/**
 * Supervision capability: credit-risk classes A–D of organizations and public bodies and the
 * reproducible "double random" inspection draw (issue 17; product rule 11: never persons). The
 * classes and the draw are pure (classes.ts, draw.ts); inspections.ts runs them on the store:
 * rosters, plans with a seed fixed after the snapshots, outcomes that become records. Other
 * capabilities import from here only.
 */

export { type ClassExplained, type ClassFacts, classesOf, classOf, explainClass } from './classes.ts';
export {
  type Assignment,
  type ClassDraw,
  type DrawInput,
  type DrawnPlan,
  type DrawPolicy,
  type DrawTarget,
  drawCount,
  drawPlan,
  type PlanVerification,
  type RosterInspector,
  rosterCanonicalText,
  rosterSnapshotHash,
  targetsCanonicalText,
  targetsSnapshotHash,
  type Unassigned,
  verifyPlan,
} from './draw.ts';
export {
  classify,
  INSPECTIONS_PRINCIPAL,
  type InputsJson,
  type InspectionDeps,
  inputsFromJson,
  inputsJson,
  inspectOnComplaint,
  listPlans,
  myInspections,
  parseInputsJson,
  planInputs,
  planInspections,
  publishedInspections,
  recordOutcome,
  showPlan,
  verifyStoredPlan,
} from './inspections.ts';
export {
  type ClassRatio,
  type ClassRule,
  checkSupervisionPolicy,
  DEFAULT_SUPERVISION_POLICY_PATH,
  INSPECTION_OUTCOMES,
  type InspectionOutcome,
  loadSupervisionPolicy,
  parseSupervisionPolicy,
  RISK_CLASSES,
  type RiskClass,
  type SupervisionPolicy,
  type SupervisionPolicyProblem,
  TARGETABLE_KINDS,
  type TargetKind,
} from './policy.ts';
export {
  addInspector,
  addInspectors,
  checkRosterEntry,
  REGULATOR_KINDS,
  type RosterChange,
  type RosterEntry,
} from './roster.ts';
