/**
 * Linkage by the binding in force on the day of the act: an organization's linkable record counts
 * for the persons who were its legal representative on the day the act occurred (REFERENCE, city
 * points rules: "organization sanctions also count for the legal representative"), never for one
 * bound before or after. Bindings are kept with their periods (`subject_bindings`), so a report as
 * of a past date links exactly as it would have then.
 *
 * A binding the platform found already in force (the first on file for its organization, stored
 * with no first day) holds, for linkage, from the day it was recorded: the platform cannot tell
 * who represented the organization before, and an act must not reach a person who may only have
 * been named later. No act reaches a person for a day before its 18th birthday (a minor cannot be
 * an organization's legal representative; Civil Code Art. 17-18).
 */

import { DEFAULT_TIME_ZONE, fixedClock, todayOf } from '../context.ts';
import { formatDay, parseDay } from '../shared/days.ts';
import {
  type BindingRow,
  recordsFingerprint,
  type ScoringRecordRow,
  type ScoringSubjectRow,
  type Store,
} from '../store/index.ts';
import { firstAdultDay } from './listing-term.ts';
import { asKnownAt } from './versions.ts';

/** One person's legal-representative binding to one organization, with its days. */
export interface Link {
  organizationId: number;
  personId: number;
  /**
   * YYYY-MM-DD, first day bound; null: since always (only for links built by hand: `linksOf`
   * gives a binding with no first day on file the day it was recorded).
   */
  from: string | null;
  /** YYYY-MM-DD, first day no longer bound; null: in force. */
  until: string | null;
}

/** Whether the binding held on `day` (YYYY-MM-DD). */
export const linkHolds = (l: Link, day: string): boolean =>
  (l.from === null || l.from <= day) && (l.until === null || day < l.until);

/**
 * The legal-representative bindings among `rows` as links. A binding with no first day on file
 * (the first the platform knew of) holds from the day it was recorded, counted in `timeZone` (the
 * platform's, in which the store dates binding changes).
 */
export const linksOf = (rows: readonly BindingRow[], timeZone: string = DEFAULT_TIME_ZONE): Link[] => {
  // Bindings of one import share their instant: ask Intl once per instant.
  const days = new Map<string, string>();
  const recordedDay = (at: string): string => {
    let day = days.get(at);
    if (day === undefined) {
      day = todayOf(fixedClock(at, timeZone));
      days.set(at, day);
    }
    return day;
  };
  return rows
    .filter((b) => b.role === 'legal_representative' && b.personId !== b.organizationId)
    .map((b) => ({
      organizationId: b.organizationId,
      personId: b.personId,
      from: b.validFrom ?? recordedDay(b.recordedAt),
      until: b.validUntil,
    }));
};

/** The first day (YYYY-MM-DD) a person born on `birthDate` may be bound: null when unknown. */
export const firstDayBindable = (birthDate: string | null | undefined): string | null => {
  if (!birthDate) return null;
  const birth = parseDay(birthDate);
  return Number.isNaN(birth) ? null : formatDay(firstAdultDay(birth));
};

/**
 * The records of `organization` that count for the person bound by `links` (on the act's day),
 * never one of a day before the person's 18th birthday (`birthDate`, when known).
 */
export const linkedRecords = <R extends Pick<ScoringRecordRow, 'id' | 'occurredAt'>>(
  links: readonly Link[],
  records: readonly R[],
  birthDate: string | null = null,
): R[] => {
  const adult = firstDayBindable(birthDate);
  return records.filter((r) => {
    const day = r.occurredAt.slice(0, 10);
    return (adult === null || day >= adult) && links.some((l) => linkHolds(l, day));
  });
};

export interface ScoringNeighbourhood {
  /** The subjects asked for, and every person ever bound as legal representative of an organization among them. */
  subjects: Map<number, ScoringSubjectRow>;
  /** The organizations the persons among `subjects` represent or represented. */
  organizations: Map<number, ScoringSubjectRow>;
  /** Every record of all of these, by subject. */
  records: Map<number, ScoringRecordRow[]>;
  /** For a person: each organization it represented with the records that count for it. */
  represented(personId: number): { subject: ScoringSubjectRow; records: ScoringRecordRow[] }[];
  /**
   * The records a subject's computation read, as fingerprints by owner (itself and, for a person,
   * the organizations it represented): a write of that computation is guarded by them
   * (`ListEntriesWrite.guard`), so that it never overwrites one made from newer records.
   */
  readFrom(subjectId: number): Map<number, string>;
}

