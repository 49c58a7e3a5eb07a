import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// `make bench` (browser part): meeting join time and browser CPU, against the release
// server, one worker so the measurements do not disturb each other.
export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: '*.bench.ts',
  globalSetup: './global-setup.ts',
  workers: 1,
  fullyParallel: false,
  timeout: 600_000,
  reporter: [['list']],
  webServer: [
    {
      command:
        'rm -rf ../target/e2e/bench && ../target/release/tandem-server --addr 127.0.0.1:18080 --data-dir ../target/e2e/bench --static-dir ../dist --login-ip-burst 100000',
      url: 'http://127.0.0.1:18080/api/health',
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore' as const,
      stderr: 'pipe' as const,
    },
  ],
});
