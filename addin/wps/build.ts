// `npm run build:wps`: the WPS 表格 add-in in dist-wps/, for what WPS's embedded Chromium runs:
// ES2017 classic scripts (no modules), relative paths only (pages may load from file://).
//   dist-wps/online/   an office puts this folder on an intranet HTTP server; each user opens
//                      publish.html once (online mode: WPS loads the add-in from the server).
//   dist-wps/offline/  copied into each desk's jsaddons folder with its jsplugins.xml (offline mode).
// Written into a temporary folder first and swapped in whole, so a failed build leaves the last one.

import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';
import { planForPane } from '../scripts/plan-for-pane.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

/** The add-in's name in WPS (publish.xml / jsplugins.xml) and its folder name. */
export const WPS_ADDON_NAME = 'kaohe';
/** What WPS's Chromium parses: no syntax above this. */
export const WPS_ES_TARGET = 'es2017';

/** The plan bundled into the pane, without the office's review password (addin/scripts/plan-for-pane.ts). */
const planWithoutSecret: Plugin = {
  name: 'kaohe-plan-without-secret',
  setup(b) {
    b.onResolve({ filter: /plan\.yaml\?raw$/ }, (args) => ({ path: resolve(args.resolveDir, args.path.replace(/\?raw$/, '')), namespace: 'plan' }));
    b.onLoad({ filter: /.*/, namespace: 'plan' }, (args) => ({ contents: planForPane(readFileSync(args.path, 'utf8')), loader: 'text' }));
  },
};

function version(): string {
  return (JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The add-in's own files: the pages, ribbon.xml, the two scripts and the stylesheet, the icons. */
async function addinFolder(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await build({
    entryPoints: { taskpane: resolve(here, 'taskpane.ts'), main: resolve(here, 'main.ts') },
    bundle: true,
    format: 'iife',
    target: WPS_ES_TARGET,
    platform: 'browser',
    minify: true,
    charset: 'utf8',
    legalComments: 'none',
    outdir: dir,
    plugins: [planWithoutSecret],
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'taskpane.html', 'ribbon.xml']) cpSync(resolve(here, file), join(dir, file));
  cpSync(resolve(here, '../assets'), join(dir, 'assets'), { recursive: true });
}

function publishPage(name: string, v: string): string {
  return readFileSync(resolve(here, 'publish.html'), 'utf8').replace(/__NAME__/g, name).replace(/__VERSION__/g, v);
}

/** jsplugins.xml of the offline package: the add-in's folder beside it, for WPS 表格 (type et). */
export function jsplugins(name: string, v: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<jsplugins>\n  <jsplugin name="${name}" type="et" version="${v}" url="${name}_${v}/" enable="true"/>\n</jsplugins>\n`;
}

export async function buildWps(outDir = resolve(root, 'dist-wps')): Promise<{ online: string; offline: string }> {
  const v = version();
  const temp = `${outDir}.tmp-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  const online = join(temp, 'online');
  await addinFolder(join(online, WPS_ADDON_NAME));
  writeFileSync(join(online, 'publish.html'), publishPage(WPS_ADDON_NAME, v));
  const offline = join(temp, 'offline');
  cpSync(join(online, WPS_ADDON_NAME), join(offline, `${WPS_ADDON_NAME}_${v}`), { recursive: true });
  writeFileSync(join(offline, 'jsplugins.xml'), jsplugins(WPS_ADDON_NAME, v));
  if (existsSync(outDir)) rmSync(outDir, { recursive: true, force: true });
  renameSync(temp, outDir);
  return { online: join(outDir, 'online'), offline: join(outDir, 'offline') };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildWps();
  console.log(`WPS 加载项已生成：\n  在线发布：${out.online}（整个文件夹放到内网网站，各用户打开 publish.html 安装）\n  离线安装：${out.offline}（复制到各电脑的 jsaddons 文件夹）`);
}
