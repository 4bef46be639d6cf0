// The WPS build as WPS's embedded Chromium gets it: builds into a temporary folder and reads what
// came out. ES2017 classic scripts, no module scripts, relative paths only (pages may come from
// file:// in the offline package), the plan without the office's password, both deployment forms.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'acorn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WPS_ADDON_NAME, buildWps } from '../addin/wps/build.ts';

const root = resolve(import.meta.dirname, '..');
const version = (JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string }).version;
let temp = '';
let out: { online: string; offline: string };

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'kaohe-wps-build-'));
  out = await buildWps(join(temp, 'dist-wps'));
}, 300_000);

afterAll(() => {
  if (temp) rmSync(temp, { recursive: true, force: true });
});

const addinDirs = (): string[] => [join(out.online, WPS_ADDON_NAME), join(out.offline, `${WPS_ADDON_NAME}_${version}`)];

describe('the WPS add-in build', () => {
  it('every script parses as an ES2017 classic script', () => {
    for (const dir of addinDirs()) {
      const scripts = readdirSync(dir).filter((f) => f.endsWith('.js'));
      expect(scripts.sort()).toEqual(['main.js', 'taskpane.js']);
      for (const file of scripts) {
        const code = readFileSync(join(dir, file), 'utf8');
        expect(() => parse(code, { ecmaVersion: 2017, sourceType: 'script' }), file).not.toThrow();
      }
    }
  });

  it('the check above can fail: ES2020 syntax does not parse at 2017', () => {
    expect(() => parse('const a = b ?? c;', { ecmaVersion: 2017, sourceType: 'script' })).toThrow();
  });

  it('pages load classic scripts by relative paths only', () => {
    const pages = [join(out.online, 'publish.html'), ...addinDirs().flatMap((d) => ['index.html', 'taskpane.html'].map((f) => join(d, f)))];
    for (const page of pages) {
      const html = readFileSync(page, 'utf8');
      expect(html, page).not.toMatch(/type=["']?module/);
      expect(html, page).not.toMatch(/nomodule/);
      for (const [, ref] of html.matchAll(/(?:src|href)="([^"]*)"/g)) expect(ref, `${page}: ${ref}`).toMatch(/^(?![a-z]+:|\/)/);
    }
    const pane = readFileSync(join(addinDirs()[0]!, 'taskpane.html'), 'utf8');
    expect(pane).toContain('<script src="taskpane.js"></script>');
    expect(pane).toContain('href="taskpane.css"');
  });

  it('ribbon.xml opens the pane through main.js’s callbacks', () => {
    const ribbon = readFileSync(join(addinDirs()[0]!, 'ribbon.xml'), 'utf8');
    const main = readFileSync(join(addinDirs()[0]!, 'main.js'), 'utf8');
    for (const callback of ribbon.matchAll(/(?:onLoad|onAction|getImage)="(\w+)"/g)) expect(main).toContain(callback[1]);
    expect(ribbon).toContain('id="kaoheOpenPane"');
  });

  it('the online folder has publish.html registering the add-in beside it for WPS 表格', () => {
    const publish = readFileSync(join(out.online, 'publish.html'), 'utf8');
    expect(publish).toContain(`var NAME = '${WPS_ADDON_NAME}';`);
    expect(publish).toContain(`var VERSION = '${version}';`);
    expect(publish).toContain("addonType: 'et'");
    expect(publish).not.toContain('__');
    const script = /<script>([\s\S]*)<\/script>/.exec(publish)![1]!;
    expect(() => parse(script, { ecmaVersion: 5, sourceType: 'script' })).not.toThrow();
  });

  it('the offline package lists its folder in jsplugins.xml', () => {
    const xml = readFileSync(join(out.offline, 'jsplugins.xml'), 'utf8');
    expect(xml).toContain(`<jsplugin name="${WPS_ADDON_NAME}" type="et" version="${version}" url="${WPS_ADDON_NAME}_${version}/" enable="true"/>`);
    expect(readdirSync(out.offline).sort()).toEqual(['jsplugins.xml', `${WPS_ADDON_NAME}_${version}`].sort());
  });
});
