import { chromium } from '@playwright/test';
const answer = [
  '## 头发护理建议',
  '',
  '用户问怎么护理头发。以下是几个**简单**的方法：',
  '',
  '1. 每两三天洗一次头发，水温不要太高。',
  '2. 选择适合自己发质的洗发水，洗完后用毛巾轻轻擦干。',
  '3. 多吃蔬菜和水果，少熬夜。',
  '',
  '```python',
  'print("头发和面条")  # 后来再说',
  '```',
  '',
  '公式 $h = \\frac{1}{2}gt^2$ 与头发无关；详见 https://example.com/头发 。',
].join('\n');
const thinking = '用户问头发怎么护理，我要解释洗头发的方法和饮食。';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-background-networking','--disable-component-update','--disable-dev-shm-usage','--enable-unsafe-webgpu','--use-webgpu-adapter=swiftshader','--enable-features=Vulkan'] });
for (const [w, h] of [[390, 844], [1280, 800]]) {
  for (const theme of ['light', 'dark']) {
    for (const locale of ['zh-HK', 'en']) {
      const context = await browser.newContext({ viewport: { width: w, height: h }, serviceWorkers: 'block', colorScheme: theme });
      const page = await context.newPage();
      await page.addInitScript(([s, l, t]) => {
        localStorage.setItem('harbour-chat:test-script', s);
        localStorage.setItem('harbour-chat:model', 'scripted-test');
        localStorage.setItem('harbour-chat:locale', l);
        localStorage.setItem('harbour-chat:theme', t);
        if (l === 'en') localStorage.setItem('harbour-chat:hong-kong', JSON.stringify({ showTraditional: true }));
      }, [JSON.stringify({ tokenDelayMs: 5, loadMs: 100, thinking, answer }), locale, theme]);
      await page.goto('http://localhost:5612/');
      await page.getByRole('button', { name: /^(Load model|Download and load|載入模型|下載並載入)/ }).click();
      await page.getByTestId('model-ready').waitFor({ timeout: 30000 });
      const tag = `${locale}-${theme}-${w}`;
      if (w === 1280 || locale === 'zh-HK') await page.screenshot({ path: `/tmp/shots-i16/starters-${tag}.png` });
      await page.locator('#composer-input').fill(locale === 'en' ? 'How should I look after my hair? 頭髮點護理？' : '我嘅頭髮點樣護理？');
      await page.locator('#composer-input').press('Enter');
      await page.getByTestId('message-assistant').last().waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid="message-assistant"]')?.getAttribute('data-status') === 'done');
      await page.getByTestId('answer').getByRole('heading').filter({ hasText: '頭髮' }).waitFor({ timeout: 30000 });
      await page.getByTestId('thinking-summary').click();
      await page.waitForTimeout(300);
      await page.screenshot({ path: `/tmp/shots-i16/reply-${tag}.png`, fullPage: false });
      await page.getByTestId('answer').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `/tmp/shots-i16/reply-full-${tag}.png`, fullPage: true });
      await page.getByRole('button', { name: /^(Settings|設定)$/ }).click();
      await page.getByTestId('settings').locator('.toggle').first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: `/tmp/shots-i16/settings-${tag}.png` });
      await context.close();
      console.log('done', tag);
    }
  }
}
await browser.close();
