/**
 * Product rule 4 cannot be laundered through the policy files: a list's domains are its conduct's,
 * and the EU profile's ban on cross-domain measures cannot be switched off in the file it polices.
 */
import { describe, expect, it } from 'vitest';
import { checkPolicies } from './check-policies.ts';
import { parseListPolicy } from './list-policy.ts';
import { parseMeasurePolicy } from './measure-policy.ts';
import { catalogue, lists, listsText, measures, measuresText } from './test-helpers.ts';

const TAX_DOMAINS =
  '    domains: [commercial]\n    decided_by: authority\n    entry:\n      entered_by:\n        [tax.serious_evasion';

describe('relatedness that the policy files cannot widen', () => {
  it('refuses a list declared in domains none of its entering records is in', () => {
    expect(listsText).toContain(TAX_DOMAINS);
    const wide = parseListPolicy(
      listsText.replace(
        TAX_DOMAINS,
        TAX_DOMAINS.replace('[commercial]', '[commercial, social, government, judicial]'),
      ),
      'lists.yaml',
    );
    const problems = checkPolicies(wide, measures, catalogue, 'cn').filter((p) => p.level === 'error');
    expect(problems.map((p) => [p.file, p.path])).toEqual([
      ['lists', expect.stringMatching(/^lists\[\d+\]\.domains\[1\]$/)],
      ['lists', expect.stringMatching(/^lists\[\d+\]\.domains\[2\]$/)],
      ['lists', expect.stringMatching(/^lists\[\d+\]\.domains\[3\]$/)],
    ]);
    expect(problems[0]!.message).toMatch(
      /declared in the social domain, but no record that enters it is \(they are commercial\)/,
    );
    expect(problems.every((p) => p.line !== undefined)).toBe(true);
    // The shipped lists are their conduct's.
    expect(checkPolicies(lists, measures, catalogue, 'cn')).toEqual([]);
  });

  it('refuses an eu profile weakened to allow linked cross-domain measures', () => {
    const from = '  eu:\n    cross_domain: forbidden';
    expect(measuresText).toContain(from);
    const weak = parseMeasurePolicy(
      measuresText.replace(from, '  eu:\n    cross_domain: linked'),
      'measures.yaml',
    );
    for (const profile of ['cn', 'eu']) {
      const e = checkPolicies(lists, weak, catalogue, profile).filter(
        (p) => p.path === 'profiles.eu.cross_domain',
      );
      expect(e.map((p) => [p.level, p.message])).toEqual([
        ['error', expect.stringMatching(/profile eu is cross_domain: forbidden by law \(EU AI Act/)],
      ]);
    }
  });
});
