/**
 * The model side of the app: the device check, which model is chosen, and its load (progress,
 * cancel, errors). The check runs before anything downloads; a model the device cannot run is
 * shown but cannot be loaded.
 *
 * One tab at a time runs a model: a loaded model holds gigabytes of GPU memory, and two copies would
 * often not fit or would starve each other. The tab that loads takes the Web Lock
 * `harbour-chat-engine` and holds it while a model is loaded (the browser frees it when the tab
 * closes or crashes); another tab is told and may wait for it. Chats and history still work there.
 */
import { catalog, findModel, type ModelRecord } from '../../shared/catalog';
import { planFor, type DevicePlan, type ModelChoice, type Refusal } from '../../shared/device-policy';
import { asEngineError, type EngineErrorName } from '../../shared/engine';
import { meteredConnection, roomFor } from '../download-check';
import { hasDownloadedFiles, unfinishedDownload } from '../../../workers/cache-status';
import { deleteModelFiles, loadModel, onEngineLost } from '../engine/bridge';
import { afterPaintIdle } from '../after-paint';
import { checkGpu, deviceFacts, type GpuReport } from '../gpu';
import { ProgressTracker, type DownloadProgress } from '../progress';
import { keepRuntime } from '../pwa/runtimes';
import { holdLock, type Release } from '../tabs';
import { Persisted } from './persisted.svelte';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/** Another tab runs the model: `busy` when found so, `waiting` while this tab waits for it. */
export type OtherTabState = 'busy' | 'waiting';

const ENGINE_LOCK = 'harbour-chat-engine';

