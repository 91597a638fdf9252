/**
 * Shared steps for the Hong Kong edition's tests (language, starting points, accessibility, screen
 * sizes): open the app in a chosen language and theme, and find English left in the interface.
 */
import { expect, type Page } from '@playwright/test';
import { scriptModel, type ScriptedBehaviour } from './scripted-control';

export interface OpenOptions {
  /** Saved interface language; unset = a first visit, chosen from the browser's language. */
  locale?: 'en' | 'zh-HK';
  /** Saved theme choice; unset = follow the system. */
  theme?: 'light' | 'dark';
  script?: ScriptedBehaviour;
}

/** Opens the app with the scripted test model chosen. */
export async function openWith(page: Page, { locale, theme, script = {} }: OpenOptions = {}): Promise<void> {
  await scriptModel(page, script);
  await page.addInitScript(
    ([savedLocale, savedTheme]) => {
      localStorage.setItem('harbour-chat:model', 'scripted-test');
      // Language and theme are seeded once per tab, so that a reload shows what the user chose since.
      if (sessionStorage.getItem('harbour-test:seeded')) return;
      sessionStorage.setItem('harbour-test:seeded', '1');
      if (savedLocale) localStorage.setItem('harbour-chat:locale', savedLocale);
      if (savedTheme) localStorage.setItem('harbour-chat:theme', savedTheme);
    },
    [locale ?? '', theme ?? ''] as const,
  );
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

/** Loads the chosen model, in either language, and waits until it is ready. */
export async function loadModelAnyLanguage(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^(Load model|Download and load|載入模型|下載並載入)/ }).click();
  await expect(page.getByTestId('model-ready')).toBeVisible({ timeout: 30_000 });
}

/** Sends a message from the composer and waits for the reply to finish. */
export async function sendAndWait(page: Page, text: string): Promise<void> {
  const box = page.locator('#composer-input');
  await box.fill(text);
  await box.press('Enter');
  await expect(page.getByTestId('message-assistant').last()).toHaveAttribute('data-status', 'done');
}

/**
 * Latin words allowed in the zh-HK interface: proper and technical names that Hong Kong Chinese
 * writes in Latin letters too (products, formats, units, key names, the other language's name).
 */
const allowedWords = new Set([
  'AI',
  'Chrome',
  'DeepSeek',
  'DeepSeek-R1',
  'Edge',
  'English',
  'Enter',
  'GB',
  'https',
  'JSON',
  'KB',
  'localhost',
  'Markdown',
  'MB',
  'Mbps',
  'R1',
  'Shift',
  'shader-f16',
  // Hong Kong technical writing keeps the English word (詞元 is the Mainland term).
  'token',
  'f16',
  'f32',
  'Top-p',
  'WebGPU',
]);

/** Model names and variants shown in the model list: proper names, kept as they are. */
async function modelNameWords(page: Page): Promise<Set<string>> {
  const names = await page.evaluate(() =>
    [
      ...document.querySelectorAll(
        '.model .name, [data-testid="model-ready"], [data-testid="cached-model"] .name',
      ),
    ]
      .map((element) => element.textContent ?? '')
      .join(' '),
  );
  return new Set(latinWords(names));
}

function latinWords(text: string): string[] {
  return text.match(/[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*/g) ?? [];
}

/**
 * Every Latin word the interface shows or says (visible text, and the names, descriptions and
 * placeholders screen readers read) that is not on the allow-list. What the user wrote and what
 * the model answered are content, not interface, and are left out.
 */
export async function englishLeft(page: Page, extraAllowed: string[] = []): Promise<string[]> {
  const allowed = new Set([...allowedWords, ...extraAllowed, ...(await modelNameWords(page))]);
  const text = await page.evaluate(() => {
    const content =
      '[data-testid="answer"], [data-testid="thinking"] .thought-text, [data-testid="user-text"], ' +
      '[data-testid="conversation"] .open, .model .name, [data-testid="model-ready"], ' +
      // The announcer quotes the reply's first sentence (chat content); its own words come from the
      // message table, whose zh-HK completeness the unit tests check.
      '[data-testid="live-announcer"]';
    const attributes = ['aria-label', 'title', 'placeholder', 'alt', 'aria-description'];
    const said = [...document.body.querySelectorAll('*')].flatMap((element) =>
      attributes.map((name) => element.getAttribute(name) ?? ''),
    );
    // innerText knows what is hidden. Content also appears inside labels ("Delete chat: <title>").
    let all = [document.body.innerText, ...said].join('\n');
    const pieces = [...document.querySelectorAll(content)]
      .map((element) => (element as HTMLElement).innerText.trim())
      .filter(Boolean)
      .sort((a, b) => b.length - a.length);
    for (const piece of pieces) all = all.split(piece).join(' ');
    return all;
  });
  const hostNames = new Set(['localhost', '127.0.0.1']);
  return [...new Set(latinWords(text))].filter((word) => !allowed.has(word) && !hostNames.has(word));
}
