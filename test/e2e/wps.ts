// The WPS 表格 pane in the e2e run: builds dist-wps/ (npm run build:wps) into a temporary folder,
// opens the offline package's taskpane.html from file:// (as jsaddons would) with the ET stand-in
// injected as `window.Application`, on a workbook `kaohe workbooks` wrote, and acts as the unit.

import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { BrowserContext } from 'playwright-core';
import { WPS_ADDON_NAME, buildWps } from '../../addin/wps/build.ts';
import { writeUnitWorkbook } from '../../generator/xlsx/unit-workbook.ts';
import { unitWorkbookContent } from '../../core/blank.ts';
import { loadPlanFile } from '../../generator/files/plan-file.ts';
import { INFO_SHEET } from '../../core/layout.ts';
import { xlsxSnapshot } from '../helpers/xlsx-snapshot.ts';
import { assessorScores, badDateListed, expect, results, root, screens, shot, step } from './harness.ts';

interface Et {
  selection: { sheet: string; address: string } | null;
  activeSheet: string | null;
  cell(sheet: string, a1: string): unknown;
  userEdit(sheet: string, address: string, values: unknown[][]): void;
  sheet(name: string): { protected: boolean } | undefined;
}
declare const kaoheWps: { et: Et; fillRequired(): Promise<void> };

