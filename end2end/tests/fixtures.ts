import { test as base } from '@playwright/test';

// Every spec imports `test` and `expect` from here. Tests open extra browser contexts
// (one per person); Playwright closes only the ones it made itself, and the rest would
// live on until the worker ends, with their cameras, calls and sockets still running
// and slowing every later test. This closes each test's own contexts when it ends.
export const test = base.extend<{ closeOwnContexts: void }>({
  closeOwnContexts: [
    async ({ browser }, use) => {
      const before = new Set(browser.contexts());
      await use();
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

export { expect } from '@playwright/test';
