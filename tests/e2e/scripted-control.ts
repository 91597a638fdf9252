/**
 * The tests' side of the scripted runtime's control channel (workers/runtimes/scripted-control.ts):
 * the behaviour is stored in the origin's Cache API on every navigation, before any model loads.
 */
import type { Page } from '@playwright/test';
import {
  SCRIPTED_CONTROL_CACHE,
  SCRIPTED_CONTROL_PATH,
  type ScriptedBehaviour,
} from '../../workers/runtimes/scripted-control';

export type { ScriptedBehaviour };

/** Makes the scripted model in `page` behave as `behaviour` says (its defaults where unset). */
export async function scriptModel(page: Page, behaviour: ScriptedBehaviour): Promise<void> {
  await page.addInitScript(
    ([cacheName, path, stored]) => {
      if (location.origin === 'null') return; // about:blank and other opaque pages have no caches
      void caches
        .open(cacheName)
        .then((cache) => cache.put(new URL(path, location.origin).href, new Response(stored)));
    },
    [SCRIPTED_CONTROL_CACHE, SCRIPTED_CONTROL_PATH, JSON.stringify(behaviour)] as const,
  );
}
