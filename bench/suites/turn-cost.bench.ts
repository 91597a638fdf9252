/**
 * Turn cost: a 10-turn conversation through the real transformers.js runtime (the bare engine
 * worker, bench/pages), with KV prefix reuse off ("before") and on ("after"), on wasm and on WebGPU
 * (SwiftShader). Per turn: prompt tokens, tokens actually prefilled, and time to first token. The
 * tiny model has the real 151,936-wide logits and no `num_logits_to_keep`, like the January 2025
 * 1.5B export, so every prefilled token costs a full logits row. Goal (printed, never asserted):
 * turn 10 prefills at most 1.5× what turn 2 does, and its first token comes within 1.5× of turn 2's.
 * The tiny model always gives the same reply, so only turn 1 is decoded whole; later turns stop
 * after two tokens (decoding is not what is measured; the engine suite measures it) and their
 * history carries turn 1's answer, exactly as a whole reply would have left it. The same on wasm
 * and on WebGPU.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { stripThinking } from '../../src/lib/chat/think';
import type { ChatTurn } from '../../src/shared/engine';
import { writePart } from '../lib/parts';
import { turnCostTable, type TurnCost, type TurnCostPart } from '../lib/turn-cost';
import { appUrl, freshContext, launchChromium } from '../lib/setup';

const MODEL_ID = 'tiny-r1';
const TURNS = 10;
// The app's default settings; the tiny model's reply is the same whatever the sampling.
const OPTIONS = { temperature: 0.6, topP: 0.95, maxTokens: 500 };
/** Tokens decoded after turn 1: enough for a first token and a decode step. */
const LATER_TOKENS = 2;

const question = (turn: number) => `Question ${turn}: what is the tide at pier ${turn} today?`;

/** Loads the model with or without prefix reuse and has the whole conversation, turn by turn. */
async function conversation(
  page: Page,
  reuse: boolean,
): Promise<{ backend: 'wasm' | 'webgpu'; costs: TurnCost[] }> {
  const backend = await page.evaluate(([id, on]) => window.rawEngine?.load(id, on), [
    MODEL_ID,
    reuse,
  ] as const);
  if (!backend) throw new Error('The bare engine page did not start');
  const turns: ChatTurn[] = [];
  const costs: TurnCost[] = [];
  let answer = '';
  for (let turn = 1; turn <= TURNS; turn++) {
    turns.push({ role: 'user', content: question(turn) });
    const options = turn === 1 ? OPTIONS : { ...OPTIONS, maxTokens: LATER_TOKENS };
    const reply = await page.evaluate(([sent, chosen]) => window.rawEngine?.generate(sent, chosen, false), [
      turns,
      options,
    ] as const);
    if (!reply) throw new Error('The bare engine gave no reply');
    expect(reply.stats.finishReason).toBe(turn === 1 ? 'stop' : 'length');
    const { promptTokens, prefilledTokens, timeToFirstTokenMs } = reply.stats;
    costs.push({ turn, promptTokens, prefilledTokens: prefilledTokens ?? promptTokens, timeToFirstTokenMs });
    console.log(`turn cost ${backend} reuse ${reuse}: turn ${turn}, ${promptTokens} prompt tokens`);
    // As the app sends history: earlier answers without their thought.
    if (turn === 1) answer = stripThinking(reply.text);
    turns.push({ role: 'assistant', content: answer });
  }
  return { backend, costs };
}

async function measure(browser: Browser): Promise<TurnCostPart> {
  const context = await freshContext(browser);
  const page = await context.newPage();
  await page.goto(`${appUrl}/bench/engine.html`);
  await expect.poll(() => page.evaluate(() => window.rawEngine !== undefined)).toBe(true);
  const before = await conversation(page, false);
  const after = await conversation(page, true);
  await context.close();
  return { backend: after.backend, before: before.costs, after: after.costs };
}

test('turn cost: a 10-turn conversation, prefill and time to first token per turn, before and after prefix reuse', async () => {
  test.setTimeout(20 * 60_000);
  const parts: TurnCostPart[] = [];
  const failures: { backend: string; error: string }[] = [];
  for (const webgpu of [false, true]) {
    const browser = await launchChromium(webgpu);
    try {
      const part = await measure(browser);
      parts.push(part);
      console.log(turnCostTable(part).join('\n'));
    } catch (error) {
      failures.push({ backend: webgpu ? 'webgpu' : 'wasm', error: String(error).slice(0, 500) });
    } finally {
      await browser.close();
    }
  }
  writePart('turn-cost', { model: MODEL_ID, turns: TURNS, options: OPTIONS, backends: parts, failures });
  expect(failures).toEqual([]);
});
