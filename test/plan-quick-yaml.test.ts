// The CLI reads plan.yaml with js-yaml first (generator/files/quick-yaml.ts) and falls back to
// yaml, the reference reader, for anything js-yaml declines or the checks reject. Held here: on
// every text, the quick path reads the same value as yaml or declines, and parsePlan gives the
// same plan, hash and errors with it as without it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument, stringify } from 'yaml';
import { growPlan } from '../bench/corpus.ts';
import { parsePlan, type PlanParseOptions } from '../core/plan.ts';
import { nodeSha256Hex } from '../generator/files/digest.ts';
import { OUTSIDE_SUBSET, quickYamlLoad } from '../generator/files/quick-yaml.ts';

const PLAN_TEXT = readFileSync(new URL('../templates/plan.yaml', import.meta.url), 'utf8');
const CLI: PlanParseOptions = { quickLoad: quickYamlLoad, sha256Hex: nodeSha256Hex };

/** yaml's reading as the plan parser does it: the value, or null when yaml reports an error. */
function yamlValue(source: string): { value: unknown } | null {
  const doc = parseDocument(source, { uniqueKeys: true });
  return doc.errors.length > 0 ? null : { value: doc.toJS() };
}

/** The quick reader either declines or agrees with yaml; it never reads what yaml rejects. */
function expectHeldToYaml(source: string): 'read' | 'declined' {
  const quick = quickYamlLoad(source);
  if (quick === null) return 'declined';
  const reference = yamlValue(source);
  expect(reference, `yaml rejects what js-yaml read: ${JSON.stringify(source)}`).not.toBeNull();
  expect(quick.value, JSON.stringify(source)).toStrictEqual(reference!.value);
  return 'read';
}

// Scalars as a plan may hold them, in every style YAML offers, each also as a key and in a list.
const SCALARS = [
  '0', '-0', '-0.0', '-.0', '-0e3', '+1', '007', '00', '09', '0o17', '-0o17', '+0o17', '0x1F', '-0x1F', '0x_1F', '0b101', '1_000', '1__0', '1,000',
  '.5', '1.', '1.0', '100.', '1.5e3', '1E-3', '12e03', '6.02e+23', '5e-324', '1.7976931348623157e309', '99999999999999999999', '0.30000000000000004',
  '.inf', '-.Inf', '+.inf', '.NaN', '1e', '-', '- 1',
  'true', 'True', 'TRUE', 'tRUE', 'false', 'yes', 'No', 'on', 'OFF', 'y', 'n',
  '~', 'null', 'Null', 'NULL', 'nULL', '',
  '2011-03-31', '2011-3-1', '2011-03-31T10:00:00Z', '2011-03-31 10:00', '12:30', '12:30:45', '1:20:00',
  '办公室', '市广电网络有限公司', '９０分', '张同志（占位，请改为实际联系人）', '0000-0000000', 'xiaoneng@example.gov.cn',
  "'2.2'", "'it''s'", '"a\\tb"', '"\\u4E2D\\x41\\N\\_\\L\\P\\e"', '"line\\\nnext"', "'multi\n  line'", '"quoted # not a comment"',
  'a # comment', 'a#b', 'a: b', 'http://x.cn/a?b=1', 'A&B', 'x*y', '注意!', '-1.5', '- not a list', '? q', '%percent', '@at', '`tick',
  '>-\n  folded\n  text\n', '|\n  literal\n   indented\n\n', '|+\n  keep\n\n', '>2\n    two\n', '|-\n  strip\n',
  '{ a: 1, b: [x, "y"] }', '[]', '{}', '[a, [b, c], {d: e}]',
];

function documentsOf(scalar: string): string[] {
  const block = scalar.startsWith('|') || scalar.startsWith('>');
  return [
    `value: ${scalar}`,
    `list:\n  - ${block ? scalar.replace(/\n/g, '\n  ') : scalar}\n  - after`,
    ...(block || scalar.startsWith('{') || scalar.startsWith('[') ? [] : [`${scalar}: key`, `flow: [${scalar}, end]`, `map: { k: ${scalar} }`]),
  ];
}

