/**
 * A regulator's roster: inspectors (an inspector credential's ref) with their declared conflicts,
 * put on file one at a time or as one upload. Every code, name and conflict is checked before
 * anything is written, since a roster entry the draw cannot read would refuse every later plan of
 * the regulator; and a change to an inspector already on file is said, never silent, and changes
 * only what is given.
 */
import { requirePermission } from '../access/index.ts';
import type { Ctx } from '../context.ts';
import { actorOf } from '../due-process/index.ts';
import { validateUscc } from '../identity/index.ts';
import type { RawLine } from '../ingest/index.ts';
import { conflict, type Issue, invalidInput, notFound } from '../shared/errors.ts';
import type { InspectorRow } from '../store/index.ts';

/** The source kinds that regulate and inspect (REFERENCE "Supervision"). */
export const REGULATOR_KINDS = ['market_regulator', 'local_government'] as const;

/** An inspector's code: the ref of its credential, and an id in the draw's roster snapshot. */
const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MAX_NAME = 100;
/** Characters that hide or rewrite what a terminal or a page shows: control, line and bidi controls. */
const HIDDEN = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
/** Conflicts declared by one inspector (as the API allows). */
const MAX_CONFLICTS = 1000;

/** A value as a message may quote it: escaped (control characters shown), and cut short. */
const quote = (v: unknown): string => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}…"` : s;
};

export interface RosterEntry {
  code: string;
  name: string;
  /** USCCs, normalised (upper case), unique and sorted. */
  conflicts: string[];
}

export type RosterChange = 'added' | 'updated' | 'unchanged';

/**
 * One inspector as given (the verb's input, or a line of an upload), checked: the entry, or every
 * problem with the field it is in (and the line, when given).
 */
export const checkRosterEntry = (
  raw: unknown,
  line?: number,
): { entry: RosterEntry; issues?: undefined } | { entry?: undefined; issues: Issue[] } => {
  const issues: Issue[] = [];
  const at = (field: string, message: string) =>
    issues.push({ ...(line !== undefined ? { line } : {}), field, message });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    at('(line)', 'expected an object {"code","name"?,"conflicts"?}');
    return { issues };
  }
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r))
    if (k !== 'code' && k !== 'name' && k !== 'conflicts')
      at(k, 'unknown field (expected code, name, conflicts)');
  const code = r['code'];
  if (typeof code !== 'string' || !CODE.test(code))
    at(
      'code',
      `${quote(code)} is not an inspector code: 1–64 letters, digits, ".", "-" or "_", starting with a letter or digit`,
    );
  const name = r['name'] === undefined || r['name'] === null ? undefined : r['name'];
  if (name !== undefined) {
    if (typeof name !== 'string' || name.trim() === '' || name.trim().length > MAX_NAME || HIDDEN.test(name))
      at('name', `${quote(name)} is not a name: 1–${MAX_NAME} characters without control characters`);
  }
  const conflicts = r['conflicts'] === undefined || r['conflicts'] === null ? [] : r['conflicts'];
  const usccs: string[] = [];
  if (!Array.isArray(conflicts)) at('conflicts', 'expected a list of USCCs');
  else if (conflicts.length > MAX_CONFLICTS)
    at('conflicts', `${conflicts.length} conflicts: at most ${MAX_CONFLICTS} for one inspector`);
  else
    conflicts.forEach((c, i) => {
      const v = typeof c === 'string' ? validateUscc(c.trim().toUpperCase()) : undefined;
      if (!v?.ok) at(`conflicts[${i}]`, `${quote(c)} is not a USCC${v && !v.ok ? ` (${v.reason})` : ''}`);
      else usccs.push((c as string).trim().toUpperCase());
    });
  if (issues.length > 0) return { issues };
  return {
    entry: {
      code: code as string,
      name: typeof name === 'string' ? name.trim() : (code as string),
      conflicts: [...new Set(usccs)].sort(),
    },
  };
};

/**
 * An update states only what it changes: a name or conflicts left out (or null) keep what the
 * roster holds (an explicit `"conflicts": []` clears them). Left to their defaults instead, a
 * re-sent code would lose its name, and its declared conflicts with it, so the draw could give the
 * inspector an organization it declared a conflict with.
 */
const keepUnstated = (entry: RosterEntry, raw: unknown, previous: InspectorRow | undefined): RosterEntry => {
  if (!previous) return entry;
  const r = raw as Record<string, unknown>;
  const unstated = (k: string) => r[k] === undefined || r[k] === null;
  return {
    code: entry.code,
    name: unstated('name') ? previous.name : entry.name,
    conflicts: unstated('conflicts') ? [...new Set(previous.conflicts)].sort() : entry.conflicts,
  };
};

const sameEntry = (a: RosterEntry, b: { name: string; conflicts: string[] }) =>
  a.name === b.name && a.conflicts.join(';') === [...new Set(b.conflicts)].sort().join(';');

export const regulatorSource = async (ctx: Ctx, code: string) => {
  const s = await ctx.store.findSourceByCode(code);
  if (!s)
    throw notFound(
      `unknown regulator "${code}": register it as a source of kind ${REGULATOR_KINDS.join(' or ')}`,
    );
  if (!(REGULATOR_KINDS as readonly string[]).includes(s.kind))
    throw invalidInput(`source "${code}" is a ${s.kind}, not a regulator (${REGULATOR_KINDS.join(' or ')})`, [
      { field: 'regulator', message: s.kind },
    ]);
  return s;
};

