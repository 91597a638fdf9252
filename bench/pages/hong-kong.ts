/**
 * Times the app's own Hong Kong conversion (src/lib/chinese/) in the page: building the converter
 * from opencc-js's dictionaries, converting a finished reply, and converting one as it streams in
 * small pieces, as MessageView does on each update.
 */
import { buildHongKongConverter } from '../../src/lib/chinese/hong-kong';

export interface HongKongBenchResult {
  buildMs: number;
  characters: number;
  /** Finished markdown reply (code, maths and URLs kept), per 1,000 characters, each repeat. */
  finishedPer1000Ms: number[];
  /** Streamed in pieces of `pieceSize` characters: milliseconds per update, each update. */
  updateMs: number[];
  pieceSize: number;
  /** All the updates of one streamed reply, per 1,000 characters of it. */
  streamedPer1000Ms: number;
}

declare global {
  interface Window {
    hongKongBench?: { run(pieceSize: number, repeats: number): Promise<HongKongBenchResult> };
  }
}

// Simplified Chinese with Mainland wording, in the shape of an R1 answer: headings, prose, lists,
// code and maths.
const SECTION = [
  '## 第{n}部分：头发护理与服务器设置',
  '',
  '用户问我们怎么保护头发。首先，应该每两三天洗一次头发，水温不要太高，否则会让头皮变干。其次，洗发水要选择适合自己发质的产品，并且在洗完以后用毛巾轻轻擦干，而不是用力搓。最后，饮食也很重要：多吃蔬菜、水果和含蛋白质的食物，少熬夜。',
  '',
  '- 计算机的内存不足时，打开文件夹会变慢，鼠标也可能没有反应。',
  '- 网络连接出现问题时，可以先重启路由器，再检查服务器的默认设置。',
  '- 视频的质量取决于带宽，信息的传输也需要时间。',
  '',
  '```python',
  'def 头发(天数: int) -> str:',
  '    return "洗头发" if 天数 % 3 == 0 else "休息"',
  '```',
  '',
  '公式 $h(t) = A \\sin(\\omega t)$ 说明了变化的规律，详见 https://zh.wikipedia.org/wiki/头发 。',
  '',
].join('\n');

function reply(characters: number): string {
  let text = '';
  for (let n = 1; text.length < characters; n++) text += SECTION.replace('{n}', String(n));
  return text;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

window.hongKongBench = {
  async run(pieceSize, repeats) {
    const started = performance.now();
    const converter = await buildHongKongConverter();
    const buildMs = performance.now() - started;
    const text = reply(20_000);
    const per1000 = text.length / 1000;

    const finishedPer1000Ms: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const start = performance.now();
      converter.prose(text);
      finishedPer1000Ms.push((performance.now() - start) / per1000);
    }

    const streamedRuns: number[] = [];
    let updateMs: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const stream = converter.stream();
      const times: number[] = [];
      for (let end = pieceSize; end < text.length + pieceSize; end += pieceSize) {
        const start = performance.now();
        stream.update(text.slice(0, end), true);
        times.push(performance.now() - start);
      }
      const start = performance.now();
      stream.update(text, false);
      times.push(performance.now() - start);
      streamedRuns.push(times.reduce((sum, ms) => sum + ms, 0) / per1000);
      updateMs = times;
    }
    return {
      buildMs,
      characters: text.length,
      finishedPer1000Ms,
      updateMs,
      pieceSize,
      streamedPer1000Ms: median(streamedRuns),
    };
  },
};