describe('the quick YAML reader', () => {
  it('reads every scalar style as yaml does, or declines', () => {
    let read = 0;
    for (const scalar of SCALARS) for (const source of documentsOf(scalar)) if (expectHeldToYaml(source) === 'read') read += 1;
    // Most of them must have been compared, not declined.
    expect(read).toBeGreaterThan(SCALARS.length * 2);
  });

  it('declines every line outside its subset, each rule on an example, and still reads text that merely has the characters', () => {
    const examples = [
      'a: &x [1, 2]\nb: *x',
      'a: !!str 123',
      '%YAML 1.1\n---\na: yes',
      'a:\n\t- 1',
      'a:\n  -\n  - b',
      "a: 'x'# note",
      '? a\n: b',
      'a: [[1], [2]]',
      'a: |+\n  kept\n\n',
      'a: "one\n  two"',
      'a: [1,\n  2]',
    ];
    const used = new Set<string>();
    for (const source of examples) {
      expect(quickYamlLoad(source), source).toBeNull();
      for (const rule of OUTSIDE_SUBSET) if (source.split('\n').some(rule.test)) used.add(rule.why);
    }
    expect([...used].sort()).toEqual(OUTSIDE_SUBSET.map((r) => r.why).sort());
    // A null key is '' to yaml and 'null' to js-yaml: declined after reading.
    expect(quickYamlLoad('~: x')).toBeNull();
    expect(quickYamlLoad('a:\n  null: x')).toBeNull();
    expect(quickYamlLoad('a: x*y\nb: 注意!\nc: 50%\nd: 办公室（一）')).toEqual({ value: { a: 'x*y', b: '注意!', c: '50%', d: '办公室（一）' } });
  });

  it('never reads what yaml rejects: broken indents, tabs, duplicate keys, unclosed quotes, several documents', () => {
    for (const source of [
      'a: 1\na: 2',
      'a:\n\t- 1',
      'a: "open',
      "a: 'open",
      'a: [1, 2',
      'a: {b: 1',
      'a:\n  b: 1\n c: 2',
      'a: b: c',
      '- a\nb: c',
      'a: 1\n---\nb: 2',
      'a: 1\n...\nb: 2',
      'key with\n  two lines: 1',
      'a: |\n text\n  more\n less',
      '"a": 1\n"a": 2',
      '\uFEFFa: 1',
      'a: @x',
      'a: `x',
    ])
      expectHeldToYaml(source);
  });

  it('reads yaml.stringify of awkward values back as yaml does', () => {
    const values = ['', ' lead', 'trail ', 'a: b', '#x', '- x', '[x]', '{x}', "'q'", '"q"', '\\', 'line\nline', 'tab\there', '12', '1e3', 'true', 'null', '2011-03-31', '办公室（设局机关党委）', '𠮷野家', '\u0085', '\u2028'];
    for (const v of values) {
      expectHeldToYaml(stringify({ v, list: [v], nested: { [v || 'k']: v } }));
      expectHeldToYaml(stringify({ v }, { defaultStringType: 'QUOTE_DOUBLE' }));
      expectHeldToYaml(stringify({ v }, { defaultStringType: 'BLOCK_LITERAL' }));
    }
  });
});