/**
 * Loads what scoring and listing these subjects needs, in a few batched reads: an organization's
 * record touches every person bound on its day, so its former representatives are rescored too.
 */
export const loadScoringNeighbourhood = async (
  store: Store,
  subjectIds: readonly number[],
  /** Read the records and bindings as they were known at this instant (ISO), when it is in the past. */
  knownAt: string | undefined,
  /** The platform's zone (the clock's), in which a binding's recording instant is a day (see `linksOf`). */
  zone: string | undefined,
): Promise<ScoringNeighbourhood> => {
  const timeZone = zone ?? DEFAULT_TIME_ZONE;
  // As of a past instant, bindings too as they were on file then (a removal, a correction, a
  // binding recorded since, not yet): the report says what it said then.
  const known = knownAt === undefined ? {} : { knownAt };
  const touched = await store.listSubjectsForScoring({ ids: [...new Set(subjectIds)] });
  const orgIds = touched.filter((s) => s.kind !== 'person').map((s) => s.id);
  const orgBindings = orgIds.length
    ? linksOf(await store.listBindings({ organizationIds: orgIds, ...known }), timeZone)
    : [];
  const asked = new Set(touched.map((s) => s.id));
  const repIds = [...new Set(orgBindings.map((l) => l.personId))].filter((id) => !asked.has(id));
  const reps = repIds.length ? await store.listSubjectsForScoring({ ids: repIds }) : [];
  const subjects = new Map([...touched, ...reps].map((s) => [s.id, s]));
  const persons = [...subjects.values()].filter((s) => s.kind === 'person').map((s) => s.id);
  // Read before the bindings themselves: a binding written in between shows as a change.
  const bindingFps = persons.length ? await store.bindingFingerprints(persons) : new Map<number, string>();
  const personLinks = persons.length
    ? linksOf(await store.listBindings({ personIds: persons, ...known }), timeZone)
    : [];
  const orgs = [...new Set(personLinks.map((l) => l.organizationId))];
  const organizations = new Map(
    (orgs.length ? await store.listSubjectsForScoring({ ids: orgs }) : []).map((s) => [s.id, s]),
  );
  const records = new Map<number, ScoringRecordRow[]>();
  const all = [...new Set([...subjects.keys(), ...organizations.keys()])];
  let rows = all.length ? await store.listRecordsForScoring(all) : [];
  const byOwner = new Map<number, ScoringRecordRow[]>();
  for (const r of rows) {
    const list = byOwner.get(r.subjectId);
    if (list) list.push(r);
    else byOwner.set(r.subjectId, [r]);
  }
  const fingerprint = (id: number) => recordsFingerprint(byOwner.get(id) ?? []);
  if (knownAt !== undefined && rows.length > 0)
    rows = asKnownAt(rows, await store.listVersionsKnownAfter(knownAt, all), knownAt);
  for (const r of rows) {
    const list = records.get(r.subjectId);
    if (list) list.push(r);
    else records.set(r.subjectId, [r]);
  }
  const byPerson = new Map<number, Link[]>();
  for (const l of personLinks) {
    const list = byPerson.get(l.personId);
    if (list) list.push(l);
    else byPerson.set(l.personId, [l]);
  }
  return {
    subjects,
    organizations,
    records,
    readFrom(subjectId) {
      const out = new Map([[subjectId, fingerprint(subjectId)]]);
      if (subjects.get(subjectId)?.kind === 'person') {
        // Its bindings, under the negative of its id.
        out.set(-subjectId, bindingFps.get(subjectId) ?? '');
        for (const l of byPerson.get(subjectId) ?? [])
          out.set(l.organizationId, fingerprint(l.organizationId));
      }
      return out;
    },
    represented(personId) {
      const links = byPerson.get(personId) ?? [];
      const birthDate = subjects.get(personId)?.birthDate ?? null;
      const out: { subject: ScoringSubjectRow; records: ScoringRecordRow[] }[] = [];
      for (const orgId of new Set(links.map((l) => l.organizationId))) {
        const subject = organizations.get(orgId);
        if (!subject || subject.kind === 'person') continue;
        const mine = links.filter((l) => l.organizationId === orgId);
        out.push({ subject, records: linkedRecords(mine, records.get(orgId) ?? [], birthDate) });
      }
      return out;
    },
  };
};
