import type { ListPolicy } from '../lists/index.ts';
import type { RatingsDeps } from '../ratings/index.ts';
import type { ScoringDeps } from '../scoring/index.ts';

/** What the lookup verbs need: the list policy in force (which lists, which persons are published) and the ratings' deps. */
export interface LookupDeps {
  lists: ListPolicy;
  ratings: RatingsDeps;
  /** The scoring policy, for the key factors behind a published grade. */
  scoring: ScoringDeps;
}
