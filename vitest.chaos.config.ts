import { defineConfig } from 'vitest/config';

/**
 * The long form of the chaos suite (`npm run test:chaos`). It starts its own PostgreSQL
 * server, so it needs no global setup.
 */
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.chaos.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
