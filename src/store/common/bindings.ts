/**
 * Who represents an organization or public body: the legal representative, principal responsible
 * persons and actual controller, kept with the days each binding held (never overwritten). Only a
 * write with binding rights (a registration authority's line, the operator's registry import) may
 * change them; a line from anyone else that names other persons than those on file is refused.
 * The plan (what a line changes) is the same on both backends; each backend writes it its own way.
 */
import { randomUUID } from 'node:crypto';
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../schema.ts';
import type {
  BindingQuery,
  BindingRights,
  BindingRole,
  BindingRow,
  PersonRef,
  SubjectRef,
} from '../types.ts';
import { noteCheckChanges } from './checks.ts';
import { queries } from './queries.ts';
import { subjectChunks } from './subject-chunks.ts';

/** The roles a line names, each with its field (for a refusal) and the whole set of persons named. */
export interface NamedRole {
  role: BindingRole;
  field: string;
  persons: PersonRef[];
}

export const namedRoles = (ref: SubjectRef): NamedRole[] => {
  const out: NamedRole[] = [];
  if (ref.legalRepresentative)
    out.push({
      role: 'legal_representative',
      field: 'subject.legal_representative',
      persons: [ref.legalRepresentative],
    });
  if (ref.principalResponsiblePersons)
    out.push({
      role: 'principal_responsible_person',
      field: 'subject.principal_responsible_persons',
      persons: ref.principalResponsiblePersons,
    });
  if (ref.actualController)
    out.push({
      role: 'actual_controller',
      field: 'subject.actual_controller',
      persons: [ref.actualController],
    });
  return out;
};

/** Every person a line names in a binding role, first mention wins. */
export const personsNamed = (ref: SubjectRef): PersonRef[] => {
  const out: PersonRef[] = [];
  for (const r of namedRoles(ref))
    for (const p of r.persons) if (!out.some((q) => q.identifier === p.identifier)) out.push(p);
  return out;
};

/** Whether a reference names any binding at all (the common line names none, or only its current one). */
export const namesBindings = (ref: SubjectRef): boolean =>
  ref.legalRepresentative !== undefined ||
  ref.principalResponsiblePersons !== undefined ||
  ref.actualController !== undefined;

/** The binding in force per role of one organization: person ids. */
export type CurrentBindings = Map<BindingRole, number[]>;
/** Persons whose binding in a role was removed on an objection, by role, with the day it was. */
export type WithdrawnBindings = Map<BindingRole, Map<number, string>>;

/**
 * A line with binding rights that names, in a role, a person whose binding to the organization in
 * that role was removed on an objection and who is not bound in it again: refused unless the
 * rights say otherwise (the operator's registry import). A registry re-sending what the objection
 * found wrong must not restrict the person again.
 */
export const withdrawnNamed = (
  named: NamedRole[],
  current: CurrentBindings,
  withdrawn: WithdrawnBindings,
  idOf: (identifier: string) => number | undefined,
): { status: 'rejected'; field: string; reason: string } | undefined => {
  for (const n of named) {
    const gone = withdrawn.get(n.role);
    if (!gone) continue;
    const now = current.get(n.role) ?? [];
    for (let i = 0; i < n.persons.length; i++) {
      const id = idOf(n.persons[i]!.identifier);
      const day = id === undefined ? undefined : gone.get(id);
      if (day === undefined || now.includes(id!)) continue;
      return {
        status: 'rejected',
        field: `${n.role === 'principal_responsible_person' ? `${n.field}.${i}` : n.field}.id_number`,
        reason: `this person's binding as ${n.role.replaceAll('_', ' ')} of the organization was removed on an objection on ${day}: a source's line cannot bind them again; the operator's registry import (credence subjects import) can, once the registration file is confirmed`,
      };
    }
  }
  return undefined;
};

/** One role's change for one organization. */
export interface BindingChange {
  organizationId: number;
  role: BindingRole;
  bind: number[];
  unbind: number[];
  /** Whether the organization never had anyone in this role (the binding then holds since before). */
  first: boolean;
}

