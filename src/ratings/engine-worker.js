// Worker-thread entry: workers do not inherit the TypeScript loader, so register it here first
// (engine-worker.ts is the thread's code; the command line's bundle starts a compiled copy of it).
import { register } from 'tsx/esm/api';

register();
await import('./engine-worker.ts');