/** Every inspector on any regulator's roster, by code. */
const inspectorsByCode = async (ctx: Ctx): Promise<Map<string, InspectorRow>> => {
  const regulators = (await ctx.store.listSources()).filter((s) =>
    (REGULATOR_KINDS as readonly string[]).includes(s.kind),
  );
  const out = new Map<string, InspectorRow>();
  for (const r of regulators)
    for (const i of await ctx.store.inspections.listInspectors(r.code)) out.set(i.code, i);
  return out;
};

const changeOf = (entry: RosterEntry, existing: InspectorRow | undefined): RosterChange =>
  !existing ? 'added' : sameEntry(entry, existing) ? 'unchanged' : 'updated';

const write = (ctx: Ctx, regulator: string, e: RosterEntry, at: string) =>
  ctx.store.inspections.upsertInspector({ ...e, regulator }, at, [
    {
      ...actorOf(ctx),
      subjectId: null,
      action: 'inspections.roster',
      detail: JSON.stringify({ inspector: e.code, regulator, conflicts: e.conflicts.length }),
    },
  ]);

/**
 * Puts an inspector (an inspector credential's ref) on a regulator's roster with its declared
 * conflicts; one already there is updated with what is given (a name or conflicts left out are
 * kept), and `change` says which (with what it held before).
 */
export const addInspector = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { code: string; regulator: string; name?: string | undefined; conflicts?: string[] | undefined };
}): Promise<InspectorRow & { change: RosterChange; previous?: InspectorRow }> => {
  requirePermission(ctx.principal, 'inspections.plan');
  const given = {
    code: input.code,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.conflicts !== undefined ? { conflicts: input.conflicts } : {}),
  };
  const checked = checkRosterEntry(given);
  if (checked.issues)
    throw invalidInput(`inspector ${quote(input.code)}: not put on the roster`, checked.issues);
  await regulatorSource(ctx, input.regulator);
  const previous = (await ctx.store.inspections.listInspectors(input.regulator)).find(
    (i) => i.code === checked.entry.code,
  );
  const entry = keepUnstated(checked.entry, given, previous);
  const row = await write(ctx, input.regulator, entry, ctx.clock.now().toISOString());
  return { ...row, change: changeOf(entry, previous), ...(previous ? { previous } : {}) };
};

/**
 * Puts the inspectors of one upload (numbered lines, as `readNdjson` gives them) on a regulator's
 * roster, all or none: every line is checked first and any problem refuses the whole upload, each
 * problem named by line and field. The same code twice with different data is refused naming both
 * lines (which one is meant?); twice the same is taken once. A roster is drawn from as a whole, so
 * half an upload on file would draw plans from a roster nobody meant.
 */
export const addInspectors = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { regulator: string; lines: RawLine[]; file?: string };
}): Promise<{ line: number; entry: RosterEntry; change: RosterChange; previous?: InspectorRow }[]> => {
  requirePermission(ctx.principal, 'inspections.plan');
  const what = input.file ?? 'the upload';
  const issues: Issue[] = [];
  const firstLine = new Map<string, { line: number; entry: RosterEntry }>();
  const entries: { line: number; entry: RosterEntry; raw: unknown }[] = [];
  for (const l of input.lines) {
    if (l.problem) {
      issues.push({ line: l.line, field: l.problem.field, message: l.problem.reason });
      continue;
    }
    const checked = checkRosterEntry(l.value, l.line);
    if (checked.issues) {
      issues.push(...checked.issues);
      continue;
    }
    const seen = firstLine.get(checked.entry.code);
    if (seen) {
      if (!sameEntry(checked.entry, seen.entry))
        issues.push({
          line: l.line,
          field: 'code',
          message: `inspector ${checked.entry.code} is also on line ${seen.line}, with another name or other conflicts: keep one line per inspector`,
        });
      continue;
    }
    firstLine.set(checked.entry.code, { line: l.line, entry: checked.entry });
    entries.push({ line: l.line, entry: checked.entry, raw: l.value });
  }
  if (issues.length > 0)
    throw invalidInput(
      `${what}: ${issues.length} problem(s); nothing was put on the roster of ${input.regulator}`,
      issues,
    );
  if (entries.length === 0) throw invalidInput(`${what}: no inspectors in it`);
  await regulatorSource(ctx, input.regulator);
  const known = await inspectorsByCode(ctx);
  const elsewhere = entries.filter(
    (e) => known.has(e.entry.code) && known.get(e.entry.code)!.regulator !== input.regulator,
  );
  if (elsewhere.length > 0)
    throw conflict(
      `${what}: nothing was put on the roster of ${input.regulator}; on another regulator's roster already: ` +
        elsewhere
          .map((e) => `line ${e.line}: ${e.entry.code} (${known.get(e.entry.code)!.regulator})`)
          .join(', '),
    );
  const at = ctx.clock.now().toISOString();
  const out: { line: number; entry: RosterEntry; change: RosterChange; previous?: InspectorRow }[] = [];
  for (const e of entries) {
    const previous = known.get(e.entry.code);
    const entry = keepUnstated(e.entry, e.raw, previous);
    const change = changeOf(entry, previous);
    if (change !== 'unchanged') await write(ctx, input.regulator, entry, at);
    out.push({ line: e.line, entry, change, ...(previous ? { previous } : {}) });
  }
  return out;
};
