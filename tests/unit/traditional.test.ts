import OpenCC from 'opencc-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildHongKongConverter, type HongKongConverter } from '../../src/lib/chinese/hong-kong';
import { ProseConversion, convertProse } from '../../src/lib/chinese/prose';
import { SCHEMA_VERSION, type Conversation } from '../../src/lib/storage/records';
import { exportJson, exportMarkdown, type MarkdownLabels } from '../../src/lib/storage/transfer';

let hk: HongKongConverter;
beforeAll(async () => {
  hk = await buildHongKongConverter();
}, 60_000);

const SAMPLE = [
  '这个软件的服务器在香港，用户可以点击鼠标打开文件夹。',
  '我们的头发和面条，后来的皇后，计算机内存条不足，网络连接出现问题。',
  '人工智能模型正在思考你的问题：为什么天空是蓝色的？因为瑞利散射。',
  '布拉德·皮特和克里斯托弗·诺兰去了密歇根州。操作系统里的硬盘。',
  '一了百了，一出戏，干部干杯，乾隆，发现头发，里程碑，台湾的台风。',
].join('\n');

describe('the Hong Kong converter', () => {
  it('gives what opencc-js’s own cn → hkp Converter gives', () => {
    const library = OpenCC.Converter({ from: 'cn', to: 'hkp' });
    expect(hk.convert(SAMPLE)).toBe(library(SAMPLE));
    // And on a slice of its phrase list, run together without separators.
    const run = '一丝不挂一了心愿一元复始一党一冲性子一准一出戏院头发后来面条里程碑';
    expect(hk.convert(run)).toBe(library(run));
  });

  it('writes Hong Kong characters and phrasing', () => {
    expect(hk.convert('这个服务器的鼠标和文件夹')).toBe('這個伺服器的滑鼠和資料夾');
    expect(hk.convert('头发和面条')).toBe('頭髮和麪條');
    expect(hk.convert('English text, 123 and $x$ stay.')).toBe('English text, 123 and $x$ stay.');
  });

  it('holds back a tail that may still grow into a longer phrase', () => {
    // 头 could become 头发 (頭髮), so it waits; after 发 and a full stop, all is settled.
    expect(hk.settledLength('我的头')).toBeLessThan(3);
    expect(hk.settledLength('我的头发。')).toBe(5);
    expect(hk.settledLength('hello ')).toBe(6);
  });
});

/** Feeds `text` in pieces of the given sizes and returns every view shown along the way. */
function stream(text: string, sizes: number[]): { views: string[]; final: string } {
  const view = new ProseConversion(hk);
  const views: string[] = [];
  let at = 0;
  for (let i = 0; at < text.length; i++) {
    at = Math.min(text.length, at + sizes[i % sizes.length]);
    views.push(view.update(text.slice(0, at), true));
  }
  return { views, final: view.update(text, false) };
}

describe('a streamed reply', () => {
  const reply = [
    '## 头发护理',
    '',
    '用`面条`和 $x_{发}$ 计算，见 https://zh.wikipedia.org/wiki/头发 或 [链接](https://example.com/面条)。',
    '',
    '```python',
    'print("头发和面条")  # 后来',
    '```',
    '',
    '$$',
    '\\text{头发} = 1',
    '$$',
    '',
    SAMPLE,
  ].join('\n');

  it('never shows a half-converted phrase: every view is a prefix of the final text', () => {
    for (const sizes of [[1], [2, 3], [5, 1, 7], [13]]) {
      const { views, final } = stream(reply, sizes);
      expect(final).toBe(convertProse(reply, hk));
      expect(views.filter((view) => !final.startsWith(view))).toEqual([]);
    }
  });

  it('converts prose and leaves code, inline code, maths and URLs as the model wrote them', () => {
    const out = convertProse(reply, hk);
    expect(out).toContain('## 頭髮護理');
    expect(out).toContain('用`面条`和 $x_{发}$ 計算');
    expect(out).toContain('https://zh.wikipedia.org/wiki/头发');
    expect(out).toContain('[鏈接](https://example.com/面条)');
    expect(out).toContain('print("头发和面条")  # 后来');
    expect(out).toContain('\\text{头发} = 1');
    expect(out).toContain('這個軟件的伺服器在香港');
  });

  it('holds an inline code span back until it closes', () => {
    const view = new ProseConversion(hk);
    expect(view.update('好的，用`头发', true)).toBe('好的，用');
    expect(view.update('好的，用`头发`。', true)).toBe('好的，用`头发`。');
  });

  it('starts again when the source is replaced rather than extended', () => {
    const view = new ProseConversion(hk);
    expect(view.update('头发。\n', false)).toBe('頭髮。\n');
    expect(view.update('面条。\n', false)).toBe('麪條。\n');
  });
});

describe('exports', () => {
  const conversation: Conversation = {
    schemaVersion: SCHEMA_VERSION,
    id: 'c1',
    title: '头发',
    createdAt: 1,
    updatedAt: 2,
    currentId: 'a',
    messages: [
      { id: 'u', role: 'user', content: '头发点护理？', createdAt: 1, status: 'done' },
      {
        id: 'a',
        parentId: 'u',
        role: 'assistant',
        content: '想想头发</think>\n\n头发要勤洗：`面条`',
        createdAt: 2,
        status: 'done',
      },
    ],
  };
  const labels: MarkdownLabels = {
    untitled: '',
    you: 'You',
    assistant: 'Harbour',
    thought: 'Thought',
    stopped: '',
    interrupted: '',
    failed: '',
    date: () => 'today',
  };

  it('Markdown shows the model’s text as on screen; the user’s own words stay as written', () => {
    const markdown = exportMarkdown([conversation], labels, (text) => convertProse(text, hk));
    expect(markdown).toContain('頭髮要勤洗：`面条`');
    expect(markdown).toContain('想想頭髮');
    expect(markdown).toContain('头发点护理？');
  });

  it('JSON keeps the model’s own text, the record an import reads back', () => {
    expect(exportJson([conversation])).toContain('头发要勤洗');
  });
});
