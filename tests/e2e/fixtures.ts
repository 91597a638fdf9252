/**
 * The `test` every spec uses: Playwright's own, plus a check that no page threw an uncaught error
 * (an exception or an unhandled rejection) during the test. Such an error is a bug even when the
 * screen looks right, so the test fails with the errors listed.
 */
import { test as base } from '@playwright/test';

export { expect } from '@playwright/test';
export type { APIRequestContext, BrowserContext, Download, Page, Request } from '@playwright/test';

export const test = base.extend<{ failOnPageError: void }>({
  failOnPageError: [
    async ({ context }, use) => {
      const errors: string[] = [];
      context.on('weberror', (webError) => {
        const error = webError.error();
        errors.push(`${webError.page()?.url() ?? '(no page)'}: ${error.stack ?? error.message}`);
      });
      await use();
      if (errors.length > 0) {
        throw new Error(`Uncaught error(s) in the page:\n${errors.join('\n')}`);
      }
    },
    { auto: true },
  ],
});
