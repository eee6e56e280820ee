/**
 * Credit-risk classes A–D (SAMR 2022) of organizations and public bodies, from their grade, their
 * list entries in force and their recent negative records, by the policy's class rules: the first
 * rule whose every condition holds gives the class, else the policy's default. Pure.
 *
 * Product rule 11: a person never has a class; asking for one is refused.
 */
import type { ListKind } from '../lists/index.ts';
import { invalidInput } from '../shared/errors.ts';
import type { ClassRule, RiskClass, SupervisionPolicy, TargetKind } from './policy.ts';

/** What a subject's class is computed from. */
export interface ClassFacts {
  kind: TargetKind;
  /** The subject's grade under the scoring policy (AAA…DC), null when it has none. */
  grade: string | null;
  /** Its list entries in force. */
  lists: readonly { code: string; kind: ListKind }[];
  /** Its negative records within the policy's `classes.recentMonths`. */
  negativeRecentRecords: number;
}

/** A class and why: the index and basis of the rule that gave it, or none for the default. */
export interface ClassExplained {
  class: RiskClass;
  /** Index of the matching rule in `classes.rules`; null when the default applied. */
  rule: number | null;
  basis: string;
}

type ClassPolicy = Pick<SupervisionPolicy, 'classes' | 'targetKinds'>;

const matches = (rule: ClassRule, f: ClassFacts): boolean => {
  if (rule.kinds && !rule.kinds.includes(f.kind)) return false;
  if (rule.grades && (f.grade === null || !(rule.grades as readonly string[]).includes(f.grade)))
    return false;
  if (rule.listKinds && !f.lists.some((e) => rule.listKinds!.includes(e.kind))) return false;
  if (rule.listCodes && !f.lists.some((e) => rule.listCodes!.includes(e.code))) return false;
  const n = rule.negativeRecords;
  if (n?.min !== undefined && f.negativeRecentRecords < n.min) return false;
  if (n?.max !== undefined && f.negativeRecentRecords > n.max) return false;
  return true;
};

/** The class of one organization or public body, with the rule that gave it. */
export const explainClass = (facts: ClassFacts, policy: ClassPolicy): ClassExplained => {
  if (!policy.targetKinds.includes(facts.kind) || (facts.kind as string) === 'person')
    throw invalidInput(
      `a ${facts.kind} has no credit-risk class: inspections target ${policy.targetKinds.join(' and ')} only ` +
        '(product rule 11: never persons)',
    );
  const rules = policy.classes.rules;
  for (let i = 0; i < rules.length; i++)
    if (matches(rules[i]!, facts)) return { class: rules[i]!.class, rule: i, basis: rules[i]!.basis };
  return { class: policy.classes.default, rule: null, basis: 'no class rule matched: the policy default' };
};

/** The class of one organization or public body. */
export const classOf = (facts: ClassFacts, policy: ClassPolicy): RiskClass =>
  explainClass(facts, policy).class;

/** The classes of many subjects, in order (for a whole snapshot). */
export const classesOf = (facts: Iterable<ClassFacts>, policy: ClassPolicy): RiskClass[] => {
  const out: RiskClass[] = [];
  for (const f of facts) out.push(explainClass(f, policy).class);
  return out;
};
