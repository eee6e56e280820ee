/**
 * Tree heads in the background while the platform serves: every `intervalMs` the entries committed
 * since the last head are put in the tree and, when it grew, a new signed head is cut — so no entry
 * waits more than a few seconds for a head that commits to it. Passes never overlap; the timer does
 * not keep the process alive; stopping waits for a pass in flight and cuts a last head.
 */
import { repeatInBackground } from '../shared/repeat.ts';
import type { HeadJson } from './checkpoint.ts';

export interface HeadCuttingOptions {
  /** One pass: sequence what waits and sign a head when the tree grew (cutAuditHead). */
  cut: () => Promise<HeadJson | undefined>;
  intervalMs: number;
  onHead?: (head: HeadJson) => void;
  onError?: (e: unknown) => void;
}

export interface HeadCutting {
  /** Stops the timer, waits for the pass in flight and cuts a last head. */
  stop(): Promise<void>;
}

export const startBackgroundCutting = (opts: HeadCuttingOptions): HeadCutting => {
  let lastSize = -1;
  const pass = async () => {
    try {
      const head = await opts.cut();
      if (head && head.tree_size !== lastSize) {
        lastSize = head.tree_size;
        opts.onHead?.(head);
      }
    } catch (e) {
      opts.onError?.(e);
    }
    return opts.intervalMs;
  };
  const repeating = repeatInBackground(pass);
  return {
    async stop() {
      await repeating.stop();
      await pass();
    },
  };
};
