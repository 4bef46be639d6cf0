// results.json is written in pieces as the file takes them (report-outputs.ts jsonText), never as
// one text: the pieces must join to exactly what JSON.stringify(results, null, 2) writes.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregateYear } from '../core/aggregate.ts';
import { jsonText } from '../generator/commands/report-outputs.ts';
import { openOutputStage } from '../generator/files/output-set.ts';
import { fixturePlan, fixtureSubmissions } from './fixtures/year.ts';

const whole = (value: object) => JSON.stringify(value, null, 2) + '\n';

function fixtureResults() {
  const plan = fixturePlan();
  const subs = fixtureSubmissions(plan);
  const checked = plan.units.filter((u) => subs.has(u.id)).map((u) => ({ file: `${u.name}.xlsx`, submission: subs.get(u.id)!, unit: u, problems: [] }));
  return aggregateYear(plan, checked, { generatedAt: '2012-01-05T08:00:00.000Z' });
}

describe('results.json in pieces', () => {
  it('joins to JSON.stringify’s text for a year’s results', () => {
    const results = fixtureResults();
    expect([...jsonText(results)].join('')).toBe(whole(results));
  });

  it('joins to JSON.stringify’s text for what JSON treats specially: empties, holes, undefined, functions, dates, line breaks in strings', () => {
    const tricky = {
      empty: {},
      none: [],
      skipped: undefined,
      fn: () => 1,
      list: [undefined, () => 1, null, {}, [], 'a\nb "引号"', '中文\u2028', 0, -0, 1e21, true, new Date(0), [[]], { x: [{}] }],
      // eslint-disable-next-line no-sparse-arrays
      holes: [1, , 3],
      nested: { a: [1, { b: [] }], c: 'x\ny', d: undefined },
      date: new Date(86_400_000),
      last: [{ only: undefined }],
    };
    expect([...jsonText(tricky)].join('')).toBe(whole(tricky));
    expect([...jsonText({})].join('')).toBe(whole({}));
    expect([...jsonText({ a: undefined })].join('')).toBe(whole({ a: undefined }));
  });

  it('hands a large array on in pieces of about 64 K characters', () => {
    const large = { units: Array.from({ length: 20_000 }, (_, i) => ({ id: `u${i}`, name: `第${i}单位`, scores: [i, i / 3] })), count: 20_000 };
    const pieces = [...jsonText(large)];
    expect(pieces.join('')).toBe(whole(large));
    expect(pieces.length).toBeGreaterThan(10);
    expect(pieces.slice(0, -1).every((p) => p.length >= 64 * 1024 && p.length < 70 * 1024)).toBe(true);
  });

  it('is written through the output stage as the text it joins to', async () => {
    const dir = path.resolve('test/tmp/results-json');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const results = fixtureResults();
    const opened = await openOutputStage(dir);
    if (!opened.ok) throw new Error(opened.message);
    await opened.stage.add('results.json', jsonText(results));
    const set = await opened.stage.commit();
    expect(set.ok).toBe(true);
    expect(readFileSync(path.join(dir, 'results.json'), 'utf8')).toBe(whole(results));
    rmSync(dir, { recursive: true, force: true });
  });
});
