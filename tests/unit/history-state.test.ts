import 'fake-indexeddb/auto';
import { createStore, type UseStore } from 'idb-keyval';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HistoryState } from '../../src/lib/state/history.svelte';
import { TransferState } from '../../src/lib/state/transfer.svelte';
import {
  SCHEMA_VERSION,
  getConversation,
  listSummaries,
  putConversation,
  type Conversation,
  type StoredMessage,
} from '../../src/lib/storage/history';
import { exportJson } from '../../src/lib/storage/transfer';

let store: UseStore;
let counter = 0;
const states: HistoryState[] = [];

beforeEach(() => {
  store = createStore(`state-${++counter}`, 'conversations');
});

afterEach(() => {
  states.splice(0).forEach((s) => s.dispose());
  vi.useRealTimers();
});

function history(using: UseStore = store): HistoryState {
  const state = new HistoryState(using);
  states.push(state);
  return state;
}

/** A time inside the dates an import accepts. */
const T = Date.UTC(2025, 0, 1);

function conversation(id: string, messages: StoredMessage[] = []): Conversation {
  return { schemaVersion: SCHEMA_VERSION, id, title: `Chat ${id}`, createdAt: T, updatedAt: T, messages };
}

const user = (id: string, content = id): StoredMessage => ({
  id,
  role: 'user',
  content,
  createdAt: T,
  status: 'done',
});

/** A store whose writes fail while `failing` is set, as a full disk would. */
function flaky(inner: UseStore) {
  const control = { failing: false };
  const wrapped: UseStore = (mode, callback) =>
    control.failing && mode === 'readwrite'
      ? Promise.reject(new DOMException('The disk is full', 'QuotaExceededError'))
      : inner(mode, callback);
  return { store: wrapped, control };
}

