/**
 * The due-process policy's rule for disputed bindings is data, checked on load as `credence policy
 * check` loads it: the published file says a registration authority's binding keeps binding while
 * the bound person's objection is pending, and anything but true or false is refused by name.
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Catalogue, DEFAULT_CATALOGUE_PATH, loadCatalogueFile } from '../catalogue/index.ts';
import { DEFAULT_DUE_PROCESS_PATH, parseDueProcessPolicy } from './index.ts';

describe('due-process policy: bindings while disputed', () => {
  let catalogue: Catalogue;
  let text: string;
  beforeAll(async () => {
    catalogue = await loadCatalogueFile(DEFAULT_CATALOGUE_PATH);
    text = await readFile(DEFAULT_DUE_PROCESS_PATH, 'utf8');
  });

  it('the published policy keeps a disputed binding binding', () => {
    expect(parseDueProcessPolicy(text, catalogue).objections.bindingsWhileDisputed).toBe(true);
    const off = text.replace('bindings_while_disputed: true', 'bindings_while_disputed: false');
    expect(parseDueProcessPolicy(off, catalogue).objections.bindingsWhileDisputed).toBe(false);
  });

  it('refuses a value other than true or false, and a policy without the rule, naming the key', () => {
    const bad = text.replace('bindings_while_disputed: true', 'bindings_while_disputed: sometimes');
    expect(() => parseDueProcessPolicy(bad, catalogue)).toThrow(/objections\.bindings_while_disputed/);
    const missing = text.replace(/\n\s*bindings_while_disputed: true/, '');
    expect(() => parseDueProcessPolicy(missing, catalogue)).toThrow(/bindings_while_disputed/);
  });
});
