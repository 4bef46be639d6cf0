import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTemplateError } from '../generator/documents/errors.ts';
import { chineseDate } from '../core/calendar.ts';
import { chineseNumeral, scoreText } from '../generator/documents/helpers.ts';
import { parseDocument } from '../generator/documents/markdown.ts';
import { buildDocument } from '../generator/documents/pipeline.ts';
import { loadTemplate, renderTemplate, type TemplateSource } from '../generator/documents/templates.ts';

const data = {
  activity: { organ: '市广播电影电视局', year: 2011 },
  issueDate: '2011-12-31',
  units: [{ unitName: '办公室', total: 102, rate: 0.834 }],
};
const tpl = (source: string): TemplateSource => ({ file: 'templates/决定.md.hbs', source });

describe('template rendering', () => {
  it('fills fields and formats with the Chinese helpers', () => {
    const out = renderTemplate(tpl('{{activity.organ}} {{日期 issueDate}}{{#each units}} {{序号 (加 @index 1)}}、{{unitName}} {{分数 total}} {{百分比 rate}}{{/each}}'), data);
    expect(out).toEqual({ ok: true, markdown: '市广播电影电视局 2011年12月31日 一、办公室 102.00 83.4%' });
  });

  it('writes Chinese numerals for 一、 numbering and dates without leading zeros', () => {
    expect([1, 10, 11, 20, 21, 99, 100, 105, 110].map(chineseNumeral)).toEqual(['一', '十', '十一', '二十', '二十一', '九十九', '一百', '一百零五', '一百一十']);
    expect(chineseDate('2012-01-04')).toBe('2012年1月4日');
  });

  it('reports every unknown field at once with its line and column', () => {
    const out = renderTemplate(tpl('# 标题\n\n{{activity.organ}}{{activity.nmae}}\n{{#each units}}\n  {{unitNmae}}\n{{/each}}\n'), data);
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.errors.map(formatTemplateError)).toEqual([
      'templates/决定.md.hbs:3:21 未知字段“activity.nmae”',
      'templates/决定.md.hbs:5:5 未知字段“unitNmae”',
    ]);
  });

  it('fails in strict mode on a field the data lacks instead of printing blank', () => {
    const out = renderTemplate(tpl('共{{units.length}}个，{{单位数}}'), data);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.errors[0]).toMatchObject({ line: 1, column: 22, message: '未知字段“单位数”' });
  });

  it('points an unclosed {{#each}} at the line and column where it opens', () => {
    const out = renderTemplate(tpl('# 标题\n\n正文\n  {{#each units}}\n{{unitName}}\n'), data);
    expect(out).toEqual({
      ok: false,
      errors: [{ file: 'templates/决定.md.hbs', line: 4, column: 3, message: '“{{#each}}”没有对应的“{{/each}}”' }],
    });
  });

  it('names a block closed by the wrong tag', () => {
    const out = renderTemplate(tpl('a\n{{#each units}}\nb\n{{/if}}\n'), data);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(formatTemplateError(out.errors[0]!)).toBe('templates/决定.md.hbs:2:1 “{{#each}}”与“{{/if}}”不配对');
  });

  it('rejects a helper outside the whitelist', () => {
    const out = renderTemplate(tpl('\n{{大写 activity.organ}}'), data);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.errors[0]).toMatchObject({ line: 2, column: 3 });
    if (!out.ok) expect(out.errors[0]!.message).toContain('未知助手“大写”');
  });

  it('keeps Markdown characters in data as text, on one line', () => {
    const out = renderTemplate(tpl('| 名称 |\n| --- |\n| {{name}} |\n'), { name: 'a|b *c*\n# d' });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const parsed = parseDocument(out.markdown, tpl(''));
    expect(parsed.ok && parsed.tree.blocks).toEqual([{ kind: 'table', header: [[{ text: '名称' }]], rows: [[[{ text: 'a|b *c* # d' }]]] }]);
  });
});

describe('Markdown dialect', () => {
  it('reports an unknown directive at its line in the template', () => {
    const template = tpl('# 标题\n\n正文\n\n::落款{organ="局" date="2011-12-31"}\n::盖章[局]\n');
    const out = parseDocument(template.source, template);
    expect(out).toEqual({
      ok: false,
      errors: [expect.objectContaining({ file: 'templates/决定.md.hbs', line: 6, column: 1 })],
    });
    if (!out.ok) expect(out.errors[0]!.message).toContain('未知指令“盖章”');
  });

  it('checks the 落款 date', () => {
    const template = tpl('::落款{organ="局" date="2011年12月31日"}\n');
    const out = parseDocument(template.source, template);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.errors[0]!.message).toContain('应为 YYYY-MM-DD');
  });

  it('reads headings, directives and consecutive attachment lines', () => {
    const source = '# 决定\n\n::主送[各科室：]\n\n## 总体\n\n正文 8:30 **重点**\n\n::附件说明[甲]\n\n::附件说明[乙]\n\n::分页\n\n::图{name="grades"}\n';
    const out = parseDocument(source, tpl(source));
    expect(out.ok && out.tree.blocks).toEqual([
      { kind: 'title', spans: [{ text: '决定' }] },
      { kind: 'addressee', text: '各科室：' },
      { kind: 'heading', level: 1, spans: [{ text: '总体' }] },
      { kind: 'paragraph', spans: [{ text: '正文 8' }, { text: ':30' }, { text: ' ' }, { text: '重点', bold: true }] },
      { kind: 'attachmentNote', items: ['甲', '乙'] },
      { kind: 'pageBreak' },
      { kind: 'figure', name: 'grades' },
    ]);
  });
});

describe('template loading', () => {
  it('takes a user template from --templates and falls back per file to the built-in one', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kaohe-templates-'));
    writeFileSync(path.join(dir, '表彰决定.md.hbs'), '# 自定义决定\n');
    expect(await loadTemplate('表彰决定', dir)).toEqual({ file: path.join(dir, '表彰决定.md.hbs'), source: '# 自定义决定\n' });
    const builtin = await loadTemplate('荣誉证书', dir);
    expect(builtin.file).toBe('templates/荣誉证书.md.hbs');
    expect(builtin.source).toContain('# 荣誉证书');
  });
});

describe('one document', () => {
  it('turns a missing template into an error value instead of throwing', async () => {
    const outcome = await buildDocument('不存在的文件', {}, {});
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.errors[0]).toMatchObject({ file: 'templates/不存在的文件.md.hbs', line: 1, column: 1 });
    if (!outcome.ok) expect(outcome.errors[0]!.message).toMatch(/^无法生成“不存在的文件”：/);
  });
});

describe('scores', () => {
  it('print with two decimals, rounded half up once', () => {
    expect([89.915, 89.914, 90, 55.1, 0.005].map(scoreText)).toEqual(['89.92', '89.91', '90.00', '55.10', '0.01']);
  });
});
