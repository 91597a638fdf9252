/**
 * Reading a conversation as a tree (schema version 2, ./records.ts): the path on screen, the
 * versions of a message (its siblings: same parent), and the checks an imported tree must pass.
 * Pure functions over the flat message list; a message's versions are in creation order.
 */
import type { Conversation, StoredMessage } from './records';

/** The messages from the first question down to `leafId` (the newest message when unknown). */
export function pathTo(messages: readonly StoredMessage[], leafId: string | undefined): StoredMessage[] {
  const byId = new Map(messages.map((m) => [m.id, m]));
  const path: StoredMessage[] = [];
  const seen = new Set<string>();
  let at = (leafId !== undefined ? byId.get(leafId) : undefined) ?? messages.at(-1);
  while (at && !seen.has(at.id)) {
    seen.add(at.id);
    path.push(at);
    at = at.parentId !== undefined ? byId.get(at.parentId) : undefined;
  }
  return path.reverse();
}

/** The path the conversation shows. */
export function visiblePath(conversation: Pick<Conversation, 'messages' | 'currentId'>): StoredMessage[] {
  return pathTo(conversation.messages, conversation.currentId);
}

/**
 * Every message's versions at once, by parent id (undefined: the first question's versions), oldest
 * first. One pass: filtering the list once per message on screen read n² messages.
 */
export function versionsByParent(
  messages: readonly StoredMessage[],
): Map<string | undefined, StoredMessage[]> {
  const groups = new Map<string | undefined, StoredMessage[]>();
  for (const m of messages) {
    const group = groups.get(m.parentId);
    if (group) group.push(m);
    else groups.set(m.parentId, [m]);
  }
  return groups;
}

/** The message to show last when the version `id` is chosen: down its newest descendants. */
export function newestLeafUnder(messages: readonly StoredMessage[], id: string): string {
  const newestChild = new Map<string, string>();
  for (const m of messages) if (m.parentId !== undefined) newestChild.set(m.parentId, m.id);
  const seen = new Set<string>();
  let leaf = id;
  for (
    let next = newestChild.get(leaf);
    next !== undefined && !seen.has(next);
    next = newestChild.get(leaf)
  ) {
    seen.add(next);
    leaf = next;
  }
  return leaf;
}

/** What is wrong with a conversation's tree (an unknown parent, a loop, an unknown current), if anything. */
export function treeProblem(conversation: Pick<Conversation, 'messages' | 'currentId'>): string | undefined {
  const parentOf = new Map(conversation.messages.map((m) => [m.id, m.parentId]));
  if (conversation.currentId !== undefined && !parentOf.has(conversation.currentId)) return 'currentId';
  for (const [index, message] of conversation.messages.entries()) {
    if (message.parentId === undefined) continue;
    if (!parentOf.has(message.parentId)) return `messages[${index}].parentId`;
    // A chain longer than the list is a loop.
    let steps = 0;
    for (let at: string | undefined = message.parentId; at !== undefined; at = parentOf.get(at)) {
      if (++steps > conversation.messages.length) return `messages[${index}].parentId`;
    }
  }
  return undefined;
}
