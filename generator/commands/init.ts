// `kaohe init [dir]`: an editable copy of the default plan and document templates.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../files/atomic-write.ts';
import { TEMPLATES_DIR } from '../files/package-root.ts';

async function listTemplateFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listTemplateFiles(full, base)));
    else if (entry.isFile()) out.push(path.relative(base, full));
  }
  return out.sort();
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

export async function initCommand(dir: string, options: { force?: boolean }): Promise<number> {
  const files = await listTemplateFiles(TEMPLATES_DIR);
  const taken: string[] = [];
  for (const rel of files) if (await exists(path.join(dir, rel))) taken.push(rel);
  if (taken.length > 0 && !options.force) {
    process.stderr.write(`目标文件夹 ${dir} 中已有以下文件，未做任何改动（如需覆盖请加 --force）：\n`);
    for (const rel of taken) process.stderr.write(`  ${path.join(dir, rel)}\n`);
    return 1;
  }
  for (const rel of files) {
    await writeFileAtomic(path.join(dir, rel), await fs.readFile(path.join(TEMPLATES_DIR, rel)));
  }
  process.stdout.write(`已在 ${dir} 写入 ${files.length} 个文件（考核方案 plan.yaml 及文档模板），可按本单位实际修改。\n`);
  process.stdout.write(`下一步：kaohe workbooks --plan ${path.join(dir, 'plan.yaml')} --out 填报工作簿\n`);
  return 0;
}