/**
 * What a line changes: per named role, who is bound and unbound. `idOf` gives a named person's
 * subject id (undefined when not on file: then it differs from whatever is in force).
 */
/** An organization's bindings as a line is judged against them. */
export interface BindingState {
  current: CurrentBindings;
  ever: Set<BindingRole>;
  withdrawn: WithdrawnBindings;
}
export const emptyBindingState = (): BindingState => ({
  current: new Map(),
  ever: new Set(),
  withdrawn: new Map(),
});

export const planBindings = (
  organizationId: number,
  named: NamedRole[],
  current: CurrentBindings,
  everBound: ReadonlySet<BindingRole>,
  idOf: (identifier: string) => number | undefined,
): BindingChange[] | 'differs_unknown' => {
  const out: BindingChange[] = [];
  for (const n of named) {
    const want: number[] = [];
    for (const p of n.persons) {
      const id = idOf(p.identifier);
      if (id === undefined) return 'differs_unknown';
      if (!want.includes(id)) want.push(id);
    }
    const now = current.get(n.role) ?? [];
    const bind = want.filter((id) => !now.includes(id));
    const unbind = now.filter((id) => !want.includes(id));
    if (bind.length + unbind.length > 0)
      out.push({ organizationId, role: n.role, bind, unbind, first: !everBound.has(n.role) });
  }
  return out;
};

/** The refusal for a line without binding rights that names others than the persons on file. */
export const bindingRefusal = (
  field: string,
  rights: BindingRights,
): { status: 'rejected'; field: string; reason: string } => ({
  status: 'rejected',
  field,
  reason: `names a person other than the one on file; only ${rights.whoMay} may set who represents an organization or public body`,
});

/**
 * A line naming a minor in a binding role: a minor has no full civil capacity and cannot represent
 * an organization (Civil Code Art. 18, 61), and would otherwise be bound by its listings.
 */
export const minorNamed = (
  ref: SubjectRef,
  day: string,
): { status: 'rejected'; field: string; reason: string } | undefined => {
  for (const role of namedRoles(ref))
    for (let i = 0; i < role.persons.length; i++) {
      const birth = role.persons[i]!.birthDate;
      const adultOn = `${String(Number(birth.slice(0, 4)) + 18).padStart(4, '0')}${birth.slice(4)}`;
      if (adultOn > day) {
        const field = role.role === 'principal_responsible_person' ? `${role.field}.${i}` : role.field;
        return {
          status: 'rejected',
          field: `${field}.id_number`,
          reason: `a person under 18 on ${day} cannot be bound to an organization as ${role.role.replaceAll('_', ' ')}`,
        };
      }
    }
  return undefined;
};

export const NO_BINDING_RIGHTS: BindingRights = {
  mayBind: false,
  whoMay:
    'a registration authority (a market_regulator source) or the registry import (credence subjects import)',
};

/** The detail of the `subject.binding` entry on the organization's trail. */
export const organizationBindingDetail = (c: BindingChange, day: string): string =>
  JSON.stringify({ role: c.role, bound: c.bind, unbound: c.unbind, from: c.first ? null : day });

/** The detail of the `subject.binding` entry on a bound or unbound person's trail. */
export const personBindingDetail = (c: BindingChange, bound: boolean, day: string): string =>
  JSON.stringify({
    organization_id: c.organizationId,
    role: c.role,
    [bound ? 'bound_from' : 'unbound_from']: bound && c.first ? null : day,
  });

/** The subjects whose checks a change may answer differently: the organization and every person it moved. */
export const bindingChangeSubjects = (changes: readonly BindingChange[]): number[] => [
  ...new Set(changes.flatMap((c) => [c.organizationId, ...c.bind, ...c.unbind])),
];

/** The binding day of a write at `at` (an ISO timestamp): its calendar day. */
export const bindingDay = (at: string): string => at.slice(0, 10);