export class ModelState {
  #gpu = $state<GpuReport | undefined>();
  /** The device policy's answer for this device, once the adapter check is done. */
  #plan = $derived(this.#gpu ? planFor(catalog, deviceFacts(this.#gpu)) : undefined);
  /** The model the user last chose (any model of this build's catalog). */
  #chosen = new Persisted<string | undefined>('harbour-chat:model', () => undefined, {
    parse: (id) => (findModel(id) ? id : undefined),
    serialize: (id) => id,
  });
  #selectedId = $state<string | undefined>(this.#chosen.current);
  /** Set when a load failed although every file had arrived: they can be deleted. */
  #filesKept = $state(false);
  #loadedId = $state<string | undefined>();
  #status = $state<LoadStatus>('idle');
  #progress = $state<DownloadProgress | undefined>();
  #error = $state<EngineErrorName | undefined>();
  #cached = $state<Record<string, boolean>>({});
  #controller: AbortController | undefined;
  #otherTab = $state<OtherTabState | undefined>();
  #engineLock: Release | undefined;
  #lockWait: AbortController | undefined;
  #partial = $state<Record<string, { storedBytes: number; totalBytes: number }>>({});
  #refusal = $state<{ neededBytes: number; freeBytes: number } | undefined>();
  #beforeDownload: (() => Promise<void>) | undefined;

  get gpu(): GpuReport | undefined {
    return this.#gpu;
  }
  get models(): readonly ModelRecord[] {
    return catalog;
  }
  get selected(): ModelRecord {
    const id = this.#selectedId ?? this.#plan?.recommended?.id;
    return (id ? findModel(id) : undefined) ?? catalog[0];
  }
  get plan(): DevicePlan | undefined {
    return this.#plan;
  }
  /** How the model runs here (backend, files, size), or why it cannot. */
  choice(model: ModelRecord): ModelChoice | undefined {
    return this.#plan?.choices.find((choice) => choice.model.id === model.id);
  }
  /**
   * Whether the missing shader-f16 costs this device its GPU path (nothing offered on WebGPU); only
   * then is the f16 notice worth a newcomer's attention.
   */
  get f16Matters(): boolean {
    const plan = this.#plan;
    return plan?.deviceClass === 'webgpu' && plan.recommended?.reason !== 'gpu-no-f16';
  }
  isRecommended(model: ModelRecord): boolean {
    return this.#plan?.recommended?.id === model.id;
  }
  /** True after a load failed with all its files downloaded (offer to delete them). */
  get filesKept(): boolean {
    return this.#filesKept;
  }
  get loaded(): ModelRecord | undefined {
    return this.#loadedId ? findModel(this.#loadedId) : undefined;
  }
  get status(): LoadStatus {
    return this.#status;
  }
  get progress(): DownloadProgress | undefined {
    return this.#progress;
  }
  get error(): EngineErrorName | undefined {
    return this.#error;
  }
  /** Set when another tab holds the engine and this tab tried to load. */
  get otherTab(): OtherTabState | undefined {
    return this.#otherTab;
  }
  /** What is stored of an unfinished download of `model` (kept across reloads), if anything. */
  partial(model: ModelRecord): { storedBytes: number; totalBytes: number } | undefined {
    return this.#partial[model.id];
  }
  /** Set when the last download was refused because it would not fit. */
  get refusal(): { neededBytes: number; freeBytes: number } | undefined {
    return this.#refusal;
  }
  /** Whether to warn that the download goes over a metered or data-saver connection. */
  get metered(): boolean {
    return meteredConnection();
  }
  /** Runs `hook` before a download starts (the app asks the browser to keep the data then). */
  beforeDownload(hook: () => Promise<void>): void {
    this.#beforeDownload = hook;
  }
  isCached(model: ModelRecord): boolean {
    return this.#cached[model.id] ?? false;
  }
  blocker(model: ModelRecord): Refusal | undefined {
    return this.choice(model)?.refusal;
  }
  onCpu(model: ModelRecord): boolean {
    return model.runtime !== 'scripted' && this.choice(model)?.placement?.backend === 'wasm';
  }

  /** Checks the device, then which models are already downloaded. */
  async init(): Promise<void> {
    // The engine worker died: whatever it had loaded is gone, whatever this page last showed.
    onEngineLost((failure) => {
      if (this.#loadedId !== undefined || this.#status === 'loading') this.markLost(failure.name);
    });
    this.#gpu = await checkGpu();
    // A saved choice this device cannot load gives way to the recommendation.
    if (this.blocker(this.selected)) this.#selectedId = this.#plan?.recommended?.id;
    // Only labels wait for this (Load or Download, Resume), and its first storage access costs tens of
    // ms on the main thread (the download folder in OPFS): after the first screen is painted.
    await afterPaintIdle();
    await this.refreshCached();
  }

  async refreshCached(): Promise<void> {
    const entries = await Promise.all(
      catalog.map(async (model) => {
        const dtype = this.choice(model)?.placement?.variant?.dtype;
        return [model.id, await hasDownloadedFiles(model, dtype).catch(() => false)] as const;
      }),
    );
    this.#cached = Object.fromEntries(entries);
    await this.#refreshPartial();
  }

  async #refreshPartial(): Promise<void> {
    const entries = await Promise.all(
      catalog.map(
        async (model) => [model.id, await unfinishedDownload(model).catch(() => undefined)] as const,
      ),
    );
    this.#partial = Object.fromEntries(entries.filter(([, partial]) => partial !== undefined)) as Record<
      string,
      { storedBytes: number; totalBytes: number }
    >;
  }

  /** Refuses a download that the browser says will not fit; true when it may go ahead. */
  async #checkRoom(model: ModelRecord): Promise<boolean> {
    this.#refusal = undefined;
    if (this.isCached(model)) return true;
    const partial = this.partial(model);
    const fullBytes = this.choice(model)?.placement?.downloadBytes ?? model.downloadMB * 2 ** 20;
    const neededBytes = partial ? partial.totalBytes - partial.storedBytes : fullBytes;
    const room = await roomFor(neededBytes);
    if (room.fits || room.freeBytes === undefined) return true;
    this.#refusal = { neededBytes, freeBytes: room.freeBytes };
    return false;
  }

  select(id: string): void {
    if (!findModel(id) || this.#status === 'loading') return;
    this.#selectedId = id;
    this.#chosen.set(id);
    if (this.#status === 'error') this.#status = 'idle';
    this.#filesKept = false;
  }

  /** Downloads (or reads from cache) and loads the selected model; `wait` waits for another tab to let go. */
  async load(options: { wait?: boolean } = {}): Promise<void> {
    const model = this.selected;
    const gpu = this.#gpu;
    const placement = this.choice(model)?.placement;
    if (!gpu || !placement || this.#status === 'loading' || this.#otherTab === 'waiting') return;
    if (!(await this.#checkRoom(model))) return;
    if (!this.isCached(model)) await this.#beforeDownload?.().catch(() => undefined);
    if (!(await this.#takeEngine(options.wait ?? false))) return;
    this.#controller = new AbortController();
    const tracker = new ProgressTracker();
    this.#status = 'loading';
    this.#error = undefined;
    this.#progress = undefined;
    this.#loadedId = undefined;
    this.#filesKept = false;
    try {
      await loadModel(
        model.id,
        {
          preferWasm: placement.backend === 'wasm',
          shaderF16: gpu.shaderF16,
          dtype: placement.variant?.dtype,
        },
        (report) => {
          this.#progress = tracker.update(report);
        },
        this.#controller.signal,
      );
      this.#loadedId = model.id;
      this.#status = 'ready';
      this.#cached[model.id] = true;
      keepRuntime(model.runtime);
    } catch (cause) {
      const failure = asEngineError(cause);
      this.#status = failure.name === 'AbortError' ? 'idle' : 'error';
      this.#error = failure.name === 'AbortError' ? undefined : failure.name;
      if (failure.name !== 'AbortError') console.error('[model] load failed', failure);
      this.#releaseEngine();
      await this.refreshCached();
      // Everything arrived and it still failed: say so, and let the user free the space.
      this.#filesKept = failure.name !== 'AbortError' && this.isCached(model);
    } finally {
      this.#controller = undefined;
    }
  }

  /** Stops a load in progress; files already downloaded stay cached (a download pauses: it resumes on the next load). */
  cancel(): void {
    this.#controller?.abort();
  }

  /** The engine lost the model (device lost, worker crash): it must be loaded again. */
  markLost(error: EngineErrorName): void {
    this.#releaseEngine();
    this.#loadedId = undefined;
    this.#status = 'error';
    this.#error = error;
  }

  dismissError(): void {
    if (this.#status === 'error') this.#status = 'idle';
    this.#error = undefined;
    this.#filesKept = false;
    this.#refusal = undefined;
  }

  /** Deletes the files of the model whose load failed after they arrived. */
  async deleteKeptFiles(): Promise<void> {
    await deleteModelFiles(this.selected.id).catch((cause) => console.error('[model] delete failed', cause));
    this.#filesKept = false;
    await this.refreshCached();
  }

  /** Gives up waiting for the other tab. */
  stopWaiting(): void {
    this.#lockWait?.abort();
    this.#otherTab = undefined;
  }

  dismissOtherTab(): void {
    if (this.#otherTab === 'busy') this.#otherTab = undefined;
  }

  /** Takes the engine lock (at once, or after waiting); false when another tab keeps it. */
  async #takeEngine(wait: boolean): Promise<boolean> {
    if (this.#engineLock) return true;
    if (!wait) {
      this.#engineLock = await holdLock(ENGINE_LOCK, { ifAvailable: true });
      this.#otherTab = this.#engineLock ? undefined : 'busy';
      return this.#engineLock !== undefined;
    }
    this.#otherTab = 'waiting';
    this.#lockWait = new AbortController();
    try {
      this.#engineLock = await holdLock(ENGINE_LOCK, { signal: this.#lockWait.signal });
      this.#otherTab = undefined;
      return this.#engineLock !== undefined;
    } catch {
      return false; // stopped waiting
    } finally {
      this.#lockWait = undefined;
    }
  }

  #releaseEngine(): void {
    this.#engineLock?.();
    this.#engineLock = undefined;
  }
}