async function bundleStub(): Promise<string> {
  const out = await build({
    entryPoints: [resolve(import.meta.dirname, 'wps-stub.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'warning',
  });
  return out.outputFiles[0]!.text;
}

/** The 办公室 workbook as `kaohe workbooks` writes it (the same content and writer, one unit). */
async function generatedWorkbook(dir: string): Promise<string> {
  const loaded = await loadPlanFile();
  if (!loaded.ok) throw new Error('default plan');
  const unit = loaded.plan.units.find((u) => u.name === '办公室');
  if (!unit) throw new Error('no 办公室 in the default plan');
  const file = join(dir, '办公室.xlsx');
  mkdirSync(dir, { recursive: true });
  await writeUnitWorkbook(unitWorkbookContent(loaded.plan, unit, new Date().toISOString(), loaded.hash), file, loaded.plan.review?.password);
  return file;
}

/** 单位信息's row of a field, as the pane names it (B7 for 工作方案报送日期). */
function infoCell(key: string): string {
  return `B${INFO_SHEET.fields.findIndex((f) => f.key === key) + 2}`;
}

export async function wpsScenario(browser: BrowserContext, profile: string, pageErrors: string[]): Promise<void> {
  const out = await buildWps(join(profile, 'dist-wps'));
  const version = (JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string }).version;
  const pane = pathToFileURL(join(out.offline, `${WPS_ADDON_NAME}_${version}`, 'taskpane.html')).href;
  const snapshot = await xlsxSnapshot(await generatedWorkbook(join(profile, 'workbooks')));
  const stub = await bundleStub();
  const page = await browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(`WPS: ${e.message}`));
  await page.addInitScript((s) => Object.assign(globalThis, { kaoheOpenWorkbook: s }), snapshot);
  await page.addInitScript({ content: stub });
  const dated = infoCell('planHandedIn');
  const scenario: [string, () => Promise<void>][] = [
    [
      'WPS: the built pane, opened from file:// with the ET stand-in, shows the steps of a workbook kaohe workbooks wrote',
      async () => {
        await page.goto(pane);
        await page.locator('.steps').waitFor();
        expect((await page.locator('h1').innerText()) === '办公室', 'header shows the unit name');
      },
    ],
    [
      'WPS: a bad date typed into 单位信息 appears as a problem',
      () => badDateListed(page, (text) => page.evaluate(([a, t]) => kaoheWps.et.userEdit('单位信息', a, [[t]]), [dated, text] as const), 'wps-1-problem'),
    ],
    [
      'WPS: clicking the problem selects the cell in WPS',
      async () => {
        await page.evaluate(() => (kaoheWps.et.selection = null));
        await page.locator('.problem', { hasText: `单位信息 ${dated}` }).first().click();
        await page.waitForFunction((a) => kaoheWps.et.selection?.address === a, dated);
        const at = await page.evaluate(() => [kaoheWps.et.selection?.sheet, kaoheWps.et.activeSheet]);
        expect(at[0] === '单位信息' && at[1] === '单位信息', `selection ${JSON.stringify(at)}`);
      },
    ],
    [
      'WPS: fixing the date removes the problem',
      async () => {
        await page.evaluate((a) => kaoheWps.et.userEdit('单位信息', a, [['2011-2-25']]), dated);
        await page.locator('.problem', { hasText: `单位信息 ${dated}` }).waitFor({ state: 'detached' });
      },
    ],
    [
      'WPS: with the required data filled, 提交 stamps _meta with the time and the content hash',
      async () => {
        await page.evaluate(() => kaoheWps.fillRequired());
        await page.getByRole('button', { name: '全部检查' }).click();
        await page.locator('.busy').waitFor({ state: 'detached' });
        await page.getByRole('button', { name: '提交', exact: true }).click();
        await page.locator('.notice-success', { hasText: /已于 .* 提交。请保存工作簿/ }).waitFor();
        const [at, hash] = await page.evaluate(() => [kaoheWps.et.cell('_meta', 'B6'), kaoheWps.et.cell('_meta', 'B7')]);
        expect(typeof at === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(at), `submittedAt ${String(at)}`);
        expect(typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash), `contentHash ${String(hash)}`);
        await page.evaluate(() => window.scrollTo(0, 0));
        await shot(page, 'wps-2-submitted');
      },
    ],
    [
      'WPS: review mode opens 考核评分 for the assessor, and finishing it stamps _meta and protects the sheet again',
      async () => {
        const refused = await page.evaluate(() => {
          try {
            kaoheWps.et.userEdit('考核评分', 'I2', [[8]]);
            return 'written';
          } catch {
            return 'refused';
          }
        });
        expect(refused === 'refused', `a unit typing into an assessor cell: ${refused}`);
        await assessorScores(page);
        await page.getByRole('button', { name: '完成评审并盖章' }).click();
        await page.locator('.notice-success', { hasText: /张组长已于 .* 完成评审/ }).waitFor();
        const [by, seal, locked] = await page.evaluate(() => [
          kaoheWps.et.cell('_meta', 'B8'),
          kaoheWps.et.cell('_meta', 'B10'),
          kaoheWps.et.sheet('考核评分')?.protected,
        ]);
        expect(by === '张组长' && typeof seal === 'string' && /^[0-9a-f]{64}$/.test(seal) && locked === true, `stamp ${String(by)} ${String(seal)} ${String(locked)}`);
      },
    ],
  ];
  for (const [name, body] of scenario) {
    if (!(await step(name, body))) {
      await shot(page, 'wps-failure').catch(() => undefined);
      break;
    }
  }
  await page.close();
  await step('WPS: the pane starts in a Chromium without the built-ins newer than ES2017 it uses (addin/wps/polyfills.ts)', async () => {
    const old = await browser.newPage();
    old.on('pageerror', (e) => pageErrors.push(`WPS without ES2019+ built-ins: ${e.message}`));
    await old.addInitScript(() => {
      const gone = [[Array.prototype, 'flatMap'], [Array.prototype, 'at'], [String.prototype, 'at'], [Object, 'fromEntries'], [Object, 'hasOwn']] as const;
      for (const [owner, name] of gone) delete (owner as unknown as Record<string, unknown>)[name];
    });
    await old.addInitScript((s) => Object.assign(globalThis, { kaoheOpenWorkbook: s }), snapshot);
    await old.addInitScript({ content: stub });
    await old.goto(pane);
    await old.locator('.steps').waitFor();
    expect((await old.evaluate(() => typeof Object.fromEntries)) === 'function', 'the polyfill is in place');
    await old.close();
  });
  if (process.env.UPDATE_DOCS === '1' && results.every((r) => r.ok)) {
    mkdirSync(resolve(root, 'docs'), { recursive: true });
    copyFileSync(join(screens, 'wps-1-problem.png'), resolve(root, 'docs/wps-pane.png'));
  }
}