const toRow = (r: {
  id: number | string;
  organization_id: number | string;
  person_id: number | string;
  role: string;
  valid_from: string | null;
  valid_until: string | null;
  source_id: number | string | null;
  recorded_at: string;
  disputed_by: number | string | null;
  suspended: number | string;
  withdrawn_at: string | null;
  withdrawn_reason: string | null;
}): BindingRow => ({
  id: Number(r.id),
  organizationId: Number(r.organization_id),
  personId: Number(r.person_id),
  role: r.role as BindingRole,
  validFrom: r.valid_from,
  validUntil: r.valid_until,
  sourceId: r.source_id == null ? null : Number(r.source_id),
  recordedAt: r.recorded_at,
  disputedBy: r.disputed_by == null ? null : Number(r.disputed_by),
  suspended: Number(r.suspended) === 1,
  withdrawnAt: r.withdrawn_at,
  withdrawnReason: r.withdrawn_reason,
});

export const BINDING_COLUMNS = [
  'id',
  'organization_id',
  'person_id',
  'role',
  'valid_from',
  'valid_until',
  'source_id',
  'recorded_at',
  'disputed_by',
  'suspended',
  'withdrawn_at',
  'withdrawn_reason',
] as const;

/**
 * The meta key that changes whenever a legal representative in force changes other than by a
 * record batch (an objection's decision on a binding).
 */
export const LEGAL_REPS_GENERATION = 'legal_reps_generation';

/**
 * The legal representative in force of an organization after a binding of it changed other than by
 * a line (an objection's decision withdrew it or ended it): the latest legal-representative binding
 * still open and not withdrawn, or nobody. `subjects.legal_rep_id` follows it.
 */
export const resetLegalRepresentative = async (
  db: Kysely<Database>,
  organizationId: number,
): Promise<number | null> => {
  const row = await db
    .selectFrom('subject_bindings')
    .select('person_id')
    .where('organization_id', '=', organizationId)
    .where('role', '=', 'legal_representative')
    .where('valid_until', 'is', null)
    .where('withdrawn_at', 'is', null)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const person = row ? Number(row.person_id) : null;
  await db.updateTable('subjects').set({ legal_rep_id: person }).where('id', '=', organizationId).execute();
  // A batch writer that keeps representatives in memory, in this process or another, reads it.
  await queries.setMeta(db, LEGAL_REPS_GENERATION, randomUUID());
  return person;
};

/** Which `subject_bindings` rows a write changes: the same predicate picks the rows it keeps first. */
export type BindingsWhere = (eb: ExpressionBuilder<Database, 'subject_bindings'>) => Expression<SqlBool>;

/**
 * Keeps the prior state of the bindings a write is about to change (`which`, the write's own
 * predicate), replaced at `at`, in the write's transaction (migration 0026): a report as of an
 * earlier instant reads them as they were then (`bindingsKnownAt`).
 */
export const keepBindingVersions = async (
  db: Kysely<Database>,
  at: string,
  which: BindingsWhere,
): Promise<void> => {
  await db
    .insertInto('binding_versions')
    .columns([...BINDING_VERSION_COLUMNS, 'replaced_at'])
    .expression(
      db
        .selectFrom('subject_bindings')
        .select(['id', 'organization_id', ...BINDING_STATE, sql<string>`${at}`.as('replaced_at')])
        .where(which),
    )
    .execute();
};

/** What a binding version keeps of a binding's state (the same columns in both tables). */
const BINDING_STATE = [
  'valid_from',
  'valid_until',
  'suspended',
  'disputed_by',
  'withdrawn_at',
  'withdrawn_reason',
] as const;
const BINDING_VERSION_COLUMNS = ['binding_id', 'organization_id', ...BINDING_STATE] as const;

/** The same as raw SQL with the rows' predicate appended (SQLite's prepared batch writer). */
export const KEEP_BINDING_VERSIONS_SQL = `insert into binding_versions
  (${BINDING_VERSION_COLUMNS.join(', ')}, replaced_at)
  select id, organization_id, ${BINDING_STATE.join(', ')}, ?
  from subject_bindings where`;

