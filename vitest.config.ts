import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'packages/*/src/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Integration files each start their own servers (and PostgreSQL databases);
    // two workers match the two cores CI has.
    maxWorkers: 2,
  },
});
