/**
 * WebLLM's prompt, for continuing a reply. WebLLM 0.2.86 will not continue an assistant message:
 * `getConversationFromChatCompletionRequest` throws MessageOrderError unless the last message is
 * from the user or a tool, and its Conversation class is not exported. So a continued reply goes
 * through `completions.create` with this text: the conversation laid out as WebLLM's Conversation
 * lays out text messages (`getPromptArrayInternal`, lib/index.js), then the reply so far.
 * tests/unit/webllm-prompt.test.ts checks it against WebLLM's own code.
 */
import type { ChatTurn } from '../../src/shared/engine';

/** The fields of an MLC conversation template (mlc-chat-config.json `conv_template`) used here. */
export interface MlcConvTemplate {
  system_template: string;
  system_message: string;
  roles: Record<string, string>;
  role_templates?: Record<string, string>;
  seps: string[];
  role_content_sep?: string;
  role_empty_sep?: string;
  add_role_after_system_message?: boolean;
  render_empty_system_message?: boolean;
}

const sepOr = (sep: string | undefined) => sep ?? ': ';

function systemPrompt(template: MlcConvTemplate): string {
  if (template.system_message === '' && template.render_empty_system_message === false) return '';
  return template.system_template.replace('{system_message}', template.system_message);
}

/** The prompt text WebLLM builds for `turns` (no system turns), ending in the reply header. */
export function mlcPrompt(template: MlcConvTemplate, turns: ChatTurn[]): string {
  const last = turns.at(-1);
  const continued = last?.role === 'assistant' ? last.content : '';
  const asked = last?.role === 'assistant' ? turns.slice(0, -1) : turns;
  const system = systemPrompt(template);
  const parts = [system];
  asked.forEach((turn, i) => {
    const body =
      template.role_templates?.[turn.role]?.replace(`{${turn.role}_message}`, turn.content) ?? turn.content;
    const omitRole = template.add_role_after_system_message === false && system !== '' && i === 0;
    const prefix = omitRole ? '' : `${template.roles[turn.role]}${sepOr(template.role_content_sep)}`;
    parts.push(`${prefix}${body}${template.seps[i % template.seps.length]}`);
  });
  parts.push(`${template.roles.assistant}${sepOr(template.role_empty_sep)}`);
  return parts.join('') + continued;
}
