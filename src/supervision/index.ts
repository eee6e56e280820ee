/**
 * Supervision capability: credit-risk classes A–D of organizations and public bodies and the
 * reproducible "double random" inspection draw (issue 17; product rule 11: never persons). Pure:
 * plain data in, plain data out; the policy file loader is its only I/O. Other capabilities
 * import from here only.
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
