// Compiles the `kaohe` CLI to JavaScript in dist-cli/ (run by `npm install` through `prepare`, or
// `npm run build:cli`); bin/kaohe.js runs it, so no command pays for transpiling TypeScript.
// Three entries — the CLI, the reading pool's worker thread and the report's document thread,
// which are started by file path — share chunks; a command's code loads only when it runs
// (`--help` loads commander only).
// Dependencies are bundled too: one file parses faster than hundreds resolved one by one. Left
// outside: resvg's native binding, and the font files charts.ts reads from its npm package.
//   node scripts/build-cli.js [--outdir DIR] [--metafile]   (DIR must be inside the package)
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { outdir: { type: 'string' }, metafile: { type: 'boolean' } } });
const outdir = path.resolve(values.outdir ?? path.join(root, 'dist-cli'));

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { kaohe: 'generator/cli.ts', 'check-worker': 'generator/batch/check-worker.ts', 'render-worker': 'generator/batch/render-worker.ts' },
  outdir,
  // Flat, so `./check-worker.js` and `./render-worker.js` are beside whichever chunk starts them.
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  external: ['@resvg/resvg-js'],
  // Bundled CommonJS packages (exceljs, handlebars…) call require() for Node's own modules.
  banner: { js: "import { createRequire as __kaoheCreateRequire } from 'node:module'; const require = __kaoheCreateRequire(import.meta.url);" },
  metafile: values.metafile === true,
  logLevel: 'warning',
});
// Which source files each output holds: test/cli-build.test.ts checks what `kaohe --help` loads.
if (result.metafile) writeFileSync(path.join(outdir, 'meta.json'), JSON.stringify(result.metafile));
