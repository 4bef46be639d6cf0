// `npm run test:e2e`: builds the task pane, serves dist/ on 127.0.0.1, and drives it in Debian's
// Chromium with Office.js replaced by the in-memory Excel fake; then the WPS build with the ET
// stand-in as `window.Application` (wps.ts). Prints `N passed, N failed`, exits non-zero on any
// failure, and leaves screenshots in out/e2e/.

import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import type { Rollup } from 'vite';
import { scoreSheetCommand } from '../../generator/commands/scoresheet.ts';
import { writeDemoWorkbooks } from '../../generator/commands/demo-data.ts';
import { loadPlanFile } from '../../generator/files/plan-file.ts';
import { xlsxSnapshot } from '../helpers/xlsx-snapshot.ts';
import { columnLetter } from '../../core/layout.ts';
import { SCORESHEET_SHEET } from '../../core/scoresheet.ts';
import type { WorkbookSnapshot } from '../addin-fake.ts';

import { assessorScores, badDateListed, expect, problemTexts, results, root, screens, serve, shot, step } from './harness.ts';
import { wpsScenario } from './wps.ts';

const dist = resolve(root, 'dist');

interface Fake {
  selection: { sheet: string; address: string } | null;
  activeSheet: string | null;
  sheets: { name: string; visibility: string }[];
  cell(sheet: string, a1: string): unknown;
  userEdit(sheet: string, address: string, values: unknown[][]): Promise<void>;
}
declare const kaoheFake: { fake: Fake; fillRequired(): Promise<void> };

async function bundleStub(): Promise<string> {
  const out = (await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      write: false,
      lib: { entry: resolve(import.meta.dirname, 'office-stub.ts'), formats: ['iife'], name: 'KaoheOfficeStub', fileName: 'office-stub' },
      minify: false,
    },
  })) as Rollup.RollupOutput[];
  const chunk = out[0]!.output.find((o): o is Rollup.OutputChunk => o.type === 'chunk');
  return chunk!.code;
}

/** A 考核组评分表 made by `kaohe scoresheet` from the demo's workbooks, as Excel would open it. */
async function demoScoreSheet(dir: string): Promise<WorkbookSnapshot> {
  const loaded = await loadPlanFile();
  if (!loaded.ok) throw new Error('default plan');
  await writeDemoWorkbooks(loaded.plan, loaded.hash, join(dir, 'demo'));
  const file = join(dir, '考核组评分表.xlsx');
  const quiet = (): Writable => new Writable({ write: (_chunk, _enc, done) => done() });
  const code = await scoreSheetCommand([join(dir, 'demo')], { out: file, stdout: quiet(), stderr: quiet() });
  if (code !== 0) throw new Error(`kaohe scoresheet exited ${code}`);
  return xlsxSnapshot(file);
}

