/**
 * Where the page runs, as far as its safety depends on it. Browsers keep storage, Web Locks and
 * BroadcastChannels per origin (scheme, host, port), not per path: every GitHub Pages site of one
 * account without a custom domain is served from `<account>.github.io`, so the pages of all of them
 * can read this app's chats and hold its engine lock. And a `<meta>` Content Security Policy cannot
 * say `frame-ancestors`, and GitHub Pages sends no header that could, so the page checks for itself
 * whether another site shows it in a frame (where that site could cover what is clicked).
 */

/** True when a page of another origin shows this one in a frame. */
export function framedByOtherOrigin(view: Window = window): boolean {
  if (view.top === view.self) return false;
  try {
    // Reading a cross-origin window's location throws.
    return view.top?.location.origin !== view.location.origin;
  } catch {
    return true;
  }
}

/** The origin, when it is one that every GitHub Pages site of an account shares; otherwise undefined. */
export function sharedPagesOrigin(location: Pick<Location, 'hostname' | 'origin'>): string | undefined {
  return /\.github\.io$/i.test(location.hostname) ? location.origin : undefined;
}