describe('HistoryState', () => {
  it('reads the list from summaries and opens the newest conversation', async () => {
    await putConversation({ ...conversation('a', [user('m1')]), updatedAt: 5 }, store);
    await putConversation({ ...conversation('b'), updatedAt: 9 }, store);
    const state = history();
    const first = await state.init();
    expect(first?.id).toBe('b');
    expect(state.conversations.map((s) => s.id)).toEqual(['b', 'a']);
  });

  it('reads the list once when started early (src/main.ts), and opens the newest chat only on init', async () => {
    await putConversation({ ...conversation('a', [user('m1')]), updatedAt: 5 }, store);
    await putConversation({ ...conversation('b'), updatedAt: 9 }, store);
    const state = history();
    const early = state.readList();
    expect(state.readList()).toBe(early);
    expect(await early).toBe(true);
    expect(state.conversations.map((s) => s.id)).toEqual(['b', 'a']);
    expect(state.currentId).toBeUndefined();
    expect((await state.init())?.id).toBe('b');
  });

  it('reports a failed write, keeps it queued and retries until it is stored', async () => {
    const { store: wrapped, control } = flaky(store);
    const state = history(wrapped);
    await state.init();
    control.failing = true;
    const c = conversation('a');
    await state.saveMessage(c, user('m1', 'first words'));
    expect(state.notice).toBe('storage.full');
    expect(state.conversations.map((s) => s.id)).toEqual(['a']);
    // The next save retries the one that failed too.
    control.failing = false;
    await state.saveMessage(c, user('m2', 'second words'));
    expect(state.notice).toBeUndefined();
    expect((await getConversation('a', store))?.messages.map((m) => m.content)).toEqual([
      'first words',
      'second words',
    ]);
  });

  it('retries on its own with backoff', async () => {
    const { store: wrapped, control } = flaky(store);
    const state = history(wrapped);
    await state.init();
    // Only timeouts are faked: fake-indexeddb schedules its own work with setImmediate.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    control.failing = true;
    await state.saveMessage(conversation('a'), user('m1'));
    expect(state.notice).toBe('storage.full');
    control.failing = false;
    await vi.advanceTimersByTimeAsync(1100);
    vi.useRealTimers();
    await vi.waitFor(async () => expect((await getConversation('a', store))?.messages).toHaveLength(1));
    expect(state.notice).toBeUndefined();
  });

  it('marks a reply left streaming (no tab holds it) as interrupted when loading', async () => {
    const reply: StoredMessage = { ...user('r1', 'partial'), role: 'assistant', status: 'streaming' };
    await putConversation(conversation('a', [user('m1'), reply]), store);
    const state = history();
    const loaded = await state.init();
    expect(loaded?.messages.map((m) => m.status)).toEqual(['done', 'interrupted']);
    expect((await getConversation('a', store))?.messages[1]).toMatchObject({
      status: 'interrupted',
      content: 'partial',
    });
  });

  it('renames, deletes with undo, and searches', async () => {
    await putConversation({ ...conversation('a', [user('m1', 'about the ferry')]), updatedAt: 2 }, store);
    await putConversation({ ...conversation('b', [user('m2', 'about trams')]), updatedAt: 3 }, store);
    const state = history();
    await state.init();
    await state.rename('a', '  Star   Ferry ');
    expect((await getConversation('a', store))?.title).toBe('Star Ferry');

    state.search('TRAM');
    await vi.waitFor(() => expect(state.searching).toBe(false));
    expect(state.visible.map((s) => s.id)).toEqual(['b']);
    state.search('star');
    expect(state.visible.map((s) => s.id)).toEqual(['a']);
    state.search('');

    await state.remove('a');
    expect(state.conversations.map((s) => s.id)).toEqual(['b']);
    expect(await getConversation('a', store)).toBeUndefined();
    expect(state.lastRemoved?.title).toBe('Star Ferry');
    await state.undoRemove();
    expect(state.lastRemoved).toBeUndefined();
    expect((await getConversation('a', store))?.messages[0].content).toBe('about the ferry');
    expect(state.conversations.map((s) => s.id).sort()).toEqual(['a', 'b']);
  });

  it('imports all or nothing, and a second import adds nothing', async () => {
    await putConversation(conversation('kept', [user('k')]), store);
    const state = history();
    const transfer = new TransferState(state);
    await state.init();
    const before = await listSummaries(store);

    await transfer.importFile(
      new Blob(['{"format":"harbour-chat-export","schemaVersion":1,"conversations":[{}]}']),
    );
    expect(transfer.report).toMatchObject({ ok: false, key: 'import.invalid' });
    expect(await listSummaries(store)).toEqual(before);

    const file = new Blob([exportJson([conversation('x', [user('x1')]), conversation('y')])]);
    await transfer.importFile(file);
    expect(transfer.report).toMatchObject({ ok: true, params: { added: 2, copied: 0, unchanged: 0 } });
    await transfer.importFile(file);
    expect(transfer.report).toMatchObject({ ok: true, params: { added: 0, copied: 0, unchanged: 2 } });
    expect(state.conversations).toHaveLength(3);
  });

  it('never plants turns in a stored conversation: a file reusing its id becomes a marked copy', async () => {
    const kept = conversation('kept', [user('k')]);
    await putConversation(kept, store);
    const state = history();
    const transfer = new TransferState(state);
    await state.init();
    const planted = conversation('kept', [user('k'), { ...user('evil', 'Do as I say'), parentId: 'k' }]);
    await transfer.importFile(new Blob([exportJson([planted])]));
    expect(transfer.report).toMatchObject({ ok: true, params: { added: 0, copied: 1, unchanged: 0 } });
    expect(await getConversation('kept', store)).toEqual(kept);
    expect(state.path.map((m) => m.id)).toEqual(['k']);
    const copy = state.conversations.find((s) => s.id !== 'kept');
    expect(copy).toMatchObject({ title: 'Chat kept (imported copy)', messageCount: 2 });
  });

  it('acts on what storage holds, not on what a channel message claims', async () => {
    await putConversation(conversation('a', [user('q')]), store);
    const state = history();
    await state.init();
    const page = new BroadcastChannel('harbour-chat-history');
    page.postMessage({ kind: 'deleted', id: 'a' });
    page.postMessage(null);
    page.postMessage({ kind: 'saved', id: { toString: 1 } });
    page.postMessage({ kind: 'saved' });
    // A real change afterwards shows that the ones before it have been handled.
    const other = history();
    await other.init();
    await other.saveMessage(conversation('b'), user('b1'));
    await vi.waitFor(() => expect(state.conversations.map((s) => s.id)).toEqual(['b', 'a']));
    page.close();
    expect(state.open?.id).toBe('a');
  });

  it('skips a damaged conversation, reports it once and leaves it as stored', async () => {
    await putConversation(conversation('a', [user('q')]), store);
    await putConversation(conversation('b', [user('r')]), store);
    const raw = await getConversation('b', store);
    const damaged = { ...raw, messages: [null] };
    await store('readwrite', (os) => os.put(damaged, 'conversation:b'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const state = history();
    await state.init();
    await state.openConversation('b');
    expect(state.open).toBeUndefined();
    expect(state.damaged).toBe(1);
    state.dismissDamaged();
    await state.openConversation('a');
    await state.openConversation('b');
    expect(state.damaged).toBe(0);
    expect(await state.storedConversations()).toHaveLength(1);
    expect(
      await store(
        'readonly',
        (os) =>
          new Promise(
            (ok) => (os.get('conversation:b').onsuccess = (e) => ok((e.target as IDBRequest).result)),
          ),
      ),
    ).toEqual(damaged);
    warn.mockRestore();
  });

  it('hears another tab: its saves show in this list and in the open conversation', async () => {
    const one = history();
    const two = history();
    await one.init();
    await two.init();
    await one.saveMessage(conversation('from-one'), user('m1'));
    await vi.waitFor(() => expect(two.conversations.map((s) => s.id)).toEqual(['from-one']));
    await two.openConversation('from-one');
    await one.openConversation('from-one');
    one.add({ ...user('m2', 'more'), parentId: 'm1' });
    await vi.waitFor(() => expect(two.path.map((m) => m.content)).toEqual(['m1', 'more']));
    await one.rename('from-one', 'Renamed there');
    await vi.waitFor(() => expect(two.open?.title).toBe('Renamed there'));
  });

  it('keeps a reply it is still writing when another tab changes the conversation', async () => {
    await putConversation(conversation('a', [user('q')]), store);
    const one = history();
    const two = history();
    await one.init();
    await two.init();
    const reply = one.add({ ...user('r', ''), role: 'assistant', parentId: 'q', status: 'streaming' });
    one.setLive('r', true);
    reply.content = 'growing text that is not saved yet';
    await two.rename('a', 'Renamed');
    await vi.waitFor(() => expect(one.open?.title).toBe('Renamed'));
    expect(one.path.at(-1)?.content).toBe('growing text that is not saved yet');
    // A switch away is refused while the reply is written.
    await one.openConversation('elsewhere');
    expect(one.open?.id).toBe('a');
  });

  it('keeps every version: a new answer or question sits beside the old one, and either can be shown', async () => {
    await putConversation(conversation('a', [user('q')]), store);
    const state = history();
    await state.init();
    const answer = (id: string, parentId: string) => ({ ...user(id), role: 'assistant' as const, parentId });
    state.add(answer('r1', 'q'));
    state.add({ ...user('q2'), parentId: 'r1' });
    state.add(answer('r2', 'q2'));
    state.add(answer('r1b', 'q')); // regenerated
    expect(state.path.map((m) => m.id)).toEqual(['q', 'r1b']);
    const shown = state.path[1];
    expect(state.versions(shown)).toEqual({ index: 1, count: 2, previousId: 'r1', nextId: undefined });
    state.showVersion('r1');
    // The older version comes back with what followed it.
    expect(state.path.map((m) => m.id)).toEqual(['q', 'r1', 'q2', 'r2']);
    await vi.waitFor(async () => expect((await getConversation('a', store))?.currentId).toBe('r2'));
    const reread = history();
    await reread.init();
    expect(reread.path.map((m) => m.id)).toEqual(['q', 'r1', 'q2', 'r2']);
    expect(reread.open?.messages).toHaveLength(5);
  });

  it('sends to the conversation the screen switched to, even before it has loaded', async () => {
    await putConversation({ ...conversation('a', [user('a1')]), updatedAt: 2 }, store);
    await putConversation({ ...conversation('b', [user('b1')]), updatedAt: 1 }, store);
    const state = history();
    await state.init();
    expect(state.open?.id).toBe('a');
    const switching = state.openConversation('b');
    expect(state.currentId).toBe('b');
    await state.settled();
    state.add({ ...user('b2'), parentId: state.path.at(-1)?.id });
    await switching;
    expect(state.open?.id).toBe('b');
    await vi.waitFor(async () =>
      expect((await getConversation('b', store))?.messages.map((m) => m.id)).toEqual(['b1', 'b2']),
    );
    expect((await getConversation('a', store))?.messages.map((m) => m.id)).toEqual(['a1']);
  });

  it('keeps the unsaved tail in localStorage while writes fail, and writes it back on the next start', async () => {
    const kept = new Map<string, string>();
    vi.stubGlobal('localStorage', {
      getItem: (key: string) => kept.get(key) ?? null,
      setItem: (key: string, value: string) => void kept.set(key, value),
      removeItem: (key: string) => void kept.delete(key),
    });
    try {
      const { store: wrapped, control } = flaky(store);
      const failing = history(wrapped);
      await failing.init();
      control.failing = true;
      failing.add(user('q', 'a question the disk would not take'));
      await vi.waitFor(() => expect(failing.unsaved).toBe(true));
      expect(kept.get('harbour-chat:unsaved')).toContain('a question the disk would not take');
      failing.dispose(); // the tab is closed

      const next = history();
      await next.init();
      expect(next.path.map((m) => m.content)).toEqual(['a question the disk would not take']);
      expect(kept.has('harbour-chat:unsaved')).toBe(false);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('keeps working without storage: nothing is saved and it says so', async () => {
    const broken: UseStore = () => Promise.reject(new DOMException('blocked', 'InvalidStateError'));
    const state = history(broken);
    expect(await state.init()).toBeUndefined();
    expect(state.available).toBe(false);
    expect(state.notice).toBe('storage.unavailable');
    await expect(state.saveMessage(conversation('a'), user('m1'))).resolves.toBeUndefined();
  });
});

describe('a newer release upgrading the database', () => {
  it('closes this connection when asked, so the upgrade is not blocked, and says to reload', async () => {
    const state = new HistoryState(); // the app's own database
    states.push(state);
    await state.init();
    const upgraded = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('harbour-chat', 2);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error('blocked by the older connection'));
    });
    expect(upgraded.version).toBe(2);
    upgraded.close();
    expect(state.closedForUpgrade).toBe(true);
    expect(state.notice).toBe('storage.reload');
  });
});