/**
 * The bindings as they were on file at `knownAt` (product rule 5: a report as of a past date says
 * what it said then): those recorded by then, each in the state of its earliest version replaced
 * after then (or as it stands, when none was), and only then filtered as `listBindings` filters the
 * present (removed, suspended, in force on a day). A binding removed or corrected since still
 * links as it did; one recorded since does not link yet.
 */
/**
 * The bindings of `by`'s organizations or persons (every binding when it names neither), each
 * once, in id order; `present`: only those binding now as `by` asks (not removed, not suspended,
 * in force on `inForceOn`).
 */
const scanBindings = async (
  db: Kysely<Database>,
  by: BindingQuery,
  present: boolean,
): Promise<BindingRow[]> => {
  const out: BindingRow[] = [];
  const keys: ['organization_id' | 'person_id' | null, number[]][] = [];
  if (by.organizationIds) keys.push(['organization_id', by.organizationIds]);
  if (by.personIds) keys.push(['person_id', by.personIds]);
  if (keys.length === 0) keys.push([null, [0]]);
  const seen = new Set<number>();
  for (const [column, ids] of keys) {
    for (let i = 0; i < ids.length; i += 500) {
      let q = db.selectFrom('subject_bindings').select([...BINDING_COLUMNS]);
      if (column !== null) q = q.where(column, 'in', ids.slice(i, i + 500));
      if (by.role !== undefined) q = q.where('role', '=', by.role);
      if (present) {
        // A removed binding is kept but never binds; a suspended one binds nobody until decided.
        if (!by.withWithdrawn) q = q.where('withdrawn_at', 'is', null);
        if (!by.withSuspended) q = q.where('suspended', '=', 0);
        const day = by.inForceOn;
        if (day !== undefined)
          q = q
            .where((eb) => eb.or([eb('valid_from', 'is', null), eb('valid_from', '<=', day)]))
            .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>', day)]));
      }
      for (const r of await q.orderBy('id').execute()) {
        if (seen.has(Number(r.id))) continue;
        seen.add(Number(r.id));
        out.push(toRow(r));
      }
    }
  }
  return out;
};

const bindingsKnownAt = async (
  db: Kysely<Database>,
  by: BindingQuery,
  knownAt: string,
): Promise<BindingRow[]> => {
  const K = Date.parse(knownAt);
  // Instants compared as instants, not as text: rows may come from older writers.
  const rows = (await scanBindings(db, by, false)).filter((r) => Date.parse(r.recordedAt) <= K);
  // Each binding's earliest state replaced after `knownAt` is the one on file then (ties: the
  // first written, as one decision may release and remove a binding at one instant).
  const then = new Map<number, BindingVersionRow>();
  const bindingIds = rows.map((r) => r.id);
  for (let i = 0; i < bindingIds.length; i += 500) {
    const versions = await db
      .selectFrom('binding_versions')
      .select(['binding_id', ...BINDING_STATE, 'replaced_at'])
      .where('binding_id', 'in', bindingIds.slice(i, i + 500))
      .orderBy('id')
      .execute();
    for (const v of versions) {
      const at = Date.parse(v.replaced_at);
      if (at <= K) continue;
      const id = Number(v.binding_id);
      const known = then.get(id);
      if (!known || at < Date.parse(known.replaced_at)) then.set(id, v);
    }
  }
  const day = by.inForceOn;
  const out: BindingRow[] = [];
  for (const r of rows) {
    const v = then.get(r.id);
    const b: BindingRow = v
      ? {
          ...r,
          validFrom: v.valid_from,
          validUntil: v.valid_until,
          suspended: Number(v.suspended) === 1,
          disputedBy: v.disputed_by == null ? null : Number(v.disputed_by),
          withdrawnAt: v.withdrawn_at,
          withdrawnReason: v.withdrawn_reason,
        }
      : r;
    // A removal known only later (`withdrawn_at` after K) cannot be on a current row read here: the
    // removal's write kept the earlier state, which `then` gives.
    if (!by.withWithdrawn && b.withdrawnAt !== null) continue;
    if (!by.withSuspended && b.suspended) continue;
    if (
      day !== undefined &&
      !((b.validFrom === null || b.validFrom <= day) && (b.validUntil === null || b.validUntil > day))
    )
      continue;
    out.push(b);
  }
  return out;
};

