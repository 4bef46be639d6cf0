// Builds the task pane into dist/: static files any HTTPS host can serve.
//   ADDIN_BASE_URL=https://host/kaohe/  rewrites the manifest's https://localhost:3000/ URLs.
//   OFFICE_JS=cdn                       loads Office.js from Microsoft's CDN instead of dist/office-js/
//                                       (government intranets often cannot reach the CDN, hence the default).

import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import legacy from '@vitejs/plugin-legacy';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import { DEV_BASE, rewriteManifest } from './scripts/manifest-base.ts';
import { planForPane } from '../scripts/plan-for-pane.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const outDir = resolve(root, 'dist');
const officeJsDir = resolve(root, 'node_modules/@microsoft/office-js/dist');
const CDN_OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';

const useCdn = process.env['OFFICE_JS'] === 'cdn';

/** Office.js and what it loads in Excel: Excel host scripts, string tables, telemetry; no other hosts, no debug builds. */
function wantedOfficeFile(path: string): boolean {
  const name = path.split('/').pop()!;
  if (/\.debug\.js$|vsdoc|\.d\.ts$|^outlook_strings/.test(name)) return false;
  return !/^(word|outlook|powerpoint|onenote|project|access|visio|custom-functions)/.test(path);
}

function copyTree(from: string, to: string, filter: (rel: string) => boolean, base = from): number {
  let bytes = 0;
  for (const entry of readdirSync(from)) {
    const source = join(from, entry);
    const rel = relative(base, source).split('\\').join('/');
    if (statSync(source).isDirectory()) {
      bytes += copyTree(source, join(to, entry), filter, base);
    } else if (filter(rel)) {
      mkdirSync(to, { recursive: true });
      copyFileSync(source, join(to, entry));
      bytes += statSync(source).size;
    }
  }
  return bytes;
}

function writeAtomic(path: string, text: string): void {
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}

function kaoheAddin(): Plugin {
  let out = outDir;
  return {
    name: 'kaohe-addin',
    configResolved(config) {
      out = config.build.outDir;
    },
    // The dev server serves Office.js straight from the package, as the build copies it.
    configureServer(server) {
      server.middlewares.use('/office-js', (req, res, next) => {
        const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!)).replace(/^([/\\]*\.\.)+/, '');
        const file = join(officeJsDir, path);
        if (!file.startsWith(officeJsDir) || !existsSync(file) || !statSync(file).isFile()) return next();
        res.setHeader('content-type', 'text/javascript; charset=utf-8');
        res.end(readFileSync(file));
      });
    },
    transformIndexHtml(html) {
      const src = useCdn ? CDN_OFFICE_JS : 'office-js/office.js';
      return html.replace('<!-- office-js -->', `<script src="${src}"></script>`);
    },
    closeBundle() {
      copyTree(resolve(here, '../assets'), resolve(out, 'assets'), () => true);
      if (!useCdn) copyTree(officeJsDir, resolve(out, 'office-js'), wantedOfficeFile);
      const manifest = rewriteManifest(readFileSync(resolve(root, 'manifest.xml'), 'utf8'), process.env['ADDIN_BASE_URL'] ?? DEV_BASE);
      writeAtomic(resolve(out, 'manifest.xml'), manifest);
    },
  };
}

/**
 * Internet Explorer ignores CSS custom properties. The stylesheet defines each colour once in
 * `:root`; the build writes the values in place and drops the definitions, so both bundles get
 * plain CSS from one definition.
 */
export function inlineCustomProperties(css: string): { ok: true; css: string } | { ok: false; error: string } {
  const values = new Map<string, string>();
  const withoutRoot = css.replace(/:root\s*\{([^}]*)\}/g, (_, body: string) => {
    for (const m of body.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) values.set(m[1]!, m[2]!.trim());
    return '';
  });
  let unknown: string | null = null;
  const out = withoutRoot.replace(/var\(\s*(--[\w-]+)\s*\)/g, (whole, name: string) => {
    const value = values.get(name);
    if (value === undefined) unknown = name;
    return value ?? whole;
  });
  if (unknown !== null) return { ok: false, error: `CSS custom property ${unknown} is used but not defined in :root` };
  return { ok: true, css: out };
}

function planWithoutSecret(): Plugin {
  return {
    name: 'kaohe-plan-without-secret',
    enforce: 'pre',
    load(id) {
      const [file, query] = id.split('?');
      if (query !== 'raw' || !file!.endsWith('plan.yaml')) return null;
      return `export default ${JSON.stringify(planForPane(readFileSync(file!, 'utf8')))};`;
    },
  };
}

function plainCss(): Plugin {
  return {
    name: 'kaohe-plain-css',
    enforce: 'pre',
    transform(code, id) {
      if (!id.endsWith('.css')) return null;
      const result = inlineCustomProperties(code);
      if (!result.ok) this.error(result.error);
      return { code: result.css, map: null };
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  publicDir: false,
  plugins: [
    kaoheAddin(),
    planWithoutSecret(),
    plainCss(),
    // Volume-licensed Office 2019 runs add-ins in Internet Explorer 11: an ES5 bundle with the
    // polyfills the pane uses (core-js by usage, regenerator), loaded through `nomodule`. EdgeHTML 18
    // runs module scripts but not ES2020 syntax or dynamic import; the plugin's modern-browser check
    // (its default modern targets: Chromium Edge 79+, Chrome 64+, Safari 12+) sends it to the legacy
    // bundle too.
    legacy({ targets: ['ie >= 11'], modernPolyfills: false }),
  ],
  build: {
    outDir,
    emptyOutDir: true,
    // Set by the legacy plugin from MODERN_TARGETS (ES2020-level browsers).
    sourcemap: false,
    rollupOptions: { input: { taskpane: resolve(here, 'taskpane.html'), support: resolve(here, 'support.html') } },
  },
  server: { port: 3000, strictPort: true },
});
