/**
 * Export and import of conversations. An import file is read and checked in full (size, JSON,
 * hostile keys, schema, limits — src/lib/storage/transfer.ts) before one transaction writes all of
 * it, so a bad file changes nothing. A file never adds to a stored conversation: one already stored
 * as it is is skipped (importing the same file twice adds nothing), and one whose id is taken by a
 * different conversation is written beside it as a marked copy under a new id.
 */
import type { MessageKey } from '../i18n/messages';
import type { Conversation } from '../storage/history';
import {
  exportFileName,
  exportJson,
  exportMarkdown,
  readExportFile,
  type ImportProblem,
  type MarkdownLabels,
} from '../storage/transfer';
import { isShowableTime } from '../storage/validate';
import { hongKong } from './hong-kong.svelte';
import { isQuotaError, type HistoryState } from './history.svelte';
import { i18n } from './locale.svelte';

/** A message for the user about an export or import, with its parameters. */
export interface TransferReport {
  ok: boolean;
  key: MessageKey;
  params?: Record<string, string | number>;
}

/** A file to hand to the browser's download. */
export interface ExportFile {
  name: string;
  type: string;
  text: string;
}

function problemReport(problem: ImportProblem): TransferReport {
  const { code, ...params } = problem;
  if (code === 'tooLarge') {
    return { ok: false, key: 'import.tooLarge', params: { limit: `${problem.limit / 1024 / 1024} MB` } };
  }
  if ('limit' in params)
    return { ok: false, key: `import.${code}`, params: { ...params, limit: i18n.number(params.limit) } };
  return { ok: false, key: `import.${code}`, params };
}

function markdownLabels(): MarkdownLabels {
  const t = i18n.t;
  const dates = new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'long', timeStyle: 'short' });
  return {
    untitled: t('chat.untitled'),
    you: t('chat.you'),
    assistant: t('chat.assistant'),
    thought: t('chat.thought'),
    stopped: t('chat.stopped'),
    interrupted: t('chat.interrupted'),
    failed: t('chat.failed'),
    // A stored date a Date cannot hold (a damaged or hostile record) is left out, not thrown on.
    date: (time) => (isShowableTime(time) ? dates.format(time) : ''),
  };
}

export class TransferState {
  #report = $state.raw<TransferReport | undefined>();
  #busy = $state(false);

  constructor(private readonly history: HistoryState) {}

  /** The outcome of the last export or import. */
  get report(): TransferReport | undefined {
    return this.#report;
  }
  /** True while an import is read and written. */
  get busy(): boolean {
    return this.#busy;
  }

  dismissReport(): void {
    this.#report = undefined;
  }

  /** The export of every stored conversation, or of the one given (as it is on screen). */
  async exportFile(format: 'json' | 'md', one?: Conversation): Promise<ExportFile | undefined> {
    this.#report = undefined;
    const conversations = one ? [$state.snapshot(one)] : await this.history.storedConversations();
    if (!conversations) return undefined;
    if (conversations.length === 0) {
      this.#report = { ok: false, key: 'transfer.nothing' };
      return undefined;
    }
    return format === 'json'
      ? {
          name: exportFileName(conversations, 'json'),
          type: 'application/json',
          text: exportJson(conversations),
        }
      : {
          name: exportFileName(conversations, 'md'),
          type: 'text/markdown',
          // As on screen; the JSON export keeps the model's own text, the record the app reads back.
          text: exportMarkdown(conversations, markdownLabels(), await hongKong.shownText()),
        };
  }

  /** Checks the whole file, then writes all of it in one transaction, or nothing. */
  async importFile(file: Blob): Promise<void> {
    this.#report = undefined;
    if (!this.history.available) {
      this.#report = { ok: false, key: 'import.unavailable' };
      return;
    }
    this.#busy = true;
    try {
      this.#report = await this.#import(file);
    } finally {
      this.#busy = false;
    }
  }

  async #import(file: Blob): Promise<TransferReport> {
    const parsed = await readExportFile(file).catch((cause: unknown) => {
      console.error('[transfer] could not read the import file', cause);
      return undefined;
    });
    if (!parsed) return { ok: false, key: 'import.notJson' };
    if (!parsed.ok) return problemReport(parsed.problem);
    try {
      const counts = await this.history.importConversations(parsed.conversations);
      return { ok: true, key: 'import.done', params: { ...counts } };
    } catch (cause) {
      console.error('[transfer] import failed; nothing was written', cause);
      return { ok: false, key: isQuotaError(cause) ? 'import.full' : 'import.failed' };
    }
  }
}
