import { defineConfig } from '@playwright/test';

// Browser end-to-end tests drive Debian's Chromium (Playwright cannot download its own browser
// here) against the real backend serving the built renderer. `npm test` builds the app first.
const chromiumPath = process.env.JK_CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'tests',
  testMatch: ['e2e/**/*.e2e.ts', 'e2e-electron/**/*.e2e.ts'],
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { outputFolder: 'test-results/e2e-report', open: 'never' }]],
  use: {
    screenshot: 'on',
    trace: 'retain-on-failure',
    locale: 'nb-NO',
    timezoneId: 'Europe/Oslo',
    launchOptions: {
      executablePath: chromiumPath,
      // Without the networking flags Chromium keeps calling home, and this machine's closed
      // network refuses every attempt.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});
