#!/usr/bin/env node
// Runs the compiled CLI (dist-cli/, built by `npm install` or `npm run build:cli`). In a checkout,
// `npm run kaohe -- …` runs the TypeScript sources through tsx instead.
import { existsSync } from 'node:fs';
import { URL } from 'node:url';

const compiled = new URL('../dist-cli/kaohe.js', import.meta.url);
if (!existsSync(compiled)) {
  process.stderr.write('kaohe 尚未编译：请在 kaohe 的文件夹中运行 npm run build:cli（npm install 会自动运行）。\n');
  process.exit(70);
}
const { runCli } = await import(compiled.href);
process.exitCode = await runCli(process.argv.slice(2));
