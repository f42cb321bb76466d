import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // .tsx: the React kit's component tests, which pick jsdom with a docblock per file.
    include: [
      'packages/*/test/**/*.test.{ts,tsx}',
      'packages/*/src/**/*.test.{ts,tsx}',
      'apps/*/test/**/*.test.{ts,tsx}',
      'bench/test/**/*.test.ts',
      'deploy/test/**/*.test.ts',
    ],
    // The ATAS web app is built (when its sources changed) before any test starts it.
    globalSetup: ['apps/atas-stack/test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Integration files each start their own servers (and PostgreSQL databases);
    // two workers match the two cores CI has.
    maxWorkers: 2,
  },
});
