import { describe, expect, it } from 'vitest';
import { isCredenceError } from '../shared/errors.ts';
import { type ClassFacts, classesOf, classOf, explainClass } from './classes.ts';
import { loadSupervisionPolicy } from './policy.ts';

const policy = await loadSupervisionPolicy();
const org = (over: Partial<ClassFacts> = {}): ClassFacts => ({
  kind: 'organization',
  grade: 'A',
  lists: [],
  negativeRecentRecords: 0,
  ...over,
});

describe('credit-risk classes', () => {
  it('a black list entry makes class D, whatever the grade', () => {
    expect(
      classOf(org({ grade: 'AAA', lists: [{ code: 'black.court_defaulters', kind: 'black' }] }), policy),
    ).toBe('D');
    expect(classOf(org({ grade: 'DC' }), policy)).toBe('D');
  });

  it('the focus list, low grades and repeated recent violations make class C', () => {
    expect(classOf(org({ lists: [{ code: 'focus.abnormal_operation', kind: 'focus' }] }), policy)).toBe('C');
    expect(classOf(org({ grade: 'DA' }), policy)).toBe('C');
    expect(classOf(org({ negativeRecentRecords: 3 }), policy)).toBe('C');
    expect(classOf(org({ negativeRecentRecords: 2 }), policy)).toBe('B');
  });

  it('good grades with a clean recent record, or a red list entry, make class A', () => {
    expect(classOf(org({ grade: 'AA' }), policy)).toBe('A');
    expect(classOf(org({ grade: 'AA', negativeRecentRecords: 1 }), policy)).toBe('B');
    expect(
      classOf(org({ grade: null, lists: [{ code: 'red.a_grade_taxpayers', kind: 'red' }] }), policy),
    ).toBe('A');
  });

  it('an ungraded subject with nothing against it gets the default, and says so', () => {
    expect(explainClass(org({ grade: null }), policy)).toEqual({
      class: 'B',
      rule: null,
      basis: 'no class rule matched: the policy default',
    });
    const d = explainClass(org({ grade: 'DB', kind: 'public_body' }), policy);
    expect(d.class).toBe('D');
    expect(d.rule).toBe(1);
    expect(d.basis).toMatch(/worst scoring grades/);
  });

  it('the first matching rule wins', () => {
    // focus-listed (C) and AAA without records (A): the focus rule comes first
    expect(
      classOf(org({ grade: 'AAA', lists: [{ code: 'focus.abnormal_operation', kind: 'focus' }] }), policy),
    ).toBe('C');
  });

  it('a person never has a class (product rule 11)', () => {
    let error: unknown;
    try {
      classOf({ ...org(), kind: 'person' as 'organization' }, policy);
    } catch (e) {
      error = e;
    }
    expect(isCredenceError(error) && error.code === 'invalid_input' && /rule 11/.test(error.message)).toBe(
      true,
    );
  });

  it('classesOf classifies a snapshot in order', () => {
    expect(classesOf([org({ grade: 'DC' }), org(), org({ grade: 'AAA' })], policy)).toEqual(['D', 'B', 'A']);
  });
});
