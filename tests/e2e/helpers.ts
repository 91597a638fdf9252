import { expect, type Page } from '@playwright/test';
import { scriptModel, type ScriptedBehaviour } from './scripted-control';

/** Opens the app with the scripted test model chosen and, optionally, its behaviour set. */
export async function openApp(
  page: Page,
  script: ScriptedBehaviour = {},
  modelId = 'scripted-test',
): Promise<void> {
  await scriptModel(page, script);
  await page.addInitScript((id) => {
    localStorage.setItem('harbour-chat:model', id);
    localStorage.setItem('harbour-chat:locale', 'en');
  }, modelId);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Harbour Chat' })).toBeVisible();
}

/** Loads the chosen model and waits until it is ready. */
export async function loadModel(page: Page, timeout = 90_000): Promise<void> {
  await page.getByRole('button', { name: /^(Load model|Download and load)/ }).click();
  // The tiny real models carry the real 151,936-token vocabulary: loading them takes a while here.
  await expect(page.getByTestId('model-ready')).toBeVisible({ timeout });
}

/** Types a message and sends it with Enter. */
export async function send(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: /^Ask anything/ });
  await box.fill(text);
  await box.press('Enter');
}
