import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests share one Redis and one PostgreSQL; files run in parallel but each test
    // uses its own queue names, ports and account ids so they never see each other's data.
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
  },
});