interface BindingVersionRow {
  binding_id: number | string;
  valid_from: string | null;
  valid_until: string | null;
  suspended: number | string;
  disputed_by: number | string | null;
  withdrawn_at: string | null;
  withdrawn_reason: string | null;
  replaced_at: string;
}

export const bindingQueries = {
  async listBindings(db: Kysely<Database>, by: BindingQuery): Promise<BindingRow[]> {
    if (by.knownAt !== undefined) return bindingsKnownAt(db, by, by.knownAt);
    return scanBindings(db, by, true);
  },

  /** The bindings in force of these organizations, and the roles each ever had (Kysely, in a transaction). */
  async currentBindings(db: Kysely<Database>, organizationIds: number[]): Promise<Map<number, BindingState>> {
    const out = new Map<number, BindingState>();
    // Each organization's rows come in one chunk (a chunk per partition on PostgreSQL), in id order.
    for (const chunk of subjectChunks(db, organizationIds)) {
      const rows = await db
        .selectFrom('subject_bindings')
        .select(['organization_id', 'person_id', 'role', 'valid_until', 'withdrawn_at'])
        .where('organization_id', 'in', chunk)
        .orderBy('id')
        .execute();
      for (const r of rows) {
        const org = Number(r.organization_id);
        let o = out.get(org);
        if (!o) {
          o = emptyBindingState();
          out.set(org, o);
        }
        const role = r.role as BindingRole;
        if (r.withdrawn_at !== null) {
          // A withdrawn binding never held; only the registry import may bind its person again.
          const gone = o.withdrawn.get(role) ?? new Map<number, string>();
          gone.set(Number(r.person_id), String(r.withdrawn_at).slice(0, 10));
          o.withdrawn.set(role, gone);
          continue;
        }
        o.ever.add(role);
        if (r.valid_until !== null) continue;
        const list = o.current.get(role);
        if (list) list.push(Number(r.person_id));
        else o.current.set(role, [Number(r.person_id)]);
      }
    }
    return out;
  },

  /** Writes binding changes (Kysely, in the caller's transaction): periods closed and opened, the legal representative in force. */
  async applyBindings(
    db: Kysely<Database>,
    changes: BindingChange[],
    day: string,
    sourceId: number | null,
    contextId: number,
    at: string,
  ): Promise<void> {
    for (const c of changes) {
      for (const person of c.unbind) {
        const which: BindingsWhere = (eb) =>
          eb.and([
            eb('organization_id', '=', c.organizationId),
            eb('role', '=', c.role),
            eb('person_id', '=', person),
            eb('valid_until', 'is', null),
            eb('withdrawn_at', 'is', null),
          ]);
        await keepBindingVersions(db, at, which);
        await db.updateTable('subject_bindings').set({ valid_until: day }).where(which).execute();
      }
      for (const person of c.bind)
        await db
          .insertInto('subject_bindings')
          .values({
            organization_id: c.organizationId,
            person_id: person,
            role: c.role,
            valid_from: c.first ? null : day,
            valid_until: null,
            source_id: sourceId,
            context_id: contextId,
            recorded_at: at,
          })
          .execute();
      if (c.role === 'legal_representative' && c.bind.length > 0)
        await sql`update subjects set legal_rep_id = ${c.bind[0]!} where id = ${c.organizationId}`.execute(
          db,
        );
    }
    // Checks bind today's persons: the next check sees the change, whoever wrote it.
    await noteCheckChanges(db, bindingChangeSubjects(changes));
  },
};
