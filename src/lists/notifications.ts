/**
 * What a subject must be told about its list entries (product rule 8: warning before punishment):
 * that an entry is about to take effect (at the start of a grace period), that it took effect, that
 * a further case or an extension made it last longer, and that it ended. Derived from entries, so the caller stores each notification once by its key.
 * That an entry was removed, or now ends earlier, is found by comparing the entries a recomputation
 * replaces with the new ones (`listingRemoved`, `listingShortened`).
 */
import { dayOrThrow } from './days.ts';
import type { ListEntry } from './entries.ts';

export type ListNotificationKind =
  | 'listing_warning'
  | 'listing_effective'
  | 'listing_extended'
  | 'listing_ended'
  | 'listing_removed'
  | 'listing_shortened';

export interface ListNotification {
  /** Stable across recomputations: the same event always has the same key. */
  key: string;
  kind: ListNotificationKind;
  list: string;
  /** YYYY-MM-DD: the day the subject is to be told (the day of the event). */
  day: string;
  from: string;
  until: string | null;
  reasonRecordIds: number[];
  /** One plain-English sentence addressed to the subject. */
  text: string;
}

const EXCLUSIONS = new Set(['MINOR_EXCLUDED', 'REPRESENTATIVE_NOT_DOUBLE_LISTED']);

/**
 * The notifications due on or before `asOf` for these entries, in date order. `curable`: whether a
 * list has an exit record that ends an entry (its warning then says the subject may cure; one that
 * has none promises no cure it cannot keep, and names the objection instead).
 */
export function notificationsFor(
  entries: readonly ListEntry[],
  asOf: string,
  curable: (list: string) => boolean = () => true,
): ListNotification[] {
  dayOrThrow(asOf, 'asOf');
  const out: ListNotification[] = [];
  for (const e of entries) {
    if (EXCLUSIONS.has(e.reason_code)) continue;
    const anchor = e.noticeFrom ?? e.from;
    const make = (kind: ListNotificationKind, day: string, text: string): ListNotification => ({
      key: `${e.list}:${anchor}:${kind}`,
      kind,
      list: e.list,
      day,
      from: e.from,
      until: e.until,
      reasonRecordIds: [...e.reasonRecordIds],
      text,
    });
    const cured = e.reason_code === 'CURED_IN_GRACE';
    if (e.noticeFrom !== null && e.noticeFrom <= asOf) {
      const effect = cured ? 'was to take effect after the grace period' : `takes effect on ${e.from}`;
      // Both rights, always: a cure where the list has an exit, and an objection to its records.
      const object = `you may object to the records it rests on (${e.reasonRecordIds.join(', ')}) before then`;
      const before = curable(e.list)
        ? ` unless you perform the obligation or correct the violation before then; ${object} too`
        : `; ${object}`;
      out.push(
        make(
          'listing_warning',
          e.noticeFrom,
          `You are to be placed on list ${e.list}; the listing ${effect}${before}.`,
        ),
      );
    }
    if (!cured && e.from <= asOf) {
      out.push(
        make(
          'listing_effective',
          e.from,
          `You are on list ${e.list} from ${e.from}${e.until === null ? '' : ` until ${e.until}`}.`,
        ),
      );
    }
    // Told once for each day its end moved later, while it is still in force (an entry already over
    // is told that it ended instead).
    if (e.lengthenedOn !== undefined && e.lengthenedOn <= asOf && e.status !== 'ended') {
      out.push({
        ...make(
          'listing_extended',
          e.lengthenedOn,
          `Your entry on list ${e.list} was lengthened on ${e.lengthenedOn} (${e.extendedMonths > 0 ? `extended by ${e.extendedMonths} months in all, ` : ''}records ${e.reasonRecordIds.join(', ')}): it now lasts ${e.until === null ? 'until the obligation is met' : `until ${e.until}`}.`,
        ),
        key: `${e.list}:${anchor}:listing_extended:${e.lengthenedOn}`,
      });
    }
    if (e.status === 'ended' && e.until !== null && e.until <= asOf) {
      out.push(
        make(
          'listing_ended',
          e.until,
          cured
            ? `You will not be placed on list ${e.list}: the obligation was performed on ${e.until}, within the grace period.`
            : `Your entry on list ${e.list} ended on ${e.until}.`,
        ),
      );
    }
  }
  return out.sort((a, b) =>
    a.day < b.day ? -1 : a.day > b.day ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
}

/** A notification of a change a recomputation found by comparing entries (removed, shortened). */
export interface ListingEvent {
  subjectId: number;
  kind: ListNotificationKind;
  listCode: string;
  effective: string;
  message: string;
}

/**
 * The notification of an entry in force that a recomputation on `day` no longer finds: the records
 * it rested on were withdrawn or corrected by their source or removed on an objection (or the
 * list's rules changed).
 */
export const listingRemoved = (
  e: { subjectId: number; listCode: string; from: string },
  day: string,
): ListingEvent => ({
  subjectId: e.subjectId,
  kind: 'listing_removed',
  listCode: e.listCode,
  effective: day,
  message: `Your entry on list ${e.listCode} from ${e.from} was removed on ${day}: it no longer stands (the records it rested on were withdrawn or corrected by their source or removed on an objection, or the list's rules changed).`,
});

/**
 * The notification of an entry in force that a recomputation on `day` finds with an earlier end
 * (`until`, a date) than it had (`untilBefore`, null: until the obligation was met): a record that
 * made it last longer no longer counts, a case it rested on ended, or the list's rules changed.
 * Stored on the day it was found (`effective`, as `listingRemoved`), its new end in the message, so
 * that it sorts among the person's notifications when it happened; a second shortening the same day
 * is the same notification, told again by the store with its present text.
 */
export const listingShortened = (
  e: {
    subjectId: number;
    listCode: string;
    from: string;
    until: string;
    untilBefore: string | null;
  },
  day: string,
): ListingEvent => ({
  subjectId: e.subjectId,
  kind: 'listing_shortened',
  listCode: e.listCode,
  effective: day,
  message: `Your entry on list ${e.listCode} from ${e.from} now ends on ${e.until} (it was to end ${e.untilBefore === null ? 'when the obligation was met' : `on ${e.untilBefore}`}): what made it last longer no longer stands (a record withdrawn or corrected by its source or removed on an objection, a case it rested on ended, or the list's rules changed).`,
});
