import { defineConfig } from '@playwright/test';

// Two real servers, each on a fresh SQLite database under target/e2e/:
// - "main" is seeded by global-setup (an admin exists and sign-up is open), so each test
//   can create its own users without depending on test order;
// - "pristine" is never seeded: it shows a brand-new install to the first-run test.
export const MAIN_URL = 'http://127.0.0.1:18080';
export const PRISTINE_URL = 'http://127.0.0.1:18081';
// A brand-new server wants a one-time setup code for its first account (printed on its
// console when not given); both servers get this one so the suite can enter it.
export const SETUP_CODE = 'e2e-setup-code';

function server(port: number, name: string) {
  const dir = `../target/e2e/${name}`;
  return {
    command: `rm -rf ${dir} && ../target/debug/tandem-server --addr 127.0.0.1:${port} --data-dir ${dir} --static-dir ../dist --setup-code ${SETUP_CODE}`,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
  };
}

export default defineConfig({
  testDir: './tests',
  timeout: 45_000,
  // Generous: on a 2-core CI machine a fresh page compiles a few MB of wasm while
  // other pages run WebRTC, and a first render can take several seconds.
  expect: { timeout: 20_000 },
  fullyParallel: true,
  // One worker: meeting tests run several pages with live video each, and two such
  // tests at once on a 2-core machine starve each other into timeouts.
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  globalSetup: './global-setup.ts',
  use: {
    baseURL: MAIN_URL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        '--allow-loopback-in-peer-connection',
      ],
    },
  },
  webServer: [server(18080, 'main'), server(18081, 'pristine')],
});
