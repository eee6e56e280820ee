/**
 * Least privilege (product rule 10): what each role may do. Verbs check these; routes and commands
 * never decide permissions themselves.
 */
import { type Principal, ROLES, type Role } from '../context.ts';
import { forbidden, invalidInput } from '../shared/errors.ts';

/** What every role may do, the anonymous public included: published information only. */
const EVERYONE = ROLES;

export const PERMISSIONS = {
  'catalogue.read': EVERYONE,
  'sources.manage': ['operator'],
  'sources.read': ['operator', 'auditor'],
  /** Any source's roster (who serves under it; reads audited on each person's trail). */
  'sources.staff.read': ['operator', 'auditor'],
  /** A source's own roster only (checked against the principal's ref). */
  'sources.staff.read_own': ['source'],
  'tokens.manage': ['operator'],
  /** Submit records (a source for itself only). */
  'records.submit': ['operator', 'source'],
  /** Submit records in the name of any registered source. */
  'records.submit_any': ['operator'],
  /** Import subjects from a registry (population, business or public-body registry). */
  'subjects.register': ['operator'],
  /** Any subject's whole file. */
  'subjects.read_any': ['operator', 'auditor'],
  /** Own file only (checked against the principal's ref). */
  'subjects.read_own': ['subject'],
  /** Mark one's own notifications read (checked against the principal's ref). */
  'notifications.mark_read': ['subject'],
  /** The whole audit log: its entries, inclusion proofs of any leaf, verification. */
  'audit.read': ['operator', 'auditor'],
  /** The signed tree head, the log's public key and consistency proofs between heads. */
  'audit.head': ['operator', 'auditor', 'subject'],
  /** Entries and inclusion proofs of one's own trail (checked against the principal's ref). */
  'audit.trail': ['subject'],
  /** Put committed entries in the tree and sign a new head (the platform does it while serving). */
  'audit.cut': ['operator'],
  /** Copy the whole store out (`credence backup`) or put a copy in place (`credence restore`); audited. */
  'store.copy': ['operator'],
  'stats.read': ['operator', 'auditor'],
  'relying_parties.manage': ['operator'],
  /** Registered relying parties with their grants, quotas and the checks they made today. */
  'relying_parties.read': ['operator', 'auditor'],
  /** The operator console: dashboard counts, policy check results, the audit log's status. */
  'console.read': ['operator', 'auditor'],
  /** GET /metrics: request, check and ingest counts, latencies and queue depths (no subject data). */
  'metrics.read': ['operator'],
  /** Ask whether a measure applies to subjects (a relying party only for measures granted to it). */
  'checks.run': ['operator', 'relying_party'],
  /** Check any measure, granted or not, and be told when a measure does not exist. */
  'checks.run_any': ['operator'],
  /**
   * Any logged check explained and recomputed as of its instant, with the entry and records it
   * rested on (as reading the subject's file allows); never a relying party (product rule 10).
   */
  'checks.explain': ['operator', 'auditor'],
  /** A check of oneself explained (checked against the principal's ref). */
  'checks.explain_own': ['subject'],
  /** Full rescoring of the population. */
  'scores.compute': ['operator'],
  /** Rescoring the subjects a submitted batch touched. */
  'scores.update': ['operator', 'source'],
  /** Apply the transitions time brings (grace periods and listings ending, windows closing). */
  'maintain.run': ['operator'],
  /** Deliver the notification outbox to the messaging gateway. */
  'outbox.deliver': ['operator'],
  /** See the outbox's state (counts, failures; no subject data). */
  'outbox.read': ['operator', 'auditor'],
  /** Object to a record of one's own file (checked against the principal's ref). */
  'objections.file': ['subject'],
  /** The objection queue and any objection. */
  'objections.read': ['operator', 'auditor'],
  /** Objections to the records a source sent (its own only); its first read is the source's notice. */
  'objections.read_sent': ['source'],
  /** Decide objections and appeals. */
  'objections.decide': ['operator'],
  /** Apply to repair a negative record of one's own file. */
  'repairs.apply': ['subject'],
  /** The repair queue and any application. */
  'repairs.read': ['operator', 'auditor'],
  /** Give feedback on and decide repair applications. */
  'repairs.decide': ['operator'],
  /** A source corrects or withdraws records it sent (its own only). */
  'records.revise': ['operator', 'source'],
  /** Issue interaction tokens when a service takes place (a source for itself only). */
  'interactions.issue': ['operator', 'source'],
  /** Issue interaction tokens in the name of any source. */
  'interactions.issue_any': ['operator'],
  /** Rate a service with an interaction token (a person subject acting as itself). */
  'ratings.submit': ['rater', 'subject'],
  /** Published rating aggregates of organizations, public bodies and licensed professionals. */
  'ratings.read': EVERYONE,
  /** One's own ratings as the rated subject: aggregates with held counts, comments, replies, objections. */
  'ratings.read_own': ['subject'],
  /** Answer a comment publicly and object to a rating of oneself (checked against the principal's ref). */
  'ratings.respond': ['subject'],
  /** The held windows and the ratings in them (raters never named). */
  'ratings.read_held': ['operator', 'auditor'],
  /** Confirm or release a held window, with reasons. */
  'ratings.decide': ['operator'],
  /** Run detection over every rating and turn sustained aggregates into records. */
  'ratings.sweep': ['operator'],
  /** Rosters of inspectors and drawing inspection plans. */
  'inspections.plan': ['operator'],
  /** Enter the outcome of an inspection one is assigned (an operator for any). */
  'inspections.outcome': ['operator', 'inspector'],
  /** Enter the outcome of any inspection and see every assignment. */
  'inspections.outcome_any': ['operator'],
  /** Every plan's targets and seed before its inspections are done. */
  'inspections.read_all': ['operator', 'auditor'],
  /** The targets of the inspections one is assigned before they are done (checked against the principal's ref). */
  'inspections.read_assigned': ['inspector'],
  /** Plans' published inputs and the results of inspections done (targets only once done, except to operators, auditors and the assigned inspectors). */
  'inspections.read_published': EVERYONE,
  /** The public lookup's search over organizations and public bodies (never persons). */
  'lookup.search': EVERYONE,
  /** Published pages of organizations and public bodies (audited) and the black and red lists in force. */
  'lookup.read': EVERYONE,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/**
 * What a permission entails when a token's scope names it: a batch of records rescores the
 * subjects it touched, so a scope allowing submissions or revisions allows that rescoring too.
 */
export const ENTAILED: Partial<Record<Permission, readonly Permission[]>> = {
  'records.submit': ['scores.update'],
  'records.revise': ['scores.update'],
};

/**
 * A principal whose credential carries a scope: it may do only what its role allows *and* its
 * scope names (with what those entail). Without a scope (or an empty one), everything its role
 * allows. What the anonymous public may do is never refused to a scoped credential: refusing it
 * would protect nothing, since the holder could ask without the credential.
 */
export interface ScopedPrincipal extends Principal {
  scope?: readonly Permission[];
}

const isPermission = (name: string): name is Permission => Object.hasOwn(PERMISSIONS, name);
const held = (role: Role, perm: Permission) => (PERMISSIONS[perm] as readonly Role[]).includes(role);

const inScope = (scope: readonly Permission[] | undefined, perm: Permission): boolean =>
  scope === undefined ||
  scope.length === 0 ||
  held('public', perm) ||
  scope.some((s) => s === perm || ENTAILED[s]?.includes(perm) === true);

/** Whether a principal may do something: its role holds the permission and its scope (if any) names it. */
export const hasPermission = (p: Principal, perm: Permission): boolean =>
  held(p.role, perm) && inScope((p as ScopedPrincipal).scope, perm);

/** The same question as `hasPermission` (kept for the verbs that ask it under this name). */
export const can = hasPermission;

const describe = (perm: Permission) => perm.replace('.', ' ').replaceAll('_', ' ');

export const requirePermission = (p: Principal, perm: Permission): void => {
  if (!held(p.role, perm)) throw forbidden(`role ${p.role} may not ${describe(perm)}`);
  const scope = (p as ScopedPrincipal).scope;
  if (!inScope(scope, perm))
    throw forbidden(
      `this credential's scope does not include ${perm} (it allows ${scope!.join(', ')}): ask an operator for a token scoped to it`,
    );
};

/**
 * A scope as given when issuing a token: permission names from the table, each held by the
 * token's role; duplicates dropped. Refuses anything else with the names at fault.
 */
export const parseScope = (role: Role, names: readonly string[]): Permission[] => {
  const unknown = names.filter((n) => !isPermission(n));
  if (unknown.length > 0)
    throw invalidInput(
      `unknown permission ${unknown.map((n) => `"${n}"`).join(', ')} in scope: expected names from the permission table, e.g. ${Object.keys(
        PERMISSIONS,
      )
        .filter((n) => held(role, n as Permission))
        .slice(0, 4)
        .join(', ')}`,
      unknown.map((n) => ({ field: 'scope', message: `unknown permission ${n}` })),
    );
  const notHeld = (names as Permission[]).filter((n) => !held(role, n));
  if (notHeld.length > 0)
    throw invalidInput(
      `a ${role} token cannot be scoped to ${notHeld.join(', ')}: its role does not hold ${notHeld.length > 1 ? 'them' : 'it'}`,
      notHeld.map((n) => ({ field: 'scope', message: `${n} not held by ${role}` })),
    );
  return [...new Set(names as Permission[])];
};
