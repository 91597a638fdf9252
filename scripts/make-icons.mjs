// Draws the app icons (a speech bubble with two harbour waves) as SVG and renders the PNG sizes the
// web app manifest and iOS ask for, with headless Chromium, so no image tool is needed. The output
// is committed under public/icons/; run this again only when the drawing changes:
//   node scripts/make-icons.mjs
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const outDir = fileURLToPath(new URL('../public/icons/', import.meta.url));
const ACCENT = '#0b5cad';
const PAPER = '#ffffff';

/** The drawing on a 512 × 512 canvas; `inset` shrinks it towards the centre (maskable safe zone). */
function drawing(inset) {
  const scale = 1 - inset * 2;
  const shift = 512 * inset;
  return `<g transform="translate(${shift} ${shift}) scale(${scale})">
    <path fill="${PAPER}" d="M160 104h192a72 72 0 0 1 72 72v128a72 72 0 0 1-72 72H236l-92 64v-64h16a72 72 0 0 1-72-72V176a72 72 0 0 1 72-72z"/>
    <g fill="none" stroke="${ACCENT}" stroke-width="24" stroke-linecap="round">
      <path d="M152 216q26-26 52 0t52 0t52 0t52 0"/>
      <path d="M152 284q26-26 52 0t52 0t52 0t52 0"/>
    </g>
  </g>`;
}

/** `full`: the colour fills the square (maskable, Apple); otherwise a rounded tile on transparency. */
function icon({ full, inset }) {
  const tile = full
    ? `<rect width="512" height="512" fill="${ACCENT}"/>`
    : `<rect width="512" height="512" rx="112" fill="${ACCENT}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">${tile}${drawing(inset)}</svg>\n`;
}

const pngs = [
  { file: 'icon-192.png', size: 192, svg: icon({ full: false, inset: 0 }) },
  { file: 'icon-512.png', size: 512, svg: icon({ full: false, inset: 0 }) },
  // The maskable safe zone is the centre circle of 80% diameter: keep the drawing well inside it.
  { file: 'maskable-192.png', size: 192, svg: icon({ full: true, inset: 0.12 }) },
  { file: 'maskable-512.png', size: 512, svg: icon({ full: true, inset: 0.12 }) },
  { file: 'apple-touch-icon.png', size: 180, svg: icon({ full: true, inset: 0.06 }) },
];

function browserPath() {
  try {
    if (existsSync(chromium.executablePath())) return undefined;
  } catch {
    // Playwright has no browser of its own here.
  }
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

mkdirSync(outDir, { recursive: true });
writeFileSync(`${outDir}favicon.svg`, icon({ full: false, inset: 0 }));
const browser = await chromium.launch({ executablePath: browserPath(), args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  for (const { file, size, svg } of pngs) {
    await page.setViewportSize({ width: size, height: size });
    const source = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}</style><img src="${source}" width="${size}" height="${size}">`,
    );
    await page.locator('img').evaluate((img) => img.decode());
    await page.screenshot({ path: `${outDir}${file}`, omitBackground: true });
    console.log(`wrote public/icons/${file}`);
  }
} finally {
  await browser.close();
}