/** mulberry32: a small seeded generator, so every run tries the same documents. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ATOMS = ['', ' ', 'a', '办公室', '0', '-0', '1.50', 'true', 'null', '~', '-', '- x', ': x', '#', 'a #b', "'", '"', '\\', '\n', 'x\ny', ' lead', 'trail ', '\t', '2011-03-31', '1e3', '0x1F', '|', '>', '[', ']', '{', '}', ',', '?', '&', '*', '!', '%', '@', '`', '\u3000', '𠮷', 'k: v'];
const STYLES = [{}, { indentSeq: false }, { collectionStyle: 'flow' as const }, { defaultStringType: 'QUOTE_SINGLE' as const }, { defaultStringType: 'BLOCK_FOLDED' as const }, { defaultStringType: 'BLOCK_LITERAL' as const }, { lineWidth: 10 }, { indent: 4 }, { nullStr: '' }];
const EDITS = [' ', ':', '-', '\n', '#', '\t', '"', "'", '[', '{', ',', '  ', '- ', ': ', '\n  ', '\n- '];

/** Random nested values written by yaml in a random style; with `edits`, a few random characters then inserted or deleted. */
function* randomDocuments(seed: number, n: number, edits: boolean): Generator<string> {
  const rnd = random(seed);
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const value = (depth: number): unknown => {
    const r = rnd();
    if (depth > 3 || r < 0.4) {
      const t = rnd();
      return t < 0.5 ? pick(ATOMS) + (rnd() < 0.3 ? pick(ATOMS) : '') : t < 0.7 ? Math.round((rnd() - 0.5) * 2000) / (rnd() < 0.5 ? 1 : 8) : t < 0.8 ? rnd() < 0.5 : null;
    }
    if (r < 0.7) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(rnd() * 4) }, () => [pick(ATOMS) + pick(ATOMS) || 'k', value(depth + 1)]));
  };
  for (let i = 0; i < n; i += 1) {
    let source = stringify({ root: value(0) }, pick(STYLES));
    // As people write it: compact nested lists, empty values.
    if (rnd() < 0.3) source = source.replace(/: null$/gm, ':').replace(/\n(\s*)- (\s*)- /, '\n$1- - ');
    if (edits)
      for (let m = 1 + Math.floor(rnd() * 3); m > 0; m -= 1) {
        const at = Math.floor(rnd() * source.length);
        source = rnd() < 0.4 ? source.slice(0, at) + source.slice(at + 1) : source.slice(0, at) + pick(EDITS) + source.slice(at);
      }
    yield source;
  }
}

describe('the quick YAML reader on random documents', () => {
  it('reads what yaml writes as yaml reads it, or declines', () => {
    let read = 0;
    for (const source of randomDocuments(1, 3000, false)) if (expectHeldToYaml(source) === 'read') read += 1;
    expect(read).toBeGreaterThan(1500);
  });

  it('never reads a damaged document yaml rejects, nor one it reads differently', () => {
    let read = 0;
    for (const source of randomDocuments(2, 3000, true)) if (expectHeldToYaml(source) === 'read') read += 1;
    expect(read).toBeGreaterThan(500);
  });
});

describe('parsePlan with the quick reader', () => {
  const both = (text: string) => [parsePlan(text, 'my-plan.yaml', CLI), parsePlan(text, 'my-plan.yaml')] as const;

  it('gives the default plan and a 1,000-unit plan exactly as yaml does, hash included', () => {
    const [quick, reference] = both(PLAN_TEXT);
    expect(reference.ok).toBe(true);
    expect(quick).toStrictEqual(reference);
    if (!reference.ok) return;
    const big = stringify(growPlan(reference.plan, 1000));
    // The quick reader must have read it, or this would compare yaml with itself.
    expect(quickYamlLoad(big)).not.toBeNull();
    const [bigQuick, bigReference] = both(big);
    expect(bigReference.ok).toBe(true);
    expect(bigQuick).toStrictEqual(bigReference);
  });

  it('reports every broken plan with the same errors, lines and columns as yaml alone', () => {
    const broken = [
      PLAN_TEXT.replace('kind: subordinate', 'kind: subordnate'),
      PLAN_TEXT.replace(/^ {2}organ: .*\n/m, ''),
      PLAN_TEXT.replace('  bonusCap: 5', '  bonusCapp: 5'),
      PLAN_TEXT.replace("  - id: '2.2'", '  - id: 2.2'),
      PLAN_TEXT.replace('  office: 局机关', '\toffice: 局机关'),
      PLAN_TEXT.replace('maxPoints: 8\n', 'maxPoints: 9\n'),
      PLAN_TEXT.replace('deadline: 2011-03-31', 'deadline: 2011-02-30'),
      PLAN_TEXT.replace('auto: problems', 'auto: rules'),
      PLAN_TEXT.replace('  deductionCap: 10 ', '  deductionCap: 6 '),
      PLAN_TEXT.replace('  bonusCap: 5', '  bonusCap: 5\n  bonusCap: 6'),
      PLAN_TEXT.replace('  office: 局机关', '  office: "局机关'),
      `${PLAN_TEXT}\n---\nunits: []\n`,
      PLAN_TEXT.replace('  bonusCap: 5', '  bonusCap: !!str 5'),
      '',
      'units: []',
    ];
    for (const text of broken) {
      const [quick, reference] = both(text);
      expect(reference.ok).toBe(false);
      expect(quick).toStrictEqual(reference);
    }
  });
});
