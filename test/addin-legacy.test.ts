// The pane as Internet Explorer 11 and EdgeHTML 18 get it: builds the real Vite config into a
// temporary folder and reads what came out, as those browsers would.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'acorn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import { Utf8Encoder } from '../addin/excel/polyfills.ts';
import { inlineCustomProperties } from '../addin/excel/vite.config.ts';

const root = resolve(import.meta.dirname, '..');
let out = '';

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'kaohe-legacy-'));
  await build({ configFile: resolve(root, 'addin/excel/vite.config.ts'), logLevel: 'silent', mode: 'production', build: { outDir: out, emptyOutDir: true } });
}, 600_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

const assets = (): string[] => readdirSync(join(out, 'assets'));

describe('the legacy bundle (Internet Explorer 11)', () => {
  it('every legacy script, polyfills included, parses as ES5', () => {
    const legacy = assets().filter((f) => /-legacy-.*\.js$/.test(f));
    expect(legacy.some((f) => f.startsWith('taskpane-legacy-'))).toBe(true);
    expect(legacy.some((f) => f.startsWith('polyfills-legacy-'))).toBe(true);
    for (const file of legacy) {
      const code = readFileSync(join(out, 'assets', file), 'utf8');
      expect(() => parse(code, { ecmaVersion: 5, sourceType: 'script' }), file).not.toThrow();
    }
  });

  it('the modern bundle is not ES5 (so the parse above can fail), and the check would see it', () => {
    const modern = assets().find((f) => /^taskpane-(?!legacy).*\.js$/.test(f))!;
    expect(() => parse(readFileSync(join(out, 'assets', modern), 'utf8'), { ecmaVersion: 5, sourceType: 'script' })).toThrow();
  });

  it('the page loads the legacy bundle through nomodule, and only browsers passing the ES2020 check run the modern one', () => {
    const html = readFileSync(join(out, 'taskpane.html'), 'utf8');
    expect(html).toMatch(/<script nomodule[^>]*id="vite-legacy-polyfill" src="\.\/assets\/polyfills-legacy-[\w-]+\.js">/);
    expect(html).toMatch(/<script nomodule[^>]*id="vite-legacy-entry" data-src="\.\/assets\/taskpane-legacy-[\w-]+\.js">/);
    // EdgeHTML 18 runs module scripts: this probe uses dynamic import and an async generator, which
    // it cannot parse, so the flag stays unset and the fallback below loads the legacy entry.
    expect(html).toContain('import("_").catch(()=>1);(async function*(){})().next();window.__vite_is_modern_browser=true');
    expect(html).toMatch(/if\(window\.__vite_is_modern_browser\)return;.*System\.import\(document\.getElementById\('vite-legacy-entry'\)/);
    // Office.js loads before either bundle.
    expect(html.indexOf('office-js/office.js')).toBeLessThan(html.indexOf('type="module"'));
  });

  it('no CSS custom property remains in the stylesheet both bundles use', () => {
    const css = assets().filter((f) => f.endsWith('.css'));
    expect(css.length).toBeGreaterThan(0);
    for (const file of css) {
      const text = readFileSync(join(out, 'assets', file), 'utf8');
      expect(text).not.toMatch(/var\(|--[\w-]+\s*:/);
      expect(text).toContain('#0078d4'); // the brand colour, written in place
    }
  });
});

describe('build-time helpers', () => {
  it('writes custom property values in place and refuses an undefined one', () => {
    expect(inlineCustomProperties(':root { --a: #fff; --b: 4px; }\n.x { color: var(--a); border-radius: var( --b ); }')).toEqual({
      ok: true,
      css: '\n.x { color: #fff; border-radius: 4px; }',
    });
    expect(inlineCustomProperties('.x { color: var(--nope); }')).toEqual({ ok: false, error: expect.stringContaining('--nope') });
  });

  it('the TextEncoder stand-in encodes like the real one (CJK, full-width, astral)', () => {
    const text = '考核填报 ＡＢＣ 2011-3-31 𠀀😀';
    expect(Array.from(new Utf8Encoder().encode(text))).toEqual(Array.from(new TextEncoder().encode(text)));
  });
});
