/**
 * The real transformers.js runtime (wasm) with the generated tiny models, which carry the real
 * R1-Distill-Qwen tokenizer and both versions of its chat template: the prompt the template opens
 * or not, a model that never thinks, continuing a reply cut at a token limit, and the kept prompt
 * prefix. The continuation and cache checks go below the UI through the test build's engine hook
 * (src/test-hooks.ts, reached through app-hooks.ts), with the app's own sampling settings.
 */
import { expect, test, type Page } from './fixtures';
import type { ChatTurn, GenerationStats } from '../../src/shared/engine';
import { liveEngine } from './app-hooks';
import { loadModel, openApp, send } from './helpers';
import { expectTinyReply } from './tiny-model';

interface Reply {
  text: string;
  stats: GenerationStats;
}

/** Runs replies through the page's engine bridge, one after another. */
async function replies(page: Page, requests: { turns: ChatTurn[]; maxTokens: number }[]): Promise<Reply[]> {
  return (await liveEngine(page)).evaluate(async (engine, all) => {
    const out: Reply[] = [];
    for (const { turns, maxTokens } of all) {
      let text = '';
      const stats = await engine.generate(turns, { temperature: 0.6, topP: 0.95, maxTokens }, (delta) => {
        text += delta;
      });
      out.push({ text, stats });
    }
    return out;
  }, requests);
}

const hi: ChatTurn[] = [{ role: 'user', content: 'Hi' }];

test("R1's first template: the model opens its thought itself, and stopping then continuing changes nothing", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await openApp(page, {}, 'tiny-r1-plain');
  await loadModel(page);
  await send(page, 'Hi');
  await expectTinyReply(page);

  const [whole, part] = await replies(page, [
    { turns: hi, maxTokens: 500 },
    { turns: hi, maxTokens: 2 },
  ]);
  expect(whole.text.startsWith('<think>\nSomeone wrote to me.')).toBe(true);
  expect(part.text).toBe('<think>\n');
  const [rest] = await replies(page, [
    { turns: [...hi, { role: 'assistant', content: part.text }], maxTokens: 500 },
  ]);
  expect(part.text + rest.text).toBe(whole.text);
});

test('a model that never thinks gives an answer, no turn marker shows, and history keeps its turns', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await openApp(page, {}, 'tiny-r1-direct');
  await loadModel(page);
  for (const [index, question] of ['Hi', 'Again'].entries()) {
    await send(page, question);
    const reply = page.getByTestId('message-assistant').nth(index);
    await expect(reply).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    await expect(reply.getByTestId('answer')).toContainText(
      'Straight to the point: this model never thinks first.',
    );
    await expect(reply.getByTestId('answer')).toContainText('which must stay hidden');
    await expect(reply.getByTestId('thinking')).toHaveCount(0);
    await expect(reply).not.toContainText('｜');
  }
});

test("R1's current template: a reply cut at k tokens and continued is the uninterrupted reply, and each turn prefills only its new text", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await openApp(page, {}, 'tiny-r1');
  await loadModel(page);
  const cuts = [3, 24, 27];
  const [whole, ...parts] = await replies(page, [
    { turns: hi, maxTokens: 500 },
    ...cuts.map((maxTokens) => ({ turns: hi, maxTokens })),
  ]);
  expect(whole.text.startsWith('<think>\nSomeone wrote to me.')).toBe(true);
  expect(whole.text).toContain('</think>\n\nHello from **Harbour Chat**! 你好，歡迎使用海港傾偈。');
  expect(whole.stats.finishReason).toBe('stop');
  for (const [i, part] of parts.entries()) {
    expect(part.stats.finishReason).toBe('length');
    expect(part.stats.completionTokens).toBe(cuts[i]);
    const [rest] = await replies(page, [
      { turns: [...hi, { role: 'assistant', content: part.text }], maxTokens: 500 },
    ]);
    expect(part.text + rest.text, `cut after ${cuts[i]} tokens`).toBe(whole.text);
  }

  // Turn 2: everything up to turn 1's <｜Assistant｜> (all of its prompt but "<think>\n") is kept.
  const [second] = await replies(page, [
    {
      turns: [
        ...hi,
        { role: 'assistant', content: 'Hello from **Harbour Chat**!' },
        { role: 'user', content: 'Again' },
      ],
      maxTokens: 500,
    },
  ]);
  expect(second.text).toBe(whole.text);
  expect(second.stats.prefilledTokens).toBe(second.stats.promptTokens - (whole.stats.promptTokens - 2));
});

test("the prompt is fitted with the model's own token counts: a message the estimate would refuse is sent, and the meter counts real tokens", async ({
  page,
}) => {
  // A 152-token prompt: its prefill materialises 152 rows of 151,936 logits, slow on a busy machine.
  test.setTimeout(360_000);
  await openApp(page, {}, 'tiny-r1');
  await loadModel(page);
  // 1,200 characters: estimated at 400 tokens, more than this 512-token window leaves a question
  // beside the reply's 256; Qwen's tokenizer makes 152 of them.
  await send(page, 'harbour '.repeat(150).trim());
  await expect(page.getByTestId('message-user')).toHaveCount(1);
  await expectTinyReply(page, 0, 240_000);
  // The question and the answer (without its thought), counted: well under the estimate's 90%+.
  const meter = page.getByTestId('context-meter');
  const use = () => meter.evaluate((element) => (element as HTMLMeterElement).value);
  await expect.poll(use).toBeLessThan(0.6);
  expect(await use()).toBeGreaterThan(0.3);
});
