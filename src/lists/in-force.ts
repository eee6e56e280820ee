/**
 * Which lists policy was in force at an instant, with the terms each listing keeps from its day
 * (`withTermsInForce`): the platform reads it for now when it opens, and a check's explanation
 * for the instant the check was answered (product rule 5), from the same periods and texts the
 * store keeps (`policy_periods`, `policies`).
 */
import { type Clock, dateIn } from '../context.ts';
import type { Store } from '../store/index.ts';
import { type ListPolicy, parseListPolicy } from './list-policy.ts';
import { type MeasurePolicy, parseMeasurePolicy } from './measure-policy.ts';
import { type ListsPeriod, withTermsInForce } from './terms-in-force.ts';

/** Policies of earlier versions, parsed from their stored text once per process (null: unusable). */
const parsed = new Map<string, ListPolicy | MeasurePolicy | null>();

const findVersion = async <P>(
  store: Pick<Store, 'findPolicy'>,
  kind: 'lists' | 'measures',
  version: string,
  parse: (text: string, origin: string) => P,
): Promise<P | undefined> => {
  const key = `${kind}\u0000${version}`;
  let policy = parsed.get(key) as P | null | undefined;
  if (policy === undefined) {
    const doc = await store.findPolicy(kind, version);
    try {
      policy = doc ? parse(doc.content, `${kind} policy ${version.slice(0, 8)}`) : null;
    } catch {
      policy = null;
    }
    // Only what was found is kept: a version not on file yet may be saved later.
    if (doc) parsed.set(key, policy as ListPolicy | MeasurePolicy | null);
  }
  return policy ?? undefined;
};

/** A lists policy version parsed from the text the store keeps of it; undefined when not on file or no longer valid. */
export const findListPolicyVersion = (store: Pick<Store, 'findPolicy'>, version: string) =>
  findVersion(store, 'lists', version, parseListPolicy);

/** A measures policy version parsed from the text the store keeps of it; undefined when not on file or no longer valid. */
export const findMeasurePolicyVersion = (store: Pick<Store, 'findPolicy'>, version: string) =>
  findVersion(store, 'measures', version, parseMeasurePolicy);

/**
 * `current` (the version in force at `at`, default now) with each restrictive list carrying the
 * terms of the versions in force before it. A version whose text no longer parses is taken as
 * `current` (its terms are not known).
 */
export const listsPolicyInForce = async (
  store: Pick<Store, 'findPolicy' | 'listPolicyPeriods'>,
  clock: Clock,
  current: ListPolicy,
  at?: string,
): Promise<ListPolicy> => {
  const all = await store.listPolicyPeriods('lists');
  const until = at === undefined ? undefined : Date.parse(at);
  const periods = until === undefined ? all : all.filter((p) => Date.parse(p.from) <= until);
  if (periods.length < 2) return current;
  const day = (instant: string) => dateIn(clock, new Date(instant));
  // A clock set back (as tests do) can leave another version last: then every period on file
  // counts as earlier, and the present terms from that day (the milder of all applies either way).
  const last = periods[periods.length - 1]!;
  const lastIsCurrent = last.version === current.version;
  const earlier: ListsPeriod[] = [];
  for (const p of lastIsCurrent ? periods.slice(0, -1) : periods)
    earlier.push({
      from: day(p.from),
      policy:
        p.version === current.version
          ? current
          : ((await findListPolicyVersion(store, p.version)) ?? current),
    });
  return withTermsInForce(
    current,
    earlier,
    lastIsCurrent ? day(last.from) : day(at ?? clock.now().toISOString()),
  );
};
