// A heavy user template loses only its own document, quickly and with a clear message.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderTemplate, TEMPLATE_BUDGET } from '../generator/documents/templates.ts';
import { runReport } from '../generator/commands/report.ts';
import { writeFixtureYear } from './fixtures/workbooks.ts';

const data = { units: Array.from({ length: 16 }, (_, i) => ({ unitName: `单位${i}` })) };
const file = 'templates/表彰决定.md.hbs';

describe('template budgets', () => {
  it('stops seven nested {{#each @root.units}} at the iteration budget', () => {
    const source = `# 标题\n\n${'{{#each @root.units}}'.repeat(7)}{{unitName}}${'{{/each}}'.repeat(7)}\n`;
    const out = renderTemplate({ file, source }, data);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.errors[0]!.message).toMatch(/^模板过于繁重：循环次数超过/);
  });

  it('refuses a 5000-deep {{#if}} at the tag past the depth budget, without parsing it', () => {
    const source = `# 标题\n\n${'{{#if units}}'.repeat(5000)}x${'{{/if}}'.repeat(5000)}\n`;
    const out = renderTemplate({ file, source }, data);
    expect(out.ok ? null : out.errors[0]).toMatchObject({ line: 3, column: TEMPLATE_BUDGET.depth * '{{#if units}}'.length + 1, message: expect.stringMatching(/嵌套超过 40 层/) });
  });

  it('refuses a 10 MB template by its size', () => {
    const out = renderTemplate({ file, source: `# 标题\n\n${'正文'.repeat(2_000_000)}\n` }, data);
    expect(out.ok ? '' : out.errors[0]!.message).toMatch(/超过 512 KB 的上限/);
  });

  it('still renders an ordinary loop', () => {
    const out = renderTemplate({ file, source: '# 标题\n\n{{#each units}}{{unitName}}、{{/each}}\n' }, data);
    expect(out.ok && out.markdown).toContain('单位15、');
  });

  it('in kaohe report, the heavy template loses only its own document', async () => {
    const dir = path.resolve('test/tmp/template-budget');
    rmSync(dir, { recursive: true, force: true });
    const fixture = await writeFixtureYear(dir);
    const templates = path.join(dir, 'templates');
    mkdirSync(templates, { recursive: true });
    // The fixture year has 5 units: ten nested loops would be 5^10 ≈ 9.8 million iterations.
    writeFileSync(path.join(templates, '表彰决定.md.hbs'), `# 表彰决定\n\n${'{{#each @root.units}}'.repeat(10)}{{unitName}}${'{{/each}}'.repeat(10)}\n`);
    let stderr = '';
    const sink = { write: (s: string) => ((stderr += s), true) } as unknown as NodeJS.WritableStream;
    const out = path.join(dir, 'out');
    const outcome = await runReport(fixture.workbooks, { plan: fixture.planFile, templates, out, stdout: sink, stderr: sink });
    expect(stderr).toMatch(/表彰决定\.docx 未生成：.*模板过于繁重/);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.written.map((f) => path.basename(f)).sort()).toEqual(['results.json', '年度考核总结报告.docx', '拟表彰名单公示.docx', '考核结果汇总.xlsx', '荣誉证书.docx'].sort());
  }, 120_000);
});
