// Speed shortcuts of the report held equal to the plain definitions they replace.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import Handlebars from 'handlebars';
import { chartFontCovers } from '../generator/documents/charts.ts';
import { HELPERS } from '../generator/documents/helpers.ts';
import { BUILTIN_TEMPLATE_DIR, escapeMarkdown } from '../generator/documents/templates.ts';
import { annualReportData } from '../generator/documents/annual-report.ts';
import { fixtureResults } from './documents-fixture.ts';

describe('chart font coverage (merged ranges, binary search)', () => {
  it('answers for every range edge and a sweep of code points as a scan of the package’s unicode-range table does', () => {
    const dir = path.dirname(createRequire(import.meta.url).resolve('@fontsource/noto-sans-sc/package.json'));
    const table = JSON.parse(readFileSync(path.join(dir, 'unicode.json'), 'utf8')) as Record<string, string>;
    const ranges = Object.values(table).flatMap((spec) =>
      spec.split(',').map((part) => {
        const [from, to] = part.trim().replace(/^U\+/i, '').split('-');
        return [parseInt(from!, 16), parseInt(to ?? from!, 16)] as const;
      }),
    );
    const scan = (code: number) => ranges.some(([a, b]) => code >= a && code <= b);
    const probes = new Set<number>();
    for (const [a, b] of ranges) for (const c of [a - 1, a, b, b + 1]) if (c >= 0x20 && (c < 0xd800 || c > 0xdfff)) probes.add(c);
    for (let c = 0x20; c <= 0x3ffff; c += 61) if (c < 0xd800 || c > 0xdfff) probes.add(c);
    const mismatches = [...probes].filter((c) => chartFontCovers(String.fromCodePoint(c)) !== scan(c));
    expect(mismatches).toEqual([]);
    expect(chartFontCovers('考核办公室805台')).toBe(true);
    expect(chartFontCovers('𠮷田乡')).toBe(false);
  });
});

describe('a template parsed once (renderTemplate checks the AST, then compiles that AST)', () => {
  const env = Handlebars.create();
  for (const [name, helper] of Object.entries(HELPERS)) env.registerHelper(name, helper);
  const options = { strict: true, knownHelpersOnly: true, knownHelpers: Object.fromEntries(Object.keys(HELPERS).map((n) => [n, true])) };
  const bothWays = (source: string, data: object): [string, string] => [
    env.compile(source, options)(data),
    env.compile(env.parseWithoutProcessing(source), options)(data),
  ];

  it('renders what the source compiled directly renders: standalone blocks, ~ trims, else, comments, nesting', () => {
    const source = [
      '{{!-- 注释 --}}',
      '{{#each units}}',
      '  {{#if ok}}',
      '| {{name}} |  {{~name~}}  | {{#unless ok}}否{{else}}是{{/unless}} |',
      '  {{else}}',
      '  无',
      '  {{/if}}',
      '{{~/each}}',
      '   {{#with a}}{{b}}{{/with}}   ',
      '{{#if none}}',
      '{{else if a}}',
      '  其他',
      '{{/if}}',
      '',
    ].join('\n');
    const [direct, once] = bothWays(source, { units: [{ name: '甲', ok: true }, { name: '乙', ok: false }], a: { b: 1 }, none: false });
    expect(once).toBe(direct);
    expect(direct).toContain('|甲|');
  });

  it('renders the 年度考核总结报告 template as its source compiled directly does', () => {
    const data = annualReportData(fixtureResults());
    const file = path.join(BUILTIN_TEMPLATE_DIR, '年度考核总结报告.md.hbs');
    const [direct, once] = bothWays(readFileSync(file, 'utf8'), data);
    expect(once).toBe(direct);
    expect(direct.length).toBeGreaterThan(3000);
  });
});

describe('escapeMarkdown returns text with nothing to escape as it is', () => {
  const plainDefinition = (text: string) =>
    text
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
      .replace(/\s*[\r\n]+\s*/g, ' ')
      .replace(/[\\`*_[\]<>|#~!&:{}]/g, (c) => `\\${c}`);

  it('escapes as the three replacements do, for every character up to U+3100 alone and between text and spaces', () => {
    const texts = ['', '办公室', '  两端 空格  ', '甲\u3000乙', '12.50', '2011-12-31', '第一行\r\n  第二行', '\u2028'];
    for (let c = 0; c <= 0x3100; c++) {
      const ch = String.fromCharCode(c);
      texts.push(ch, `甲${ch}乙`, ` ${ch} `);
    }
    expect(texts.filter((t) => escapeMarkdown(t) !== plainDefinition(t))).toEqual([]);
    expect(escapeMarkdown(12.5)).toBe('12.5');
    expect(escapeMarkdown('a*b\nc')).toBe('a\\*b c');
  });
});
