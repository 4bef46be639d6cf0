// The CLI's workers hash workbook content with node:crypto; the add-in with the pure-JS digest of
// core/hash.ts. A workbook submitted in the add-in must read as unmodified in `kaohe check`, so
// both digests must agree on every string, and on real workbooks the checks must agree.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWorkbook } from '../core/check.ts';
import { contentHash, sha256Hex } from '../core/hash.ts';
import type { Sha256Hex } from '../core/hash.ts';
import { INFO_SHEET, TABLE_SHEETS } from '../core/layout.ts';
import { planHash } from '../core/plan.ts';
import type { RawValue, WorkbookGrid } from '../core/types.ts';
import { nodeSha256Hex } from '../generator/files/digest.ts';
import { ingestFile } from '../generator/batch/ingest.ts';
import { writeFixtureYear } from './fixtures/workbooks.ts';

describe('the content digest of the CLI', () => {
  it('is the pure-JS sha256 on any string: empty, Chinese, astral, lone surrogates, long', () => {
    const texts = ['', 'abc', '考核填报：办公室 ９０分', '𠀀𝟘😀', 'a\uD800b', '\uDC00', 'x'.repeat(100_003), '["单位信息",[["一","\\n"]]]'];
    for (const text of texts) expect(nodeSha256Hex(text)).toBe(sha256Hex(text));
  });

  it('gives the same content hash and the same check as the pure-JS digest on real workbooks, edited after submission or not', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kaohe-digest-'));
    try {
      const fixture = await writeFixtureYear(dir);
      const hash = planHash(fixture.plan);
      const check = (grid: WorkbookGrid, sha?: Sha256Hex) => checkWorkbook(grid, fixture.plan, { planHash: hash, ...(sha ? { sha256Hex: sha } : {}) });
      let submitted = 0;
      for (const file of fixture.workbooks) {
        const read = await ingestFile(file);
        if (!read.ok) throw new Error(read.problem.message);
        expect(contentHash(read.grid, nodeSha256Hex)).toBe(contentHash(read.grid));
        expect(check(read.grid, nodeSha256Hex)).toEqual(check(read.grid));
        if (check(read.grid).submission?.meta?.contentHash) submitted += 1;
      }
      // The comparison must have gone through the hash for most units, not around it.
      expect(submitted).toBeGreaterThan(fixture.workbooks.length / 2);
      // One workbook edited after submission: both digests see it.
      const read = await ingestFile(fixture.workbooks[0]!);
      if (!read.ok) throw new Error(read.problem.message);
      const info = Object.values(read.grid.sheets).find((s) => s.values.some((row) => row?.some((v) => typeof v === 'string' && v.length > 0)))!;
      const row = info.values.findIndex((r) => r?.some((v) => typeof v === 'string' && v.length > 0));
      info.values[row] = info.values[row]!.map((v) => (typeof v === 'string' && v.length > 0 ? `${v}（改）` : v));
      const codes = (sha?: Sha256Hex) => check(read.grid, sha).problems.map((p) => p.code);
      expect(codes()).toContain('meta.modifiedAfterSubmit');
      expect(codes(nodeSha256Hex)).toEqual(codes());
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('hashes the cells as the unit sees them: holes and trailing blanks dropped, text cleaned, dates and errors as shown', () => {
    const values: RawValue[][] = [];
    // A sparse grid as the fast reader gives it: row 2 absent, holes inside row 1.
    values[0] = ['单位名称', ' 办公室\r\n一科 ', true, 40633, 0.5, { error: '#N/A' }, null, ''];
    values[1] = [];
    values[1]![3] = 12;
    values[3] = [null, ''];
    const numberFormats: (string | null | undefined)[][] = [[undefined, undefined, undefined, 'yyyy"年"m"月"d"日"', '0%']];
    const grid = { sheets: { [INFO_SHEET.name]: { values, numberFormats } } };
    const content = [
      [INFO_SHEET.name, [['单位名称', '办公室\n一科', 'TRUE', '2011-03-31', '0.5', '#N/A'], ['', '', '', '12']]],
      ...TABLE_SHEETS.map((s) => [s.name, null]),
    ];
    expect(contentHash(grid)).toBe(sha256Hex(JSON.stringify(content)));
  });
});
