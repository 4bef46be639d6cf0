// Renders the icons (16/32/80 px for the ribbon, 64 px for the high-resolution add-in icon) in headless Chromium: a Fluent-blue tile with 考.
// Run once with `npx tsx addin/scripts/make-icons.ts`; the PNGs are committed under addin/assets/.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const out = resolve(import.meta.dirname, '../assets');
const profile = mkdtempSync(join(tmpdir(), 'kaohe-icons-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  for (const size of [16, 32, 64, 80]) {
    await page.setViewportSize({ width: size, height: size });
    const radius = Math.max(2, Math.round(size / 8));
    const font = Math.round(size * 0.72);
    await page.setContent(`<html><body style="margin:0;background:transparent">
      <div style="width:${size}px;height:${size}px;border-radius:${radius}px;background:#0078d4;color:#fff;
        display:flex;align-items:center;justify-content:center;font:700 ${font}px 'Noto Sans CJK SC','Microsoft YaHei',sans-serif;line-height:1">考</div>
    </body></html>`);
    await page.screenshot({ path: join(out, `icon-${size}.png`), omitBackground: true });
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
