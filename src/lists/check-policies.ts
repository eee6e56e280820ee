/**
 * The policy check across files: lists against the catalogue, measures against the lists, and the
 * proportionality of every restriction under a jurisdiction profile (product rule 4).
 */
import type { Catalogue, Domain } from '../catalogue/index.ts';
import { invalidInput } from '../shared/errors.ts';
import { formatPath, type Path } from '../shared/policy-yaml.ts';
import type { ListPolicy } from './list-policy.ts';
import type { MeasurePolicy } from './measure-policy.ts';

export interface PolicyProblem {
  level: 'error' | 'warning';
  /** Which file the problem is in. */
  file: 'lists' | 'measures' | 'catalogue';
  /** e.g. `measures[3].effect_domains[0]` */
  path: string;
  line?: number;
  message: string;
}

/**
 * Every problem between the catalogue, the lists and the measures under a jurisdiction profile
 * (default: the measure policy's own default). Errors make the policies unfit to run; warnings are
 * worth a look. An unknown profile name is `invalid_input`.
 */
export function checkPolicies(
  lists: ListPolicy,
  measures: MeasurePolicy,
  catalogue: Catalogue,
  profileName: string = measures.defaultProfile,
): PolicyProblem[] {
  const profile = measures.profiles.get(profileName);
  if (profile === undefined) {
    throw invalidInput(
      `unknown jurisdiction profile "${profileName}" (known: ${[...measures.profiles.keys()].join(', ')})`,
      [{ field: 'profile', message: 'unknown profile' }],
    );
  }
  const problems: PolicyProblem[] = [];
  const add =
    (
      file: PolicyProblem['file'],
      lineOf: ((p: Path) => number | undefined) | null,
      level: PolicyProblem['level'],
    ) =>
    (path: Path, message: string) => {
      const line = lineOf?.(path);
      problems.push({
        level,
        file,
        path: formatPath(path),
        ...(line === undefined ? {} : { line }),
        message,
      });
    };
  const listError = add('lists', lists.lineOf, 'error');
  const listWarning = add('lists', lists.lineOf, 'warning');
  const measureError = add('measures', measures.lineOf, 'error');
  const catalogueError = add('catalogue', null, 'error');

  // A profile that stands for a jurisdiction's law is that law: the file may add profiles, not
  // weaken these (the EU AI Act's ban cannot be switched off where it applies).
  for (const [name, crossDomain] of PINNED_PROFILES) {
    const p = measures.profiles.get(name);
    if (p !== undefined && p.crossDomain !== crossDomain)
      measureError(
        ['profiles', name, 'cross_domain'],
        `profile ${name} is cross_domain: ${crossDomain} by law (${PINNED_BASIS[name]}); this file cannot make it ${p.crossDomain}`,
      );
  }

  // Lists against the catalogue.
  lists.lists.forEach((l, i) => {
    const typeAt = (path: Path, code: string, polarity?: 'negative' | 'positive') => {
      const item = catalogue.get(code);
      if (item === undefined) {
        listError(path, `unknown record type "${code}" (not in catalogue ${catalogue.label})`);
        return;
      }
      if (polarity !== undefined && item.polarity !== polarity)
        listError(path, `"${code}" is a ${item.polarity} record; expected a ${polarity} one here`);
      if (!item.subject_kinds.some((k) => l.subjectKinds.includes(k)))
        listWarning(
          path,
          `"${code}" never applies to the list's subject kinds (${l.subjectKinds.join(', ')})`,
        );
    };
    l.enteredBy.forEach((c, j) => {
      typeAt(['lists', i, 'entry', 'entered_by', j], c, 'negative');
    });
    l.repeat?.types.forEach((c, j) => {
      typeAt(['lists', i, 'entry', 'repeat', 'types', j], c, 'negative');
    });
    l.requiresPositive.forEach((c, j) => {
      typeAt(['lists', i, 'entry', 'requires_positive', j], c, 'positive');
    });
    // A listing an authority decided is lengthened by that authority's own decision (SPC 2017
    // Art. 2: the court extends its list), never by another body's record of unrelated conduct.
    const deciders = new Set(l.enteredBy.flatMap((c) => catalogue.get(c)?.source_kinds ?? []));
    l.extend?.when.forEach((c, j) => {
      typeAt(['lists', i, 'extend', 'when', j], c, 'negative');
      const others = (catalogue.get(c)?.source_kinds ?? []).filter((k) => !deciders.has(k));
      if (l.decidedBy === 'authority' && others.length > 0)
        listError(
          ['lists', i, 'extend', 'when', j],
          `"${c}" is recorded by ${others.join(', ')} sources, which do not decide this list (its entries come from ${[...deciders].join(', ')}): an authority's listing is extended only by its own decision`,
        );
    });
    // Each listing and each exit names its case, so an exit ends only the listing of its own case:
    // an exit type without a case reference could end nothing, or anything.
    const caseRef = (path: Path, code: string) => {
      const item = catalogue.get(code);
      if (item !== undefined && !item.requires_case_reference)
        listError(
          path,
          `"${code}" does not require a case reference: a listing and its exits are matched case by case (catalogue requires_case_reference: true)`,
        );
    };
    l.exitOn.forEach((c, j) => {
      typeAt(['lists', i, 'exit_on', j], c, 'positive');
      caseRef(['lists', i, 'exit_on', j], c);
    });
    // Black lists carry serious dishonesty only (Guobanfa [2020] No. 49).
    if (l.kind === 'black') {
      const serious = (path: Path, code: string) => {
        const item = catalogue.get(code);
        if (item !== undefined && item.severity !== 'serious')
          listError(
            path,
            `a black list carries serious conduct only, and "${code}" is of severity ${item.severity}`,
          );
      };
      l.enteredBy.forEach((c, j) => {
        serious(['lists', i, 'entry', 'entered_by', j], c);
        caseRef(['lists', i, 'entry', 'entered_by', j], c);
      });
      l.repeat?.types.forEach((c, j) => {
        serious(['lists', i, 'entry', 'repeat', 'types', j], c);
      });
      if (l.exitOn.length === 0)
        listError(['lists', i], 'a black list needs exit_on: an exit when the obligation is met');
    }
    for (const c of Object.keys(l.entryMinAmount)) {
      const item = catalogue.get(c);
      if (item !== undefined && item.amount === 'none')
        listError(['lists', i, 'entry', 'min_amount', c], `"${c}" carries no amount to compare`);
    }
    // A list's domains are those of the records that put a subject on it: declared wider, they
    // would let a measure reach a domain the listing's conduct never touched (product rule 4).
    const conduct = new Set(
      [...l.enteredBy, ...(l.repeat?.types ?? []), ...l.requiresPositive].flatMap((c) => {
        const item = catalogue.get(c);
        return item === undefined ? [] : [item.domain];
      }),
    );
    l.domains.forEach((d, j) => {
      if (conduct.size > 0 && !conduct.has(d))
        listError(
          ['lists', i, 'domains', j],
          `the list is declared in the ${d} domain, but no record that enters it is (they are ${[...conduct].join(', ')}): a list's domains are its conduct's`,
        );
    });
    // The catalogue declares which types trigger which list: the entry rule should agree.
    const entryTypes = new Set([...l.enteredBy, ...(l.repeat?.types ?? []), ...l.requiresPositive]);
    for (const item of catalogue.items) {
      if (item.list_triggers.includes(l.code) && !entryTypes.has(item.code))
        listWarning(
          ['lists', i, 'entry'],
          `the catalogue says "${item.code}" triggers this list, but the entry rule does not use it`,
        );
    }
  });
  // Every list the catalogue names must be defined.
  catalogue.items.forEach((item, i) => {
    for (const code of item.list_triggers)
      if (!lists.byCode.has(code))
        catalogueError(
          ['items', i, 'list_triggers'],
          `"${item.code}" triggers list "${code}", which the list policy does not define`,
        );
  });

  // Measures against the lists, and proportionality.
  measures.measures.forEach((m, i) => {
    const at = (...rest: (string | number)[]): Path => ['measures', i, ...rest];
    if (m.legalBasis.trim() === '') measureError(at('legal_basis'), 'every measure needs a legal basis');
    // Restrictions always; rewards too where cross-domain measures are forbidden: a reward earned by
    // a score in one context is unfavourable treatment, in an unrelated one, of everyone without it
    // (EU AI Act Art. 5(1)(c): "detrimental or unfavourable treatment"). Where domains may be linked
    // (cn), rewards rest on the joint-rewards basis that links them (Guofa [2016] No. 33).
    const checked = m.kind === 'restriction' || profile!.crossDomain === 'forbidden';
    if (m.trigger.kind === 'lists') {
      const single = m.trigger.lists.length === 1;
      m.trigger.lists.forEach((code, j) => {
        const path = single ? at('trigger') : at('trigger', 'lists', j);
        const list = lists.byCode.get(code);
        if (list === undefined) {
          measureError(path, `unknown list "${code}" (not in list policy ${lists.label})`);
          return;
        }
        if (m.kind === 'reward' && list.kind !== 'red')
          measureError(path, `a reward is triggered by a red list, not the ${list.kind} list "${code}"`);
        if (m.kind === 'restriction' && list.kind === 'red')
          measureError(path, `a restriction cannot be triggered by the red list "${code}"`);
        if (checked) related(list.domains, `list "${code}"`);
      });
    } else if (checked) {
      // A grade mixes every domain, so no effect domain is related to it by itself.
      related([], `a grade (${m.trigger.kind} ${m.trigger.grade}), which mixes every domain,`);
    }

    function related(triggerDomains: readonly Domain[], what: string): void {
      m.effectDomains.forEach((d, j) => {
        if (triggerDomains.includes(d)) return;
        if (profile!.crossDomain === 'forbidden') {
          measureError(
            at('effect_domains', j),
            `${m.kind} reaches the ${d} domain, unrelated to ${what} in ${triggerDomains.join(', ') || 'no single domain'}: ` +
              `forbidden under profile ${profile!.name} (${profile!.basis.split(':')[0]})`,
          );
        } else if (!m.linksDomains.includes(d)) {
          measureError(
            at('effect_domains', j),
            `restriction reaches the ${d} domain, unrelated to ${what} in ${triggerDomains.join(', ') || 'no single domain'}, ` +
              `and its legal basis links no such domain (add links_domains: [${d}] only if the basis says so)`,
          );
        }
      });
    }
  });
  return problems;
}

