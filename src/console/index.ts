/**
 * Console capability: what the operator console shows operators and auditors — the dashboard
 * (grades, ingestion, list sizes, the review queues' clocks, held rating windows, inspection
 * plans), the policy check's findings and the audit log's status. It aggregates and reuses the
 * other capabilities' verbs; the ways in import from here only.
 */

export { type AuditStatus, getAuditStatus, verifyAuditNow } from './audit-status.ts';
export { type ConsoleDeps, type Dashboard, DUE_LIMIT, getDashboard } from './dashboard.ts';
export {
  checkPolicyFile,
  POLICY_FILES_IN_FORCE,
  POLICY_KINDS,
  type PolicyCheckResult,
  type PolicyFileChecked,
  type PolicyFileResult,
  type PolicyFinding,
  type PolicyKind,
  policyKindOf,
  runPolicyCheck,
} from './policy-check.ts';
