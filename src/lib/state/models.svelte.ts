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
import { catalog, defaultModelId, findModel, type ModelRecord } from '../../shared/catalog';
import { testModelsEnabled } from '../../shared/config';
import type { EngineErrorName, ScriptedBehaviour } from '../../shared/engine';
import { isModelCached, loadModel, onEngineLost, toEngineFailure } from '../engine/bridge';
import { checkGpu, modelBlocker, runsOnCpu, type GpuReport, type ModelBlocker } from '../gpu';
import { ProgressTracker, type DownloadProgress } from '../progress';
import { holdLock, type Release } from '../tabs';

const SELECTED_KEY = 'harbour-chat:model';
/** Test builds only: the scripted runtime's behaviour, set by end-to-end tests. */
const SCRIPT_KEY = 'harbour-chat:test-script';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/** Another tab runs the model: `busy` when found so, `waiting` while this tab waits for it. */
export type OtherTabState = 'busy' | 'waiting';

const ENGINE_LOCK = 'harbour-chat-engine';

function readScript(): ScriptedBehaviour | undefined {
  if (!testModelsEnabled) return undefined;
  const raw = localStorage.getItem(SCRIPT_KEY);
  return raw ? (JSON.parse(raw) as ScriptedBehaviour) : undefined;
}

export class ModelState {
  #gpu = $state<GpuReport | undefined>();
  #selectedId = $state(localStorage.getItem(SELECTED_KEY) ?? defaultModelId);
  #loadedId = $state<string | undefined>();
  #status = $state<LoadStatus>('idle');
  #progress = $state<DownloadProgress | undefined>();
  #error = $state<EngineErrorName | undefined>();
  #cached = $state<Record<string, boolean>>({});
  #controller: AbortController | undefined;
  #otherTab = $state<OtherTabState | undefined>();
  #engineLock: Release | undefined;
  #lockWait: AbortController | undefined;

  get gpu(): GpuReport | undefined {
    return this.#gpu;
  }
  get models(): readonly ModelRecord[] {
    return catalog;
  }
  get selected(): ModelRecord {
    return findModel(this.#selectedId) ?? catalog[0];
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
  isCached(model: ModelRecord): boolean {
    return this.#cached[model.id] ?? false;
  }
  blocker(model: ModelRecord): ModelBlocker | undefined {
    return this.#gpu ? modelBlocker(model, this.#gpu) : undefined;
  }
  onCpu(model: ModelRecord): boolean {
    return this.#gpu ? runsOnCpu(model, this.#gpu) : false;
  }

  /** Checks the device, then which models are already downloaded. */
  async init(): Promise<void> {
    // The engine worker died: whatever it had loaded is gone, whatever this page last showed.
    onEngineLost((failure) => {
      if (this.#loadedId !== undefined || this.#status === 'loading') this.markLost(failure.code);
    });
    this.#gpu = await checkGpu();
    if (this.blocker(this.selected)) {
      const runnable = catalog.find((model) => !this.blocker(model));
      if (runnable) this.#selectedId = runnable.id;
    }
    await this.refreshCached();
  }

  async refreshCached(): Promise<void> {
    const entries = await Promise.all(
      catalog.map(async (model) => [model.id, await isModelCached(model.id).catch(() => false)] as const),
    );
    this.#cached = Object.fromEntries(entries);
  }

  select(id: string): void {
    if (!findModel(id) || this.#status === 'loading') return;
    this.#selectedId = id;
    localStorage.setItem(SELECTED_KEY, id);
    if (this.#status === 'error') this.#status = 'idle';
  }

  /** Downloads (or reads from cache) and loads the selected model; `wait` waits for another tab to let go. */
  async load(options: { wait?: boolean } = {}): Promise<void> {
    const model = this.selected;
    const gpu = this.#gpu;
    if (!gpu || this.blocker(model) || this.#status === 'loading' || this.#otherTab === 'waiting') return;
    if (!(await this.#takeEngine(options.wait ?? false))) return;
    this.#controller = new AbortController();
    const tracker = new ProgressTracker();
    this.#status = 'loading';
    this.#error = undefined;
    this.#progress = undefined;
    this.#loadedId = undefined;
    try {
      await loadModel(
        model.id,
        { preferWasm: runsOnCpu(model, gpu), shaderF16: gpu.shaderF16, script: readScript() },
        (report) => (this.#progress = tracker.update(report)),
        this.#controller.signal,
      );
      this.#loadedId = model.id;
      this.#status = 'ready';
      this.#cached[model.id] = true;
    } catch (cause) {
      const failure = toEngineFailure(cause);
      this.#status = failure.code === 'AbortError' ? 'idle' : 'error';
      this.#error = failure.code === 'AbortError' ? undefined : failure.code;
      if (failure.code !== 'AbortError') console.error('[model] load failed', failure);
      this.#releaseEngine();
      void this.refreshCached();
    } finally {
      this.#controller = undefined;
    }
  }

  /** Stops a load in progress; files already downloaded stay cached. */
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
