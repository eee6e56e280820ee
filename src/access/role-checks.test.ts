/**
 * Permissions in one place (CONVENTIONS.md §7b): what a role may do is decided by the permission
 * table, asked through `hasPermission`/`requirePermission`, never by comparing a principal's role
 * in a route, a verb or a helper. This scan fails when such a comparison appears outside
 * src/access; the few comparisons that are not permission decisions are listed with the reason.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../context.ts';

const SRC = join(import.meta.dirname, '..');

/** Comparisons that decide no permission: file, the line's text, why it may stay. */
const ALLOWED: { file: string; text: string; why: string }[] = [
  {
    file: 'rights/access-log.ts',
    text: "role === 'subject' && ref === names.self",
    why: 'the role of an audit entry (who acted), to name the subject "You"',
  },
  { file: 'rights/access-log.ts', text: 'switch (role) {', why: 'the same: an audit entry, named by role' },
  { file: 'subjects/index.ts', text: "a.role === 'operator'", why: "an audit entry's actor, shown by role" },
  { file: 'subjects/index.ts', text: "a.role === 'auditor'", why: "an audit entry's actor, shown by role" },
  {
    file: 'measures/explain.ts',
    text: "check.role === 'relying_party'",
    why: "a logged check's asker (who acted), to name its relying party",
  },
  {
    file: 'measures/explain.ts',
    text: "check.role === 'operator'",
    why: 'the same: who asked, named by role',
  },
  {
    file: 'api/errors.ts',
    text: "request.principal?.role === 'public'",
    why: 'an anonymous caller is told to authenticate (401), not refused (403)',
  },
  {
    file: 'api/rate-limit.ts',
    text: "request.principal.role !== 'public'",
    why: 'an anonymous caller is counted by address, not by credential',
  },
];

const roles = ROLES.join('|');
/** `x.role === 'operator'`, `role !== "source"`, `'auditor' === p.role`, `switch (p.role)`. */
const COMPARISON = new RegExp(
  String.raw`(\brole\s*[!=]==?\s*['"\`](${roles})['"\`])|(['"\`](${roles})['"\`]\s*[!=]==?\s*[\w.?]*\brole\b)|(switch\s*\([\w.?]*\brole\))`,
);

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });

describe('permissions in one place', () => {
  it('no role of a principal is compared outside src/access, except the listed non-decisions', () => {
    const found: string[] = [];
    for (const path of sources(SRC)) {
      const file = relative(SRC, path);
      if (file.startsWith('access/')) continue;
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (!COMPARISON.test(line)) return;
          if (ALLOWED.some((a) => a.file === file && line.includes(a.text))) return;
          found.push(`src/${file}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(
      found,
      'ask hasPermission/requirePermission with a permission from src/access/permissions.ts',
    ).toEqual([]);
  });

  it('the scan recognises the comparisons it must refuse', () => {
    for (const line of [
      "if (p.role === 'operator') {",
      "const sees = ctx.principal.role !== 'auditor';",
      "if ('subject' === principal.role) return;",
      'switch (ctx.principal.role) {',
    ])
      expect(COMPARISON.test(line), line).toBe(true);
    // A binding's role is not a principal's.
    expect(COMPARISON.test("if (c.role === 'legal_representative') {")).toBe(false);
  });
});
