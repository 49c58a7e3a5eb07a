import { test as base, type Browser, type BrowserContext } from '@playwright/test';
import { writeFile } from 'node:fs/promises';

// Every spec imports `test` and `expect` from here. Tests open extra browser contexts
// (one per person); Playwright closes only the ones it made itself, and the rest would
// live on until the worker ends, with their cameras, calls and sockets still running
// and slowing every later test. This closes each test's own contexts when it ends.
//
// Each of those contexts also turns on the app's WebRTC trace (`tandem.debug=webrtc`,
// src/media/trace.rs); when a test fails, the trace of every page is attached to its
// report as `webrtc-trace` (and kept as webrtc-trace.txt in its output folder), so a call that never connected shows why.
export const test = base.extend<{ closeOwnContexts: void }>({
  closeOwnContexts: [
    async ({ browser }, use, testInfo) => {
      const before = new Set(browser.contexts());
      const trace: string[] = [];
      const restore = traceNewContexts(browser, trace);
      try {
        await use();
      } finally {
        restore();
      }
      if (testInfo.status !== testInfo.expectedStatus && trace.length > 0) {
        // A file in the test's output folder too: the list reporter shows only its start.
        const path = testInfo.outputPath('webrtc-trace.txt');
        await writeFile(path, trace.join('\n'));
        await testInfo.attach('webrtc-trace', { path, contentType: 'text/plain' });
      }
      await Promise.all(
        browser
          .contexts()
          .filter((context) => !before.has(context))
          .map((context) => context.close().catch(() => {})),
      );
    },
    { auto: true },
  ],
});

/** Makes `browser.newContext` return traced contexts until the returned function runs. */
function traceNewContexts(browser: Browser, trace: string[]): () => void {
  const original = browser.newContext.bind(browser);
  let count = 0;
  browser.newContext = async (...args: Parameters<Browser['newContext']>): Promise<BrowserContext> => {
    const context = await original(...args);
    const name = `context ${++count}`;
    await context.addInitScript(() => localStorage.setItem('tandem.debug', 'webrtc'));
    context.on('console', (message) => {
      if (message.text().startsWith('[webrtc')) {
        trace.push(`${new Date().toISOString().slice(11, 23)} ${name} ${message.text()}`);
      }
    });
    return context;
  };
  return () => {
    browser.newContext = original;
  };
}

export { expect } from '@playwright/test';
