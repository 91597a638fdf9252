/**
 * What WebLLM 0.2.86 actually sends for a DeepSeek-R1 distill, built by WebLLM's own code in Node:
 * MLCEngine.preparePrefillInput turns the request into its Conversation (as for every chat
 * completion), then the message and reply header are appended as its forwardPrefill does. The
 * chat config is merged as reloadInternal merges it: mlc-chat-config.json, then the app config
 * record's `overrides`.
 */
import { MLCEngine, modelVersion } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { WEBLLM_LIB_VERSION } from '../../src/shared/config';
import type { ChatTurn } from '../../src/shared/engine';
import { mlcPrompt, type MlcConvTemplate } from '../../workers/runtimes/mlc-prompt';
import { webllmAppConfig } from '../../workers/runtimes/webllm';

// MLC's deepseek_r1_qwen template (mlc-ai/mlc-llm python/mlc_llm/conversation_template/deepseek.py),
// as mlc-chat-config.json carries it.
const deepseekR1Qwen = {
  name: 'deepseek_r1_qwen',
  system_template: '<｜begin▁of▁sentence｜>{system_message}',
  system_message:
    "You are Deepseek-R1, an AI assistant created exclusively by the Chinese Company DeepSeek. You'll provide helpful, harmless, and detailed responses to all user inquiries.",
  system_prefix_token_ids: null,
  add_role_after_system_message: true,
  roles: { user: '<｜User｜>', assistant: '<｜Assistant｜>' },
  role_templates: { user: '{user_message}', assistant: '{assistant_message}', tool: '{tool_message}' },
  messages: [],
  seps: ['', '<｜end▁of▁sentence｜>'],
  role_content_sep: '',
  role_empty_sep: '',
  stop_str: [],
  stop_token_ids: [151643],
  function_string: '',
  use_function_calling: false,
};

interface WebllmConversation {
  appendMessage(role: string, content: string): void;
  appendReplyHeader(role: string): void;
  getPromptArray(): string[];
}

/** The prompt WebLLM's engine builds for a chat completion of `messages`. */
function webllmPrompt(messages: ChatTurn[], overrides: object): string {
  let conversation: WebllmConversation | undefined;
  const pipeline = {
    getConversationObject: () => ({ messages: [], override_system_message: undefined }),
    getFinishReason: () => undefined,
    resetChat: () => undefined,
    setConversation: (next: WebllmConversation) => (conversation = next),
  };
  const engine = new MLCEngine() as unknown as {
    preparePrefillInput(request: object, pipe: object, config: object): { inputStr: string };
  };
  const chatConfig = { conv_template: deepseekR1Qwen, ...overrides };
  const { inputStr } = engine.preparePrefillInput({ messages }, pipeline, chatConfig);
  if (!conversation) throw new Error('WebLLM built no conversation');
  conversation.appendMessage('user', inputStr);
  conversation.appendReplyHeader('assistant');
  return conversation.getPromptArray().join('');
}

const [record] = webllmAppConfig().model_list;
const overrides = record?.overrides ?? {};
const conversation: ChatTurn[] = [
  { role: 'user', content: 'Hi' },
  { role: 'assistant', content: 'Hello!' },
  { role: 'user', content: 'Again' },
];

describe('the prompt WebLLM builds', () => {
  it('has no system message with our app config: BOS, then the turns, as DeepSeek advises', () => {
    const prompt = webllmPrompt(conversation, overrides);
    console.log(`WebLLM prompt with the app's overrides: ${JSON.stringify(prompt)}`);
    expect(prompt).toBe(
      '<｜begin▁of▁sentence｜><｜User｜>Hi<｜Assistant｜>Hello!<｜end▁of▁sentence｜><｜User｜>Again<｜Assistant｜>',
    );
  });

  it("would carry MLC's default system message without the override", () => {
    const withoutConv = { ...overrides, conv_config: undefined };
    expect(webllmPrompt(conversation, withoutConv)).toContain('You are Deepseek-R1, an AI assistant');
  });

  it('ends at <｜Assistant｜>: the prompt does not open the thought, the model writes <think> itself', () => {
    expect(webllmPrompt([{ role: 'user', content: 'Hi' }], overrides).endsWith('<｜Assistant｜>')).toBe(true);
  });
});

describe('mlcPrompt (the text a continued reply is completed from)', () => {
  const template = {
    ...deepseekR1Qwen,
    ...(overrides as { conv_config?: object }).conv_config,
  } as MlcConvTemplate;

  it("lays out a conversation exactly as WebLLM's Conversation does", () => {
    for (const turns of [conversation.slice(0, 1), conversation, [...conversation, ...conversation]]) {
      expect(mlcPrompt(template, turns)).toBe(webllmPrompt(turns, overrides));
    }
  });

  it('puts a reply to continue right after the reply header, with no end of turn', () => {
    const turns: ChatTurn[] = [...conversation, { role: 'assistant', content: '<think>\nHmm' }];
    expect(mlcPrompt(template, turns)).toBe(`${webllmPrompt(conversation, overrides)}<think>\nHmm`);
  });
});

describe('the model library address', () => {
  it('names the library version of the WebLLM this app is built with (the page checks it is cached)', () => {
    expect(WEBLLM_LIB_VERSION).toBe(modelVersion);
  });
});
