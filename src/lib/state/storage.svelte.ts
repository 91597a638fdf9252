/**
 * What this site keeps in the browser: how much storage it uses, which models are downloaded (their
 * files live in the runtimes' caches, reached only through the engine bridge; sizes are the
 * catalog's download sizes), and whether the browser keeps the data when the disk runs low.
 * Persistence is asked for once, just before the first model download: a browser that evicts data
 * under pressure would otherwise be free to throw away a half-downloaded gigabyte, and Chrome grants
 * it without a prompt to a site the user engages with.
 */
import type { ModelRecord } from '../../shared/catalog';
import { storedModelBytes } from '../../../workers/cache-status';
import { deleteModelFiles } from '../engine/bridge';
import type { MessageKey } from '../i18n/messages';
import type { ModelState } from './models.svelte';
import { jsonFormat, Persisted } from './persisted.svelte';

export interface StorageEstimateView {
  usage: number;
  quota: number;
}

export class StorageState {
  /** When the page first asked the browser to keep the site's data: it asks once. */
  #askedAt = new Persisted<number | undefined>(
    'harbour-chat:persist-asked',
    () => undefined,
    jsonFormat((raw) => (typeof raw === 'number' ? raw : undefined)),
  );
  #estimate = $state<StorageEstimateView | undefined>();
  #persisted = $state<boolean | undefined>();
  #denied = $state(false);
  #deleting = $state<string | undefined>();
  #message = $state<{ key: MessageKey; params: Record<string, string> } | undefined>();
  #justAsked = $state(false);
  #bytes = $state<Record<string, number>>({});

  constructor(private readonly models: ModelState) {}

  /** Bytes used and available to this site, when the browser says. */
  get estimate(): StorageEstimateView | undefined {
    return this.#estimate;
  }
  /** Whether the browser keeps this site's data when space runs low (undefined: cannot tell). */
  get persisted(): boolean | undefined {
    return this.#persisted;
  }
  /** The browser said no to the last request. */
  get denied(): boolean {
    return this.#denied;
  }
  /** The model whose files are being deleted. */
  get deleting(): string | undefined {
    return this.#deleting;
  }
  /** The outcome of the last model deletion. */
  get message(): { key: MessageKey; params: Record<string, string> } | undefined {
    return this.#message;
  }
  /** True right after the automatic request, so the app can say why it asked. */
  get justAsked(): boolean {
    return this.#justAsked;
  }
  /** Models whose files are in this browser. */
  get downloaded(): ModelRecord[] {
    return this.models.models.filter((model) => this.models.isCached(model));
  }

  /** Bytes a downloaded model takes on disk, measured from what is stored; undefined if unknown. */
  bytesOf(model: ModelRecord): number | undefined {
    return this.#bytes[model.id];
  }

  /** Whether a model's files cannot be deleted now (it is loaded or loading in this tab). */
  inUse(model: ModelRecord): boolean {
    return (
      this.models.loaded?.id === model.id ||
      (this.models.status === 'loading' && this.models.selected.id === model.id)
    );
  }

  /** Reads the estimate, the persistence state and which models are downloaded. */
  async refresh(): Promise<void> {
    const storage = globalThis.navigator?.storage;
    const [estimate, persisted] = await Promise.all([
      storage?.estimate?.().catch(() => undefined),
      storage?.persisted?.().catch(() => undefined),
      this.models.refreshCached(),
    ]);
    this.#estimate =
      estimate?.usage !== undefined && estimate.quota !== undefined
        ? { usage: estimate.usage, quota: estimate.quota }
        : undefined;
    this.#persisted = persisted;
    await this.#measure();
  }

  async #measure(): Promise<void> {
    const entries = await Promise.all(
      this.downloaded.map(
        async (model) => [model.id, await storedModelBytes(model).catch(() => undefined)] as const,
      ),
    );
    this.#bytes = Object.fromEntries(entries.filter(([, bytes]) => bytes !== undefined)) as Record<
      string,
      number
    >;
  }

  async deleteModel(model: ModelRecord): Promise<void> {
    if (this.inUse(model) || this.#deleting) return;
    this.#deleting = model.id;
    this.#message = undefined;
    try {
      await deleteModelFiles(model.id);
      this.#message = { key: 'storage.modelDeleted', params: { name: `${model.name} ${model.variant}` } };
    } catch (cause) {
      console.error('[storage] could not delete model files', cause);
      this.#message = { key: 'storage.deleteFailed', params: { name: `${model.name} ${model.variant}` } };
    } finally {
      this.#deleting = undefined;
      await this.refresh();
    }
  }

  /** Asks the browser to keep this site's data. */
  async requestPersistence(): Promise<void> {
    const storage = globalThis.navigator?.storage;
    if (!storage?.persist) return;
    const granted = await storage.persist().catch(() => false);
    this.#persisted = granted;
    this.#denied = !granted;
  }

  /** Before a model download: the first time, ask to keep the data, and say why. */
  async beforeFirstDownload(): Promise<void> {
    if (this.#askedAt.current !== undefined) return;
    this.#askedAt.set(Date.now());
    const already = await globalThis.navigator?.storage?.persisted?.().catch(() => false);
    if (already) return;
    await this.requestPersistence();
    this.#justAsked = true;
  }

  dismissJustAsked(): void {
    this.#justAsked = false;
  }
}
