// Worker-thread entry: workers do not inherit the TypeScript loader, so register it here first.
import { register } from 'tsx/esm/api';

register();
await import('./check-worker.ts');
