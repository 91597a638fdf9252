/**
 * Checks before a big download, on the page: is there room (the browser's own estimate of what this
 * site may still use), and is the connection one the user pays by the byte (Network Information
 * API, Chromium only; elsewhere we cannot tell and say nothing).
 */

/** Room for `neededBytes` more, as far as the browser says; `free` is undefined when it will not say. */
export async function roomFor(neededBytes: number): Promise<{ fits: boolean; freeBytes?: number }> {
  const estimate = await globalThis.navigator?.storage?.estimate?.().catch(() => undefined);
  if (estimate?.quota === undefined || estimate.usage === undefined) return { fits: true };
  const freeBytes = Math.max(estimate.quota - estimate.usage, 0);
  return { fits: freeBytes >= neededBytes, freeBytes };
}

interface NetworkInformationLike {
  saveData?: boolean;
  type?: string;
  metered?: boolean;
}

/** True on a data-saver or cellular connection, where a 1.4 GB download deserves a warning. */
export function meteredConnection(): boolean {
  const connection = (globalThis.navigator as { connection?: NetworkInformationLike } | undefined)
    ?.connection;
  return connection?.saveData === true || connection?.metered === true || connection?.type === 'cellular';
}
