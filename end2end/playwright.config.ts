import { defineConfig } from '@playwright/test';

// Real servers, each on a fresh SQLite database under target/e2e/:
// - "main" is seeded by global-setup (an admin exists and sign-up is open), so each test
//   can create its own users without depending on test order;
// - "pristine" is never seeded: it shows a brand-new install to the first-run test;
// - "sfu" (only when TANDEM_E2E_SFU=1) is seeded like "main" and has the two Janus nodes
//   scripts/e2e.sh starts in the test's network namespace, with --mesh-max 2: a third
//   participant moves a meeting from the peer-to-peer mesh to the SFU.
export const MAIN_URL = 'http://127.0.0.1:18080';
export const PRISTINE_URL = 'http://127.0.0.1:18081';
export const SFU_URL = 'http://127.0.0.1:18082';
// A brand-new server wants a one-time setup code for its first account (printed on its
// console when not given); every server gets this one so the suite can enter it.
export const SETUP_CODE = 'e2e-setup-code';

// scripts/e2e.sh sets TANDEM_E2E_SFU=1 when its Janus nodes are up (root, inside the
// namespace) and the SFU is switched on there; SFU tests skip without it.
export const SFU_ENABLED = process.env.TANDEM_E2E_SFU === '1';
// The nodes scripts/e2e.sh starts (scripts/janus/write-config.sh: node i has its HTTP
// API on 8088+i and its WebSocket on 8188+i, ICE on 127.0.0.2 only), node 0 first.
export const JANUS_NODES = [0, 1].map((i) => ({
  api: `http://127.0.0.1:${8088 + i}/janus`,
  ws: `ws://127.0.0.1:${8188 + i}`,
  admin: `http://127.0.0.1:${7088 + i}/admin`,
}));
export const JANUS_TOKEN_SECRET = 'e2e-janus-token-secret';
export const JANUS_ADMIN_KEY = 'e2e-janus-admin-key';
export const SFU_MESH_MAX = 2;
/** The sfu server's Janus flags; `meshMax` is the largest meeting kept peer to peer. */
export function sfuArgs(meshMax = SFU_MESH_MAX): string {
  return [
    ...JANUS_NODES.flatMap((n) => ['--janus-api', n.api, '--janus-ws', n.ws]),
    '--janus-token-secret', JANUS_TOKEN_SECRET,
    '--janus-admin-key', JANUS_ADMIN_KEY,
    '--mesh-max', String(meshMax),
    // Short-lived tokens, so the suite sees pages refresh them and old ones refused.
    '--sfu-token-ttl-secs', '20',
  ].join(' ');
}
export const SFU_ARGS = sfuArgs();

/** One tandem-server on a fresh database under target/e2e/NAME. */
export function server(
  port: number,
  name: string,
  binary = '../target/debug/tandem-server',
  extra = '',
) {
  const dir = `../target/e2e/${name}`;
  return {
    command: `rm -rf ${dir} && ${binary} --addr 127.0.0.1:${port} --data-dir ${dir} --static-dir ../dist --setup-code ${SETUP_CODE} ${extra}`.trimEnd(),
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
  webServer: [
    server(18080, 'main'),
    server(18081, 'pristine'),
    ...(SFU_ENABLED ? [server(18082, 'sfu', undefined, SFU_ARGS)] : []),
  ],
});
