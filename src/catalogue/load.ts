/**
 * Loading the catalogue: YAML text → checked, immutable Catalogue. Every problem in a file is
 * reported at once, each with its path and line; protected data is refused outright (product
 * rule 2).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { type Issue, invalidInput, protectedCategory } from '../shared/errors.ts';
import { formatPath, type Path, plural, readPolicyYaml } from '../shared/policy-yaml.ts';
import { Catalogue } from './catalogue.ts';
import { isProtectedCategory, normaliseCategory } from './categories.ts';
import { checkItem } from './consistency.ts';
import { protectedIssuesIn } from './protected-screen.ts';
import { type CatalogueItem, catalogueFileSchema, catalogueItemSchema } from './schema.ts';

/** The default catalogue shipped with the product: policies/catalogue.yaml. */
export const DEFAULT_CATALOGUE_PATH = fileURLToPath(
  new URL('../../policies/catalogue.yaml', import.meta.url),
);

/** Parses and checks catalogue YAML. `origin` names the text in messages (a path, usually). */
export function parseCatalogue(text: string, origin = 'catalogue'): Catalogue {
  const { data, issueAt } = readPolicyYaml(text, origin);
  refuseProtected(data, origin, issueAt);

  const issues: Issue[] = [];
  const addZodIssues = (error: z.ZodError, prefix: Path) => {
    for (const issue of error.issues) {
      const path: Path = [...prefix, ...(issue.path as (string | number)[])];
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) issues.push(issueAt([...path, key], 'unknown field'));
      } else if (issue.input === undefined && path.length > 0) {
        issues.push(issueAt(path, 'required'));
      } else {
        issues.push(issueAt(path, issue.message));
      }
    }
  };

  const file = catalogueFileSchema.safeParse(data, { reportInput: true });
  if (!file.success) addZodIssues(file.error, []);

  // Items are checked even when the file's top level has problems, so one answer lists them all.
  const listed = dataItems(data);
  const rawItems: unknown[] = Array.isArray(listed) ? listed : [];
  const items: CatalogueItem[] = [];
  const firstIndexOfCode = new Map<string, number>();
  rawItems.forEach((raw, index) => {
    const parsed = catalogueItemSchema.safeParse(raw, { reportInput: true });
    if (!parsed.success) {
      addZodIssues(parsed.error, ['items', index]);
    } else {
      for (const p of checkItem(parsed.data)) {
        issues.push(issueAt(['items', index, p.field], `${p.message} (${parsed.data.code})`));
      }
      items.push(parsed.data);
    }
    // Duplicates are checked on the raw code so they show up even beside other problems.
    const code = (raw as { code?: unknown } | null)?.code;
    if (typeof code === 'string') {
      const first = firstIndexOfCode.get(code);
      if (first === undefined) firstIndexOfCode.set(code, index);
      else
        issues.push(issueAt(['items', index, 'code'], `duplicate code "${code}" (first at items[${first}])`));
    }
  });

  if (issues.length > 0) {
    throw invalidInput(
      `${origin}: the catalogue has ${plural(issues.length, 'problem')}:\n` +
        issues.map((i) => `- ${i.message}${i.line === undefined ? '' : ` (line ${i.line})`}`).join('\n'),
      issues,
    );
  }

  return new Catalogue({
    version: createHash('sha256').update(text, 'utf8').digest('hex'),
    label: (file.success ? file.data.catalogue_version : '').trim(),
    origin,
    items: items.map(deepFreeze),
  });
}

/** Reads and parses a catalogue file; its path names it in messages. */
export async function loadCatalogueFile(path: string): Promise<Catalogue> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? String(e);
    throw invalidInput(`cannot read catalogue file ${path}: ${reason}`);
  }
  return parseCatalogue(text, path);
}

const dataItems = (data: unknown): unknown =>
  data !== null && typeof data === 'object' ? (data as { items?: unknown }).items : undefined;

/**
 * Product rule 2: a type whose data category is protected, or any of whose texts (code, name,
 * description, legal basis, any other field, even an unknown one, and field names) names a
 * protected subject, refuses the whole catalogue — before any other check, so the answer is never
 * "fix the typo and try again".
 */
function refuseProtected(data: unknown, origin: string, issueAt: (path: Path, problem: string) => Issue) {
  const rawItems = dataItems(data);
  if (!Array.isArray(rawItems)) return;
  const issues: Issue[] = [];
  const rule = 'protected under product rule 2 (README.md, "Product rules")';
  rawItems.forEach((raw: unknown, index) => {
    if (raw === null || typeof raw !== 'object') return;
    const { code, data_category: category } = raw as Record<string, unknown>;
    const label = `items[${index}]${typeof code === 'string' ? ` (${code})` : ''}`;
    if (typeof category === 'string' && isProtectedCategory(category)) {
      const found = issueAt(['items', index, 'data_category'], '');
      issues.push({
        ...found,
        message: `${label}: data category "${normaliseCategory(category)}" is ${rule} and can never be a record type`,
      });
      return;
    }
    const found = protectedIssuesIn(
      raw,
      (path, problem) => issueAt(['items', index, ...path], problem),
      (word, path) =>
        `${label}: the ${formatPath(path)} mentions "${word.word}" (${word.category}), a subject ${rule}; ` +
        'it can never be a record type, whatever data category it is filed under',
    );
    // One issue an item: the first text that names a protected subject.
    if (found[0]) issues.push(found[0]);
  });
  if (issues.length > 0) {
    const more = issues.length > 1 ? ` (and ${plural(issues.length - 1, 'more protected type')})` : '';
    throw protectedCategory(`${origin}: ${issues[0]!.message}${more}`, issues);
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
