/** A clock a test moves: it starts at `start` and `set(day)` puts it at 09:00 UTC of that day. */
import type { Clock } from '../src/context.ts';

export const movingClock = (start: string) => {
  let now = new Date(start);
  const clock: Clock = { now: () => new Date(now.getTime()) };
  return { clock, set: (day: string) => (now = new Date(`${day}T09:00:00.000Z`)) };
};
