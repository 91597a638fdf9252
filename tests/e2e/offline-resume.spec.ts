import { expect, test } from './fixtures';
import { send } from './helpers';
import { openSite, recordRequests } from './offline-helpers';
import { expectTinyReply } from './tiny-model';

test('a download cut off by the network says where it stopped, and pressing the button again resumes with the files already fetched', async ({
  page,
  context,
}) => {
  test.setTimeout(90_000);
  const requests = recordRequests(context);
  const weights = '**/harbour-test/tiny-r1/resolve/main/onnx/**';
  // The connection drops when the weights are due: the tokenizer and config files have arrived.
  await context.route(weights, (route) => route.abort('internetdisconnected'));
  await openSite(page, 'tiny-r1');
  await page.getByRole('button', { name: /Download and load/ }).click();
  const error = page.getByTestId('load-error');
  await expect(error).toContainText('The download stopped at', { timeout: 30_000 });
  await expect(error).toContainText('Files that finished are kept');
  const firstTry = requests.map((request) => new URL(request.url()).pathname);
  expect(firstTry.some((path) => path.endsWith('/tiny-r1/resolve/main/tokenizer.json'))).toBe(true);

  await context.unroute(weights);
  const before = requests.length;
  // The panel offers to resume, counting what is already stored.
  await page.getByRole('button', { name: / downloaded — Resume$/ }).click();
  await expect(page.getByTestId('model-ready')).toBeVisible({ timeout: 30_000 });
  const secondTry = requests.slice(before).map((request) => new URL(request.url()).pathname);
  expect(secondTry.some((path) => path.endsWith('/onnx/model_q4.onnx'))).toBe(true);
  expect(secondTry.filter((path) => /\/tokenizer(_config)?\.json$/.test(path))).toEqual([]);

  await send(page, 'Hi');
  await expectTinyReply(page);
});

test('offline, a model that is not downloaded cannot be started and says it needs a connection', async ({
  page,
  context,
}) => {
  await openSite(page, 'tiny-r1');
  await expect(page.getByRole('button', { name: /Download and load/ })).toBeEnabled();
  await context.setOffline(true);
  await expect(page.getByTestId('offline-banner')).toBeVisible();
  await expect(page.locator('label', { hasText: 'Tiny R1 (test)' })).toContainText(
    'Needs a connection to download',
  );
  await expect(page.getByRole('button', { name: /Download and load/ })).toBeDisabled();
  await context.setOffline(false);
  await expect(page.getByRole('button', { name: /Download and load/ })).toBeEnabled();
  await expect(page.locator('label', { hasText: 'Tiny R1 (test)' })).not.toContainText('Needs a connection');
});
