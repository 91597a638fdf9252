import { describe, expect, it } from 'vitest';
import { starters } from '../../src/lib/chat/starters';
import { zhHK } from '../../src/lib/i18n/messages';

/**
 * Words a Hong Kong reader takes for Mainland usage, each with the Hong Kong word. Only words that
 * are Mainland-only in the sense an interface would use them: 軟件, 硬件, 用戶, 網絡, 數據 and 打印
 * are ordinary Hong Kong usage (Taiwan differs, not Hong Kong), and 程序 is kept for "procedure"
 * (法律程序), so none of those is here.
 */
const mainlandTerms: Record<string, string> = {
  詞元: 'token',
  視頻: '影片',
  信息: '資訊／訊息',
  默認: '預設',
  質量: '質素',
  屏幕: '螢幕',
  鼠標: '滑鼠',
  服務器: '伺服器',
  內存: '記憶體',
  緩存: '快取',
  文件夾: '資料夾',
  登錄: '登入',
  點擊: '按',
  激活: '啟用',
  短信: '短訊',
};

function mainlandIn(texts: Record<string, string>): string[] {
  return Object.entries(texts).flatMap(([where, text]) =>
    Object.keys(mainlandTerms)
      .filter((term) => text.includes(term))
      .map((term) => `${where}: ${term} (say ${mainlandTerms[term]})`),
  );
}

describe('the zh-HK wording', () => {
  it('uses no Mainland-only terms in the message table', () => {
    expect(mainlandIn(zhHK)).toEqual([]);
  });

  it('uses no Mainland-only terms in the starting points’ prompts', () => {
    expect(mainlandIn(Object.fromEntries(starters.map((s) => [s.id, s.prompt['zh-HK']])))).toEqual([]);
  });

  it('would catch one (the check can fail)', () => {
    expect(mainlandIn({ sample: '請點擊默認設定' })).toHaveLength(2);
  });

  it('writes "give" as 畀, never 俾, and keeps the items the review named fixed', () => {
    const all = Object.values(zhHK).join('\n');
    expect(all).not.toMatch(/俾/);
    for (const wrong of ['先開始傾偈', '細型號', '網絡中斷咗下載', '再按「載入」', '揀選', '唔能夠']) {
      expect(all).not.toContain(wrong);
    }
  });
});

describe('the New Year fortune stick', () => {
  const fortune = starters.find((s) => s.id === 'fortune');

  it('is filled in by the user, who gives the verse (a small model would invent one), and says it is for fun', () => {
    expect(fortune?.action).toBe('fill');
    expect(fortune?.badge).toBe('starter.seasonal');
    expect(fortune?.prompt['zh-HK']).toMatch(/籤文（照抄）：\n我問嘅事：\n$/);
    expect(fortune?.prompt['zh-HK']).toMatch(/娛樂/);
    expect(fortune?.prompt.en).toMatch(/just for fun/);
    expect(fortune?.prompt.en).toMatch(/do not make one up/);
    expect(zhHK['starter.fortuneHint']).toMatch(/純粹娛樂/);
  });
});
