/**
 * Reading a policy file (catalogue, scoring policy, lists, measures): YAML text → plain data, with
 * a way to name any path in it by field and line, so every problem can be reported where it is.
 */
import { isNode, LineCounter, parseDocument } from 'yaml';
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
): { data: unknown; issueAt: (path: Path, problem: string) => Issue } => {
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
    issueAt: (path, problem) => {
      const field = formatPath(path);
      return { line: lineOf(path), field, message: `${field}: ${problem}` };
    },
  };
};
