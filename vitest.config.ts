import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default (one fewer than the cores) is a single file at a time on two cores, and a
    // file spends much of its time waiting on PostgreSQL, Chromium or a child process: two files
    // at once there took the whole run from 1,025 s to 711 s with every test passing.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
