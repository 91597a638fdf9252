/**
 * One reply from transformers.js: the prompt from the model's own chat template (a continued reply
 * included), the kept prompt prefix reused, top-p applied, and no control-token text in the stream.
 */
import {
  LogitsProcessorList,
  TextStreamer,
  type InterruptableStoppingCriteria,
  type PreTrainedModel,
  type PreTrainedTokenizer,
} from '@huggingface/transformers';
import type { ChatTurn, GenerateOptions, GenerationStats } from '../../src/shared/engine';
import { renderPrompt, type RenderTemplate } from './chat-prompt';
import { modelInputs, type PromptCache } from './prompt-cache';
import { MarkerFilter } from './special-text';
import { TopPLogitsProcessor } from './top-p';

const ASSISTANT = '<｜Assistant｜>';
/**
 * Markers that end or begin a turn in R1-Distill's template. The 1.5B's generation_config lists
 * 151643 and 151645 as EOS; <｜User｜> would start a turn the model must not write either.
 */
const TURN_MARKERS = ['<｜end▁of▁sentence｜>', '<｜User｜>', ASSISTANT];

/** A TextStreamer that never decodes the tokens a reply stops on. */
class ReplyStreamer extends TextStreamer {
  readonly #hidden: ReadonlySet<bigint>;

  constructor(
    tokenizer: PreTrainedTokenizer,
    hidden: ReadonlySet<bigint>,
    options: ConstructorParameters<typeof TextStreamer>[1],
  ) {
    super(tokenizer, options);
    this.#hidden = hidden;
  }

  override put(value: bigint[][]): void {
    super.put(value.map((row) => row.filter((id) => !this.#hidden.has(id))));
  }
}

function idsOf(value: unknown): number[] {
  const values = Array.isArray(value) ? value : [value];
  return values.filter((id): id is number => typeof id === 'number');
}

/** The generation config's EOS ids plus the turn markers this tokenizer has. */
export function stopTokenIds(model: PreTrainedModel, tokenizer: PreTrainedTokenizer): number[] {
  const config = model.generation_config as { eos_token_id?: unknown } | null;
  const markers = TURN_MARKERS.map((token) => tokenizer.convert_tokens_to_ids(token) as unknown);
  return [...new Set([...idsOf(config?.eos_token_id), ...idsOf(markers)])];
}

export interface TransformersModel {
  model: PreTrainedModel;
  tokenizer: PreTrainedTokenizer;
  promptCache: PromptCache;
  stopping: InterruptableStoppingCriteria;
}

/** The rendered prompt and its token ids, from the tokenizer's own chat template. */
export function promptFor(tokenizer: PreTrainedTokenizer, turns: ChatTurn[]) {
  const render: RenderTemplate = (asked, addGenerationPrompt) =>
    tokenizer.apply_chat_template(asked, {
      tokenize: false,
      add_generation_prompt: addGenerationPrompt,
    }) as string;
  const prompt = renderPrompt(render, turns);
  return { ...prompt, ids: tokenizer.encode(prompt.text, { add_special_tokens: false }) };
}

export async function generateReply(
  { model, tokenizer, promptCache, stopping }: TransformersModel,
  turns: ChatTurn[],
  options: GenerateOptions,
  onDelta: (text: string) => void,
): Promise<GenerationStats> {
  const prompt = promptFor(tokenizer, turns);
  const { ids } = prompt;
  const assistantId = tokenizer.convert_tokens_to_ids(ASSISTANT) as unknown;
  const boundary = typeof assistantId === 'number' ? ids.lastIndexOf(assistantId) + 1 : 0;
  const started = performance.now();
  const prepared = await promptCache.prepare(model, ids, boundary);

  const markers = new MarkerFilter();
  const emit = (text: string) => {
    if (text) onDelta(text);
  };
  // The template opened the thought: the reply says so itself (see src/shared/engine.ts).
  emit(prompt.opening);
  let firstTokenAt: number | undefined;
  let lastTokenAt = started;
  let completionTokens = 0;
  const stopIds = stopTokenIds(model, tokenizer);
  const streamer = new ReplyStreamer(tokenizer, new Set(stopIds.map(BigInt)), {
    skip_prompt: true,
    skip_special_tokens: true,
    callback_function: (text: string) => emit(markers.push(text)),
    token_callback_function: (tokens: bigint[]) => {
      if (tokens.length === 0) return;
      lastTokenAt = performance.now();
      firstTokenAt ??= lastTokenAt;
      completionTokens += tokens.length;
    },
  });
  const sample = options.temperature > 0;
  const logitsProcessor = new LogitsProcessorList();
  if (sample && options.topP < 1) logitsProcessor.push(new TopPLogitsProcessor(options.topP));
  try {
    await model.generate({
      ...modelInputs(ids),
      ...(prepared.cache ? { past_key_values: prepared.cache } : {}),
      max_new_tokens: options.maxTokens,
      do_sample: sample,
      ...(sample ? { temperature: options.temperature } : {}),
      eos_token_id: stopIds,
      logits_processor: logitsProcessor,
      streamer,
      stopping_criteria: stopping,
    });
    emit(markers.finish());
  } finally {
    await prepared.cache?.dispose();
  }
  const first = firstTokenAt ?? lastTokenAt;
  const decodeSeconds = (lastTokenAt - first) / 1000;
  const prefilledTokens = ids.length - prepared.reusedTokens;
  return {
    promptTokens: ids.length,
    prefilledTokens,
    completionTokens,
    timeToFirstTokenMs: first - started,
    prefillTokensPerSecond: prefilledTokens / Math.max((first - started) / 1000, 1e-3),
    decodeTokensPerSecond: completionTokens > 1 ? (completionTokens - 1) / Math.max(decodeSeconds, 1e-3) : 0,
    finishReason: stopping.interrupted ? 'abort' : completionTokens >= options.maxTokens ? 'length' : 'stop',
  };
}
