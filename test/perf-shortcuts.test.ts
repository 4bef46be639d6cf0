// Speed shortcuts of the report held equal to the plain definitions they replace.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chartFontCovers } from '../generator/documents/charts.ts';

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