/** Profiles whose cross-domain rule is the law they are named for, which a policy file may not change. */
const PINNED_PROFILES: ReadonlyMap<string, 'forbidden'> = new Map([['eu', 'forbidden']]);
const PINNED_BASIS: Readonly<Record<string, string>> = {
  eu: 'EU AI Act Art. 5(1)(c): no social scoring with detrimental treatment in unrelated contexts',
};

/** `checkPolicies`, throwing `invalid_input` with every error when there is any. */
export function checkPoliciesOrThrow(
  lists: ListPolicy,
  measures: MeasurePolicy,
  catalogue: Catalogue,
  profileName?: string,
): PolicyProblem[] {
  const problems = checkPolicies(lists, measures, catalogue, profileName);
  const errors = problems.filter((p) => p.level === 'error');
  if (errors.length > 0) {
    throw invalidInput(
      `the lists and measures have ${errors.length} problem${errors.length === 1 ? '' : 's'}:\n` +
        errors
          .map(
            (e) => `- ${e.file}: ${e.path}: ${e.message}${e.line === undefined ? '' : ` (line ${e.line})`}`,
          )
          .join('\n'),
      errors.map((e) => ({
        field: `${e.file}:${e.path}`,
        message: e.message,
        ...(e.line === undefined ? {} : { line: e.line }),
      })),
    );
  }
  return problems;
}
