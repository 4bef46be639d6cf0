// The CLI's quick reader of plan.yaml (core/plan.ts `PlanParseOptions.quickLoad`). yaml, the
// reference reader, keeps every node's place so errors can say line and column; at 1,000 units
// that costs ~0.3 s on the thread every reading worker waits for, js-yaml ~0.03 s.
//
// js-yaml parses the structure; every plain scalar is resolved by yaml's own core-schema tags, so
// `-0`, `0x1F`, `1e400` or `Null` mean what yaml says they mean. js-yaml is laxer than yaml in
// places and wrong in a few, so it reads only a plain subset of YAML, line by line, which is how
// plans are written: a text that leaves it is declined and read by yaml, whose errors carry line
// and column (a false alarm costs only the slower read). Held equal to yaml, on what both read
// and on what yaml rejects, by test/plan-quick-yaml.test.ts.
import { FAILSAFE_SCHEMA, Type, load } from 'js-yaml';
import { Scalar, Schema, type ScalarTag } from 'yaml';

/** What takes a line out of the subset, and why the two readers could part ways on it. */
export const OUTSIDE_SUBSET: { why: string; test: (line: string) => boolean }[] = [
  { why: 'an alias (*name): js-yaml shares the anchored value where yaml counts expansions', test: (l) => /(?:^|[\s[{,])\*\S/.test(l) },
  { why: 'a tag (!name): each reader knows different tags', test: (l) => /(?:^|[\s[{,])!/.test(l) },
  { why: 'a directive (%YAML 1.1): yaml switches to YAML 1.1 booleans and numbers', test: (l) => l.startsWith('%') },
  { why: 'a tab in the indent: js-yaml takes some that yaml refuses', test: (l) => /^ *\t/.test(l) },
  { why: 'an empty list entry: js-yaml can put the entries after it in the wrong list', test: (l) => /(?:^|\s)-[ \t]*(?:#.*)?$/.test(l) },
  { why: 'a comment glued to a quote or bracket: js-yaml takes it, yaml refuses', test: (l) => /["'\]}]#/.test(l) },
  { why: 'an explicit (?) or collection key', test: (l) => /(?:^|\s)\?(?:\s|$)|[\]}][ \t]*:(?:\s|$)/.test(l) },
  { why: 'a collection in a flow collection but as a value: js-yaml can take it for a key', test: (l) => /[[{,][ \t]*[[{]/.test(l) },
  { why: 'a block text with an indent digit or keeping its final blank lines (|2, |+): js-yaml reads blank lines differently', test: (l) => /[|>][-+]?[1-9]|[|>][1-9]?\+/.test(l) },
  { why: 'a quoted text running onto the next line: js-yaml ignores its indent', test: (l) => odd(l, /(?<!\\)"/g) || odd(l, /'/g) },
  { why: 'a [list] or {map} running onto the next line: js-yaml ignores its indent', test: (l) => count(l, /[[{]/g) !== count(l, /[\]}]/g) },
];

const count = (line: string, pattern: RegExp) => line.match(pattern)?.length ?? 0;
const odd = (line: string, pattern: RegExp) => count(line, pattern) % 2 === 1;

/** yaml's core scalars (null, bool, int, float) in yaml's order of trial, as js-yaml types. */
const CORE_SCALARS = new Schema({ schema: 'core' }).tags
  .filter((tag): tag is ScalarTag & { test: RegExp } => 'test' in tag && tag.test instanceof RegExp && tag.default === true)
  .map((tag, i) => {
    // js-yaml hands an empty node over as null; yaml tests it as ''.
    const text = (data: string | null) => data ?? '';
    const fail = () => {
      throw new Error(`yaml could not resolve a ${tag.tag}`);
    };
    return new Type(`${tag.tag}#${i}`, {
      kind: 'scalar',
      resolve: (data: string | null) => tag.test.test(text(data)),
      construct: (data: string | null) => {
        const resolved: unknown = tag.resolve(text(data), fail, { intAsBigInt: false });
        return resolved instanceof Scalar ? resolved.value : resolved;
      },
    });
  });

const SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: CORE_SCALARS });

/** A null key is '' to yaml and 'null' to js-yaml; a collection as key is spelt differently too. */
const isAmbiguousKey = (key: string) => key === 'null' || key.startsWith('[object ');

function hasAmbiguousKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasAmbiguousKey);
  if (value === null || typeof value !== 'object') return false;
  for (const key in value) if (isAmbiguousKey(key) || hasAmbiguousKey((value as Record<string, unknown>)[key])) return true;
  return false;
}

export function quickYamlLoad(source: string): { value: unknown } | null {
  for (const line of source.split('\n')) if (OUTSIDE_SUBSET.some((rule) => rule.test(line))) return null;
  let value: unknown;
  try {
    value = load(source, { schema: SCHEMA });
  } catch {
    // Malformed or a duplicate key: yaml reads it again and says where.
    return null;
  }
  return hasAmbiguousKey(value) ? null : { value };
}
