/**
 * Reading a policy file (catalogue, scoring policy, lists, measures): YAML text → plain data, with
 * a way to name any path in it by field and line, so every problem can be reported where it is.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type Issue, invalidInput } from './errors.ts';

export type Path = readonly (string | number)[];

/** `['items', 3, 'severity']` → `items[3].severity` */
export const formatPath = (path: Path): string => {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? key : `.${key}`;
  return out === '' ? '(file)' : out;
};

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Parses YAML (duplicate keys refused). Syntax errors throw `invalid_input` listing each with
 * its line and column. `issueAt` names a path's field and line (a missing field points at the
 * nearest node that exists).
 */
export const readPolicyYaml = (
  text: string,
  origin: string,
): {
  data: unknown;
  issueAt: (path: Path, problem: string) => Issue;
  /** The line of the deepest node on `path` that exists in the file. */
  lineOf: (path: Path) => number | undefined;
} => {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues: Issue[] = doc.errors.map((e) => {
      const { line, col } = lineCounter.linePos(e.pos[0]);
      return { line, message: `line ${line}, column ${col}: ${e.message.split('\n')[0]}` };
    });
    throw invalidInput(
      `${origin}: not valid YAML (${plural(issues.length, 'error')}):\n` +
        issues.map((i) => `- ${i.message}`).join('\n'),
      issues,
    );
  }
  const lineOf = (path: Path): number | undefined => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (e) {
    // e.g. an alias bomb: yaml refuses excessive alias expansion
    throw invalidInput(`${origin}: not valid YAML: ${(e as Error).message}`);
  }
  return {
    data,
    lineOf,
    issueAt: (path, problem) => {
      const field = formatPath(path);
      return { line: lineOf(path), field, message: `${field}: ${problem}` };
    },
  };
};

export type Report = (path: Path, problem: string) => void;

export interface ParsedFile<T> {
  data: T;
  /** SHA-256 of the text: the policy's identity. */
  version: string;
  lineOf: (path: Path) => number | undefined;
}

/**
 * Parses a policy file with its schema, then runs `check` for rules across fields; throws
 * `invalid_input` listing every problem, each with its path and line, when there is any.
 * `refuse`, when given, sees the raw data first and may throw its own error (the lists and measures
 * refuse protected subjects with `protected_category` before any other problem, as the catalogue).
 */
export function parsePolicyYaml<S extends z.ZodType>(
  text: string,
  origin: string,
  what: string,
  schema: S,
  check: (data: z.output<S>, report: Report) => void,
  refuse?: (raw: unknown, issueAt: (path: Path, problem: string) => Issue) => void,
): ParsedFile<z.output<S>> {
  const { data: raw, issueAt, lineOf } = readPolicyYaml(text, origin);
  refuse?.(raw, issueAt);
  const issues: Issue[] = [];
  const report: Report = (path, problem) => {
    issues.push(issueAt(path, problem));
  };
  const parsed = schema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path as (string | number)[];
      if (issue.code === 'unrecognized_keys')
        for (const key of issue.keys) report([...path, key], 'unknown field');
      else if (issue.input === undefined && path.length > 0) report(path, 'required');
      else report(path, issue.message);
    }
  } else {
    check(parsed.data, report);
  }
  if (!parsed.success || issues.length > 0) {
    throw invalidInput(
      `${origin}: the ${what} has ${plural(issues.length, 'problem')}:\n` +
        issues.map((i) => `- ${i.message}${i.line === undefined ? '' : ` (line ${i.line})`}`).join('\n'),
      issues,
    );
  }
  return {
    data: parsed.data as z.output<S>,
    version: createHash('sha256').update(text, 'utf8').digest('hex'),
    lineOf,
  };
}

/** Reads a policy file; its path names it in messages. */
export async function readPolicyText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? String(e);
    throw invalidInput(`cannot read ${what} file ${path}: ${reason}`);
  }
}
