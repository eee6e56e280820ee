// The ratings engine's helper thread (engine.ts, `engineHelper`): runs the detectors it is handed
// over shared columns while the calling thread aggregates. Plain JavaScript that loads engine.ts
// through tsx, as the process does (bin/credence.js), so both threads run the same code.
//
// Messages in (on workerData.port): { cols, policy, opts, which }, runDetectors' arguments. Out: {
// findings } or { error }, then ctl[0] set to 1 and notified (the caller waits on it, blocked).
// ctl[1] is set once the engine is loaded.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { runDetectors } = await import('./engine.ts');
const { port, ctl } = workerData;

port.on('message', (job) => {
  let answer;
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
