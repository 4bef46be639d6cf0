// What both e2e scenarios (Excel's in run.ts, WPS's in wps.ts) share: a static server, named
// steps counted into one result list, checks, and screenshots.

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import type { Page } from 'playwright-core';

export const root = resolve(import.meta.dirname, '../..');
export const screens = resolve(root, 'out/e2e');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.xml': 'application/xml',
};

export function serve(dir: string): Promise<{ url: string; close(): void }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = readFileSync(join(dir, path));
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => ok({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() })),
  );
}

export const results: { name: string; ok: boolean; error?: string }[] = [];

export async function step(name: string, body: () => Promise<void>): Promise<boolean> {
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`  ✓ ${name}`);
    return true;
  } catch (error) {
    results.push({ name, ok: false, error: error instanceof Error ? error.message : String(error) });
    console.log(`  ✗ ${name}\n    ${error instanceof Error ? error.message.split('\n').slice(0, 6).join('\n    ') : String(error)}`);
    return false;
  }
}

export function expect(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

/** The visible pane (what docs show) and the whole scrolled pane (for looking at everything). */
export async function shot(page: Page, name: string): Promise<void> {
  await page.mouse.move(319, 899); // no hover highlight in the pictures
  await page.screenshot({ path: join(screens, `${name}.png`) });
  await page.screenshot({ path: join(screens, `${name}-full.png`), fullPage: true });
}

export async function problemTexts(page: Page): Promise<string[]> {
  return page.locator('.problem').allInnerTexts();
}


/** The unit types a date that is no date: the pane lists it under 学习动员 (in either host). */
export async function badDateListed(page: Page, type: (text: string) => Promise<unknown>, screenshot: string): Promise<void> {
  await type('2011-13-45');
  await page.locator('.problem', { hasText: '无法识别的日期“2011-13-45”' }).waitFor();
  await page.locator('.step', { hasText: '学习动员' }).click();
  await page.locator('#problems-title', { hasText: '学习动员：' }).waitFor();
  await shot(page, screenshot);
}

/** Either stand-in as both stubs expose it (`kaoheHost`), for steps the two hosts share. */
interface Host {
  selection: { sheet: string; address: string } | null;
  userEdit(sheet: string, address: string, values: unknown[][]): unknown;
}
declare const kaoheHost: Host;

/** An assessor enters review mode; the pane selects the first 考核组评分 cell, they score it 8 and the panel follows. */
export async function assessorScores(page: Page): Promise<void> {
  await page.getByRole('button', { name: '考核组评审模式' }).click();
  await page.getByLabel('考核组成员').fill('张组长');
  await page.getByLabel('审核密码').fill('考核办2011');
  await page.getByRole('button', { name: '进入评审' }).click();
  await page.waitForFunction(() => kaoheHost.selection?.sheet === '考核评分');
  const review = await page.evaluate(() => kaoheHost.selection!.address);
  await page.evaluate((a) => kaoheHost.userEdit('考核评分', a, [[8, '材料齐全']]), review);
  await page.locator('.scores tbody tr').first().filter({ hasText: '8.00/8' }).waitFor();
}
