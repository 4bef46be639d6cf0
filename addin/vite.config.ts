// Builds the task pane into dist/: static files any HTTPS host can serve.
//   ADDIN_BASE_URL=https://host/kaohe/  rewrites the manifest's https://localhost:3000/ URLs.
//   OFFICE_JS=cdn                       loads Office.js from Microsoft's CDN instead of dist/office-js/
//                                       (government intranets often cannot reach the CDN, hence the default).

import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import { DEV_BASE, rewriteManifest } from './scripts/manifest-base.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
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
  return {
    name: 'kaohe-addin',
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
      copyTree(resolve(here, 'assets'), resolve(outDir, 'assets'), () => true);
      if (!useCdn) copyTree(officeJsDir, resolve(outDir, 'office-js'), wantedOfficeFile);
      const manifest = rewriteManifest(readFileSync(resolve(root, 'manifest.xml'), 'utf8'), process.env['ADDIN_BASE_URL'] ?? DEV_BASE);
      writeAtomic(resolve(outDir, 'manifest.xml'), manifest);
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  publicDir: false,
  plugins: [kaoheAddin()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    rollupOptions: { input: { taskpane: resolve(here, 'taskpane.html'), support: resolve(here, 'support.html') } },
  },
  server: { port: 3000, strictPort: true },
});
