/**
 * What the public lookup publishes of the lists: the black lists (serious dishonesty) and the red
 * lists (rewards) — what Credit China publishes. The focus list is regulators' closer attention,
 * not a publication, and stays off the public lookup. A list's persons are published only where its
 * policy says so (`publish_persons`: the court list of judgment defaulters).
 */
import type { ListPolicy, ListRule } from '../lists/index.ts';

export const publishedLists = (policy: ListPolicy): ListRule[] =>
  policy.lists.filter((l) => l.kind === 'black' || l.kind === 'red');

/** An entry is in force on `day` (YYYY-MM-DD) when it has taken effect and not ended (as checks see it). */
export const inForceOn = (e: { status: string; from: string; until: string | null }, day: string): boolean =>
  e.status !== 'ended' && e.from <= day && (e.until === null || e.until > day);
