/**
 * The ratings engine's helper thread (engine.ts, `engineHelper`): runs the detectors it is handed
 * over shared columns while the calling thread aggregates. Started through engine-worker.js, which
 * registers the TypeScript loader first, or compiled into the command line's bundle.
 *
 * Messages in (on workerData.port): { cols, policy, opts, which }, runDetectors' arguments. Out:
 * { findings } or { error }, then ctl[0] set to 1 and notified (the caller waits on it, blocked).
 * ctl[1] is set once the engine is loaded.
 */
import { type MessagePort, workerData } from 'node:worker_threads';
import { type Finding, runDetectors } from './engine.ts';

type Args = Parameters<typeof runDetectors>;
interface Job {
  cols: Args[0];
  policy: Args[1];
  opts: Args[2];
  which: Args[3];
}

const { port, ctl } = workerData as { port: MessagePort; ctl: Int32Array };

port.on('message', (job: Job) => {
  let answer: { findings: Finding[] } | { error: string };
  try {
    answer = { findings: runDetectors(job.cols, job.policy, job.opts, job.which) };
  } catch (e) {
    answer = { error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  port.postMessage(answer);
  Atomics.store(ctl, 0, 1);
  Atomics.notify(ctl, 0);
});
Atomics.store(ctl, 1, 1);
Atomics.notify(ctl, 1);
