import { defineConfig } from 'vitest/config';

// Two tiers run by vitest; the third (browser end-to-end) is Playwright's (playwright.config.ts).
// *.test.ts: pure code, electron mocked where needed. *.int.test.ts: through the tRPC router
// against a real database (PGlite, or PostgreSQL when DATABASE_URL is set), each test on its own.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'src/**/*.test.ts'],
          exclude: ['**/*.int.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.int.test.ts'],
          environment: 'node',
          globalSetup: ['tests/integration/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
