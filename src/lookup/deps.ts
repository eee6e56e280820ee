import type { ListPolicy } from '../lists/index.ts';
import type { RatingsDeps } from '../ratings/index.ts';

/** What the lookup verbs need: the list policy in force (which lists, which persons are published) and the ratings' deps. */
export interface LookupDeps {
  lists: ListPolicy;
  ratings: RatingsDeps;
}
