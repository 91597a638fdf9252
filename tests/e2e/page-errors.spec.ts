import { expect, test } from './fixtures';
import { loadModel, openApp } from './helpers';

test.describe('uncaught page errors', () => {
  // The shared fixture must turn an uncaught error into a failed test, or it guards nothing.
  test.fail('an uncaught error in the page fails the test', async ({ page, context }) => {
    await openApp(page);
    // The fixture hears the same event first: it listened before this test began.
    const thrown = context.waitForEvent('weberror');
    await page.evaluate(() => setTimeout(() => Promise.reject(new Error('deliberate'))));
    await thrown;
  });

  test('loading a model and its progress reports raise none', async ({ page }) => {
    await openApp(page, { loadMs: 1500 });
    await loadModel(page);
    await expect(page.getByTestId('model-ready')).toBeVisible();
  });
});
