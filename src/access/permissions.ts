/**
 * Least privilege (product rule 10): what each role may do. Verbs check these; routes and commands
 * never decide permissions themselves.
 */
import { type Principal, ROLES, type Role } from '../context.ts';
import { forbidden } from '../shared/errors.ts';

/** What every role may do, the anonymous public included: published information only. */
const EVERYONE = ROLES;

export const PERMISSIONS = {
  'catalogue.read': EVERYONE,
  'sources.manage': ['operator'],
  'sources.read': ['operator', 'auditor'],
  'tokens.manage': ['operator'],
  'records.submit': ['operator', 'source'],
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
  'stats.read': ['operator', 'auditor'],
  'relying_parties.manage': ['operator'],
  /** Registered relying parties with their grants, quotas and the checks they made today. */
  'relying_parties.read': ['operator', 'auditor'],
  /** The operator console: dashboard counts, policy check results, the audit log's status. */
  'console.read': ['operator', 'auditor'],
  /** Ask whether a measure applies to subjects (a relying party only for measures granted to it). */
  'checks.run': ['operator', 'relying_party'],
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
  /** Plans' published inputs and the results of inspections done (targets only once done, except to operators, auditors and the assigned inspectors). */
  'inspections.read_published': EVERYONE,
  /** The public lookup's search over organizations and public bodies (never persons). */
  'lookup.search': EVERYONE,
  /** Published pages of organizations and public bodies (audited) and the black and red lists in force. */
  'lookup.read': EVERYONE,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export const can = (p: Principal, perm: Permission): boolean =>
  (PERMISSIONS[perm] as readonly Role[]).includes(p.role);

export const requirePermission = (p: Principal, perm: Permission): void => {
  if (!can(p, perm)) throw forbidden(`role ${p.role} may not ${perm.replace('.', ' ').replace('_', ' ')}`);
};
