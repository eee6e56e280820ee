/**
 * Work repeated in the background while the platform serves (maintenance, notification delivery,
 * audit heads): one pass at a time — the next is scheduled only when this one has finished, after
 * the delay it returns — on a timer that does not keep the process alive; stopping waits for the
 * pass in flight. A pass handles its own errors.
 */
export interface Repeating {
  /** Stops the timer and waits for the pass in flight, if any. */
  stop(): Promise<void>;
}

export const repeatInBackground = (pass: () => Promise<number>, firstDelayMs = 0): Repeating => {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = pass().then(
        (next) => {
          inFlight = undefined;
          schedule(next);
        },
        () => {
          inFlight = undefined;
        },
      );
    }, ms);
    timer.unref();
  };
  schedule(firstDelayMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
};
