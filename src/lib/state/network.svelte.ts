/**
 * Whether the browser is online, from `navigator.onLine` and its events. `false` is reliable (no
 * network at all); `true` only means some network exists, so downloads still handle their own failures.
 */
export class NetworkState {
  #online = $state(globalThis.navigator?.onLine ?? true);
  #noticeDismissed = $state(false);

  constructor() {
    globalThis.addEventListener?.('online', () => {
      this.#online = true;
    });
    globalThis.addEventListener?.('offline', () => {
      this.#online = false;
      // Each time the network goes, the page says so once more.
      this.#noticeDismissed = false;
    });
  }

  get online(): boolean {
    return this.#online;
  }

  /** The offline notice is shown until dismissed or until the network is back. */
  get showOfflineNotice(): boolean {
    return !this.#online && !this.#noticeDismissed;
  }

  dismissOfflineNotice(): void {
    this.#noticeDismissed = true;
  }
}

export const network = new NetworkState();
