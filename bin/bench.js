#!/usr/bin/env node
// `npm run bench -- <name> [options]`: runs bench/<name>.ts, which prints one JSON line.
import { register } from 'tsx/esm/api';

register();
await import('../bench/main.ts');
