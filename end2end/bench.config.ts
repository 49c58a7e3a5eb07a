import { defineConfig } from '@playwright/test';
import base, { SFU_ENABLED, server, sfuArgs } from './playwright.config';

// `make bench` (browser part): meeting join time and browser CPU, against the release
// server, one worker so the measurements do not disturb each other. With
// TANDEM_E2E_SFU=1 (scripts/e2e.sh, Janus nodes up) a release "sfu" server runs too, on
// SFU_URL, seeded like the main one, for measuring meetings on the SFU (every meeting
// of two or more goes through it: --mesh-max 1).
const RELEASE = '../target/release/tandem-server';
const LOGIN_BURST = '--login-ip-burst 100000';

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
    server(18080, 'bench', RELEASE, LOGIN_BURST),
    ...(SFU_ENABLED ? [server(18082, 'bench-sfu', RELEASE, `${sfuArgs(1)} ${LOGIN_BURST}`)] : []),
  ],
});
