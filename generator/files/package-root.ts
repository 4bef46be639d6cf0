// The package's own folder (package.json, templates/), found by walking up from this module: the
// same code runs from generator/ under tsx and from the compiled bundle in dist-cli/, at
// different depths, and `kaohe` must find its templates from any working directory.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'templates', 'plan.yaml'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`找不到 kaohe 的安装文件夹（从 ${from} 向上查找 package.json 和 templates/）`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));
/** The built-in plan and document templates (`kaohe init` copies them). */
export const TEMPLATES_DIR = path.join(PACKAGE_ROOT, 'templates');

export function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
