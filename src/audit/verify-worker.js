// The worker thread of `verifyTree` (tree.ts) for large logs: the calling thread reads the entries
// from the store while this one hashes them (verify-core.js). Plain JavaScript importing nothing of
// the project, so that the thread starts without the TypeScript loader.
//
// Messages in: for each run of leaves in order, TreeCheck.add's arguments (the reading thread
// checked the first `checked` leaf hashes), then 'end'. Messages out: { failure } for each run
// (undefined when it verified; `done` counts them too), then { state } at 'end'.
import { parentPort, workerData } from 'node:worker_threads';
import { TreeCheck } from './verify-core.js';

const check = new TreeCheck(workerData);
let failed = false;
const asBuffer = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

parentPort.on('message', (m) => {
  if (m === 'end') {
    // The calling thread ends this one once it has the state.
    parentPort.postMessage({ state: check.state() });
    return;
  }
  // After a failure the tree is not built further: later runs were read before it was known.
  const failure = failed
    ? undefined
    : check.add(m.count, asBuffer(m.entries), asBuffer(m.leafHashes), m.checked, m.offset, m.failAt);
  if (failure) failed = true;
  Atomics.add(workerData.done, 0, 1);
  parentPort.postMessage({ failure });
});
