// `npm start` / `npm stop`: sideload manifest.xml into desktop Excel with office-addin-debugging.
// That package is optional (its native keytar build fails on Linux): without it, explain the manual way.

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const command = process.argv[2] === 'stop' ? 'stop' : 'start';
const require = createRequire(import.meta.url);

let cli: string;
try {
  const pkgPath = require.resolve('office-addin-debugging/package.json');
  const pkg = require(pkgPath) as { bin: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : Object.values(pkg.bin)[0]!;
  cli = join(dirname(pkgPath), bin);
} catch {
  console.error('未安装 office-addin-debugging（在 Linux 上无法安装），不能自动在桌面版 Excel 中加载。');
  console.error('请改用 Excel 网页版：运行 npm run dev-server，然后在 Excel 中依次点击 插入 → 加载项 → 上传我的加载项，选择本目录的 manifest.xml。');
  process.exit(0);
}
const args = command === 'start' ? ['start', 'manifest.xml', 'desktop', '--app', 'excel'] : ['stop', 'manifest.xml'];
const result = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