async function main(): Promise<number> {
  console.log('构建任务窗格…');
  await build({ configFile: resolve(root, 'addin/excel/vite.config.ts'), logLevel: 'warn', mode: 'production' });
  const stub = await bundleStub();
  mkdirSync(screens, { recursive: true });
  const server = await serve(dist);
  const profile = mkdtempSync(join(tmpdir(), 'kaohe-e2e-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 320, height: 900 },
    locale: 'zh-CN',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  const pageErrors: string[] = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.route('**/office-js/office.js', (route) => route.fulfill({ contentType: 'text/javascript', body: stub }));
    page.setDefaultTimeout(10_000);

    const scenario: [string, () => Promise<void>][] = [
      [
        'shows the start screen for a workbook without _meta',
        async () => {
          await page.goto(`${server.url}taskpane.html`);
          await page.getByRole('heading', { name: '这不是考核填报工作簿' }).waitFor();
          await shot(page, '1-start');
        },
      ],
      [
        'lays out the workbook for 办公室',
        async () => {
          await page.getByLabel('填报单位').selectOption({ label: '办公室' });
          await page.getByRole('button', { name: '创建填报表' }).click();
          await page.locator('.steps').waitFor();
          const names = await page.evaluate(() => kaoheFake.fake.sheets.map((s) => `${s.name}:${s.visibility}`));
          expect(names.includes('_meta:VeryHidden') && names.includes('效能投诉:Visible'), `sheets: ${names.join(', ')}`);
          expect(!names.some((n) => n.startsWith('Sheet1')), 'the empty default sheet is removed');
          expect((await page.locator('h1').innerText()) === '办公室', 'header shows the unit name');
          await shot(page, '2-steps');
        },
      ],
      [
        'a bad date typed into 单位信息 appears as a problem',
        () => badDateListed(page, (text) => page.evaluate((t) => kaoheFake.fake.userEdit('单位信息', 'B7', [[t]]), text), '3-problems'),
      ],
      [
        'the score is marked 预计 and stays neutral while steps are unfilled; the progress line counts done steps',
        async () => {
          await page.locator('.grade.grade-pending', { hasText: '预计' }).waitFor();
          await page.locator('#progress', { hasText: /^\d \/ 9 步已完成$/ }).waitFor();
        },
      ],
      [
        'switching sheets in Excel moves the pane to that sheet\'s step',
        async () => {
          await page.evaluate(() => (kaoheFake.fake as unknown as { activateSheet(s: unknown): Promise<void>; sheet(n: string): unknown }).activateSheet(
            (kaoheFake.fake as unknown as { sheet(n: string): unknown }).sheet('问题清单'),
          ));
          await page.locator('.step-current', { hasText: '问题清单' }).waitFor();
          await page.locator('.step', { hasText: '学习动员' }).click();
          await page.waitForFunction(() => kaoheFake.fake.selection?.address === 'B7');
        },
      ],
      [
        'clicking the problem selects the offending cell',
        async () => {
          await page.evaluate(() => (kaoheFake.fake.selection = null));
          await page.locator('.problem', { hasText: '单位信息 B7' }).first().click();
          await page.waitForFunction(() => kaoheFake.fake.selection?.address === 'B7');
          const selection = await page.evaluate(() => kaoheFake.fake.selection);
          expect(selection?.sheet === '单位信息', `selection ${JSON.stringify(selection)}`);
        },
      ],
      [
        'pressing Enter on a problem works like a click',
        async () => {
          await page.evaluate(() => kaoheFake.fake.selection = null);
          await page.locator('.problem', { hasText: '单位信息 B7' }).first().focus();
          await page.keyboard.press('Enter');
          await page.waitForFunction(() => kaoheFake.fake.selection?.address === 'B7');
        },
      ],
      [
        'fixing the date removes the problem',
        async () => {
          await page.evaluate(() => kaoheFake.fake.userEdit('单位信息', 'B7', [['2011-2-25']]));
          await page.locator('.problem', { hasText: '无法识别的日期' }).waitFor({ state: 'detached' });
          await page.locator('.problem', { hasText: '单位信息 B7' }).waitFor({ state: 'detached' });
        },
      ],
      [
        'clicking a step opens its sheet and shows its guidance',
        async () => {
          await page.locator('.step', { hasText: '效能投诉' }).click();
          await page.waitForFunction(() => kaoheFake.fake.activeSheet === '效能投诉');
          await page.locator('.guidance', { hasText: '办结时限' }).waitFor();
          // The pane's words are the step's line in the 填报说明 sheet it laid out (core/steps.ts).
          const shown = (await page.locator('.guidance p').innerText()).trim();
          const guide = await page.evaluate(() => Array.from({ length: 60 }, (_, i) => String(kaoheFake.fake.cell('填报说明', `A${i + 1}`) ?? '')));
          if (!guide.some((line) => line.startsWith('4. 效能投诉：') && line.endsWith(`：${shown}`))) {
            throw new Error(`pane guidance “${shown}” is not the 效能投诉 line of 填报说明`);
          }
          await page.locator('#problems-title', { hasText: '效能投诉：没有问题' }).waitFor();
          await page.locator('#show-all-problems').click();
          await page.locator('#problems-title', { hasText: /^全部问题：\d+ 个错误/ }).waitFor();
        },
      ],
      [
        'after the remaining required data, no 错误 remains and 提交 is enabled',
        async () => {
          await page.evaluate(() => kaoheFake.fillRequired());
          await page.getByRole('button', { name: '全部检查' }).click();
          await page.locator('.busy').waitFor({ state: 'detached' });
          const errors = (await problemTexts(page)).filter((t) => t.startsWith('错误'));
          expect(errors.length === 0, `remaining errors:\n${errors.join('\n')}`);
          expect(await page.getByRole('button', { name: '提交', exact: true }).isEnabled(), '提交 is enabled');
          await page.locator('.grade').waitFor();
          await shot(page, '4-filled');
        },
      ],
      [
        '提交 stamps _meta with the time and the content hash',
        async () => {
          await page.getByRole('button', { name: '提交', exact: true }).click();
          await page.locator('.notice-success', { hasText: /已于 .* 提交。请保存工作簿/ }).waitFor();
          const [at, hash] = await page.evaluate(() => [kaoheFake.fake.cell('_meta', 'B6'), kaoheFake.fake.cell('_meta', 'B7')]);
          expect(typeof at === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(at), `submittedAt ${String(at)}`);
          expect(typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash), `contentHash ${String(hash)}`);
          await shot(page, '5-submitted');
        },
      ],
      [
        'an edit after 提交 shows 已修改，需重新提交 at the top, and 提交前检查 is no longer done',
        async () => {
          await page.locator('#resubmit').waitFor({ state: 'detached' });
          expect((await page.locator('.step', { hasText: '提交前检查' }).getAttribute('class'))!.includes('step-done'), '提交前检查 done after 提交');
          await page.evaluate(() => kaoheFake.fake.userEdit('单位信息', 'B4', [['赵局长']]));
          const banner = page.locator('#resubmit', { hasText: /^已修改，需重新提交（上次提交于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}）$/ });
          await banner.waitFor();
          expect(!(await page.locator('.step', { hasText: '提交前检查' }).getAttribute('class'))!.includes('step-done'), '提交前检查 still done');
          expect((await page.locator('.tag-ok').count()) === 0, 'the 已提交 tag is gone');
          await shot(page, '5b-edited-after-submit');
        },
      ],
      [
        'a unit cannot type into 考核组评分 (locked cell)',
        async () => {
          const refused = await page.evaluate(() => kaoheFake.fake.userEdit('考核评分', 'I2', [[8]]).then(() => 'written', (e: { code?: string }) => e.code ?? 'error'));
          expect(refused === 'AccessDenied', `write into a locked assessor cell: ${refused}`);
        },
      ],
      [
        'review mode asks for the password, selects the first 考核组评分 cell, and an assessor\'s score updates the panel',
        async () => {
          await assessorScores(page);
          expect(!(await page.locator('.scores tbody tr').first().innerText()).includes('未评定'), 'an assessed indicator is no longer flagged');
          await shot(page, '6-review');
          await page.getByRole('button', { name: '完成评审并盖章' }).click();
          await page.locator('.notice-success', { hasText: /张组长已于 .* 完成评审/ }).waitFor();
          const [by, seal] = await page.evaluate(() => [kaoheFake.fake.cell('_meta', 'B8'), kaoheFake.fake.cell('_meta', 'B10')]);
          expect(by === '张组长' && typeof seal === 'string' && /^[0-9a-f]{64}$/.test(seal), `stamp ${String(by)} ${String(seal)}`);
        },
      ],
    ];
    for (const [name, body] of scenario) {
      if (!(await step(name, body))) {
        await shot(page, 'failure').catch(() => undefined);
        break;
      }
    }
    await step('on ExcelApi 1.7: laid out without dropdowns, and a typed bad date is listed without pressing 全部检查', async () => {
      const old = await browser.newPage();
      old.on('pageerror', (e) => pageErrors.push(e.message));
      await old.route('**/office-js/office.js', (route) => route.fulfill({ contentType: 'text/javascript', body: stub }));
      await old.goto(`${server.url}taskpane.html?api=7`);
      await old.getByLabel('填报单位').selectOption({ label: '805台' });
      await old.getByRole('button', { name: '创建填报表' }).click();
      await old.locator('.notice-info', { hasText: '不能给新建的填报表添加下拉列表' }).waitFor();
      await old.locator('.steps').waitFor();
      await shot(old, '7-excel2019');
      // Typed well after the layout (its own writes' echoes are ignored briefly on 1.7).
      await old.waitForTimeout(1_000);
      await old.evaluate(() => kaoheFake.fake.userEdit('效能投诉', 'B2', [['2011-13-45']]));
      const typed = old.locator('.problem', { hasText: '无法识别的日期“2011-13-45”' });
      await typed.waitFor();
      // That edit's problems (row 2 of 效能投诉) come before the older ones of the fresh workbook.
      expect((await old.locator('.problem').first().innerText()).includes('效能投诉 '), 'the newest problems are listed first');
      expect((await old.getByText(/ExcelApi|WorksheetCollection|请稍后重试/).count()) === 0, 'no jargon or dead-end text on 1.7');
      await old.locator('#problems-title').scrollIntoViewIfNeeded();
      await old.evaluate(() => window.scrollBy(0, -60));
      await shot(old, '7b-excel2019-typed-error');
      await old.close();
    });
    await step('on a 考核组评分表: an over-max score is listed at its cell, and the unit’s running total follows a typed score', async () => {
      const sheetPage = await browser.newPage();
      sheetPage.on('pageerror', (e) => pageErrors.push(e.message));
      await sheetPage.addInitScript((snapshot) => Object.assign(globalThis, { kaoheOpenWorkbook: snapshot }), await demoScoreSheet(profile));
      await sheetPage.route('**/office-js/office.js', (route) => route.fulfill({ contentType: 'text/javascript', body: stub }));
      await sheetPage.goto(`${server.url}taskpane.html`);
      await sheetPage.locator('h1', { hasText: '考核组评分表' }).waitFor();
      const total = sheetPage.locator('#standings td.num').first();
      await total.waitFor();
      const before = Number(await total.innerText());
      const [method, selfCol, review] = ['method', 'self', 'review'].map((k) => columnLetter(SCORESHEET_SHEET.columns.findIndex((c) => c.key === k)));
      const name = SCORESHEET_SHEET.name;
      // The first unit's first 自评 row.
      const row = await sheetPage.evaluate(({ name, method }) => {
        for (let r = 2; r < 200; r++) if (kaoheFake.fake.cell(name, `${method}${r}`) === '自评') return r;
        return 0;
      }, { name, method: method! });
      expect(row > 0, 'a 自评 row');
      const cell = `${review}${row}`;
      await sheetPage.evaluate(({ name, cell }) => kaoheFake.fake.userEdit(name, cell, [[99]]), { name, cell });
      const problem = sheetPage.locator('.problem', { hasText: `${name} ${cell}` });
      await problem.waitFor();
      expect((await problem.innerText()).includes('应在 0 到分值'), 'the over-max message');
      await problem.click();
      await sheetPage.waitForFunction((cell) => kaoheFake.fake.selection?.address === cell, cell);
      const self = Number(await sheetPage.evaluate(({ name, at }) => kaoheFake.fake.cell(name, at), { name, at: `${selfCol}${row}` }));
      await sheetPage.evaluate(({ name, cell }) => kaoheFake.fake.userEdit(name, cell, [[0]]), { name, cell });
      await problem.waitFor({ state: 'detached' });
      await sheetPage.waitForFunction(
        (want) => Number(document.querySelector('#standings td.num')?.textContent) === want,
        Math.round((before - self) * 100) / 100,
      );
      await shot(sheetPage, '8-scoresheet');
      await sheetPage.close();
    });
    await step('the legacy bundle alone (what IE11 runs: nomodule, SystemJS, polyfills) starts the pane', async () => {
      const legacy = await browser.newPage();
      legacy.on('pageerror', (e) => pageErrors.push(`legacy: ${e.message}`));
      await legacy.route('**/office-js/office.js', (route) => route.fulfill({ contentType: 'text/javascript', body: stub }));
      await legacy.route('**/taskpane.html*', async (route) => {
        const html = (await (await route.fetch()).text())
          .replace(/<script type="module"[^>]*>[\s\S]*?<\/script>/g, '')
          .replace(/<link rel="modulepreload"[^>]*>/g, '')
          .replace(/ nomodule/g, '');
        await route.fulfill({ contentType: 'text/html; charset=utf-8', body: html });
      });
      await legacy.goto(`${server.url}taskpane.html`);
      await legacy.getByRole('heading', { name: '这不是考核填报工作簿' }).waitFor();
      expect((await legacy.evaluate(() => (window as { System?: unknown }).System !== undefined)), 'SystemJS loaded the legacy entry');
      await legacy.close();
    });
    await step('with the bundled Office.js outside Excel the pane loads and says it needs Excel', async () => {
      const outside = await browser.newPage();
      outside.on('pageerror', (e) => pageErrors.push(e.message));
      const failed: string[] = [];
      outside.on('requestfailed', (r) => failed.push(r.url()));
      await outside.goto(`${server.url}taskpane.html`);
      await outside.getByText('考核填报加载项只能在 Excel 中使用。').waitFor({ timeout: 20_000 });
      expect(failed.filter((u) => u.startsWith(server.url)).length === 0, `failed: ${failed.join(', ')}`);
      await outside.close();
    });
    await wpsScenario(browser, profile, pageErrors);
    await step('no script errors on the page', async () => expect(pageErrors.length === 0, pageErrors.join('\n')));
    // The README's pictures change only when asked, so a test run leaves tracked files alone.
    if (process.env.UPDATE_DOCS === '1' && results.every((r) => r.ok)) {
      mkdirSync(resolve(root, 'docs'), { recursive: true });
      copyFileSync(join(screens, '2-steps.png'), resolve(root, 'docs/addin-steps.png'));
      copyFileSync(join(screens, '3-problems.png'), resolve(root, 'docs/addin-problems.png'));
      copyFileSync(join(screens, '7b-excel2019-typed-error.png'), resolve(root, 'docs/addin-excel2019-typed-error.png'));
      copyFileSync(join(screens, '5b-edited-after-submit.png'), resolve(root, 'docs/addin-edited-after-submit.png'));
    }
  } finally {
    await browser.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`e2e 无法运行：${error instanceof Error ? error.message : String(error)}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
