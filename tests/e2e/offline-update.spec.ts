import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { openSite, pagesOutDir, serviceWorkerReady } from './offline-helpers';

const swFile = join(pagesOutDir(), 'sw.js');

test('a new version installs in the background and takes over only when the user presses Reload to update', async ({
  page,
}) => {
  await openSite(page, 'scripted-test');
  await serviceWorkerReady(page);
  await page.reload();
  const firstWorker = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);

  // The next deployment: sw.js changes, as it does whenever a precached file changes.
  const deployed = readFileSync(swFile, 'utf8');
  try {
    writeFileSync(swFile, `${deployed}\n// the next version\n`);
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
    const prompt = page.getByTestId('update-prompt');
    await expect(prompt).toContainText('A new version of Harbour Chat is ready');
    // Nothing changes until the user says so: the new version waits, the old one still serves.
    const waiting = await page.evaluate(
      async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state ?? null,
    );
    expect(waiting).toBe('installed');

    await page.evaluate(() => Object.assign(window, { beforeUpdate: true }));
    const reloaded = page.waitForEvent('load');
    await prompt.getByRole('button', { name: 'Reload to update' }).click();
    await reloaded;
    await expect(page.getByRole('heading', { name: 'Harbour Chat' })).toBeVisible();
    expect(await page.evaluate(() => 'beforeUpdate' in window)).toBe(false);
    await expect(prompt).toHaveCount(0);
    const after = await page.evaluate(async () => ({
      waiting: (await navigator.serviceWorker.getRegistration())?.waiting ?? null,
      controller: navigator.serviceWorker.controller?.scriptURL,
    }));
    expect(after).toEqual({ waiting: null, controller: firstWorker });
  } finally {
    writeFileSync(swFile, deployed);
  }
});

test('"Later" keeps the running version and hides the prompt', async ({ page }) => {
  await openSite(page, 'scripted-test');
  await serviceWorkerReady(page);
  const deployed = readFileSync(swFile, 'utf8');
  try {
    writeFileSync(swFile, `${deployed}\n// the next version\n`);
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
    const prompt = page.getByTestId('update-prompt');
    await prompt.getByRole('button', { name: 'Later' }).click();
    await expect(prompt).toHaveCount(0);
    expect(
      await page.evaluate(
        async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state ?? null,
      ),
    ).toBe('installed');
  } finally {
    writeFileSync(swFile, deployed);
  }
});
