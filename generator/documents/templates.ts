// Template loading and rendering: Handlebars in strict mode with a whitelist of helpers.
// Before rendering, the template's AST is walked against the real data so that every unknown
// field and helper is reported at once with its line and column, not just the first one.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { TEMPLATES_DIR } from '../files/package-root.ts';
import type { TemplateError } from './errors.ts';
import { HELPER_NAMES, HELPERS } from './helpers.ts';

export interface TemplateSource {
  /** Shown in error messages: `templates/<name>.md.hbs` or the override's path. */
  file: string;
  source: string;
}

export type RenderOutcome = { ok: true; markdown: string } | { ok: false; errors: TemplateError[] };

export { TEMPLATES_DIR as BUILTIN_TEMPLATE_DIR };

/** The user's copy in `overrideDir` when it has one, else the built-in template. */
export async function loadTemplate(name: string, overrideDir?: string): Promise<TemplateSource> {
  const fileName = `${name}.md.hbs`;
  if (overrideDir) {
    const candidate = path.join(overrideDir, fileName);
    try {
      return { file: candidate, source: await fs.readFile(candidate, 'utf8') };
    } catch {
      // Not overridden: fall through to the built-in one.
    }
  }
  return {
    file: `templates/${fileName}`,
    source: await fs.readFile(path.join(TEMPLATES_DIR, fileName), 'utf8'),
  };
}

const BLOCK_HELPERS = new Set(['each', 'if', 'unless', 'with']);
/** Handlebars built-ins usable inline: `lookup` reads a field named by a value (a category's score). */
const INLINE_BUILTINS = new Set(['lookup']);
const env = Handlebars.create();
for (const [name, helper] of Object.entries(HELPERS)) env.registerHelper(name, helper);
const COMPILE_OPTIONS = {
  strict: true,
  knownHelpersOnly: true,
  knownHelpers: Object.fromEntries(HELPER_NAMES.map((n) => [n, true])),
} as const;

/**
 * Budgets that keep a heavy user template to its own document: its size, how deep its blocks
 * nest (Handlebars' parser recurses per level), how many `{{#each}}` iterations one render may run
 * (seven nested loops over every unit would be billions) and how long its output may grow.
 */
export const TEMPLATE_BUDGET = { sourceBytes: 512 * 1024, depth: 40, iterations: 1_000_000, outputChars: 20_000_000 } as const;

class BudgetExceeded extends Error {}

let iterations = 0;
const each = env.helpers['each'] as Handlebars.HelperDelegate;
env.registerHelper('each', function (this: unknown, context: unknown, options: Handlebars.HelperOptions) {
  const count = Array.isArray(context) ? context.length : context && typeof context === 'object' ? Object.keys(context).length : 0;
  iterations += count;
  if (iterations > TEMPLATE_BUDGET.iterations) throw new BudgetExceeded(`循环次数超过 ${TEMPLATE_BUDGET.iterations.toLocaleString('en-US')} 次（可能嵌套了过多的 {{#each}}）`);
  const out = each.call(this, context, options) as string;
  if (out.length > TEMPLATE_BUDGET.outputChars) throw new BudgetExceeded(`生成的内容超过 ${TEMPLATE_BUDGET.outputChars.toLocaleString('en-US')} 个字符`);
  return out;
});

/** A source past the size or nesting budget, located at its deepest block. */
function overBudget(template: TemplateSource): TemplateError | null {
  const bytes = Buffer.byteLength(template.source);
  if (bytes > TEMPLATE_BUDGET.sourceBytes) {
    return { file: template.file, line: 1, column: 1, message: `模板文件有 ${(bytes / 1024 / 1024).toFixed(1)} MB，超过 ${TEMPLATE_BUDGET.sourceBytes / 1024} KB 的上限，未生成该文件` };
  }
  let depth = 0;
  for (const tag of template.source.matchAll(/\{\{~?\s*([#/])/g)) {
    depth += tag[1] === '#' ? 1 : -1;
    if (depth > TEMPLATE_BUDGET.depth) {
      const before = template.source.slice(0, tag.index).split('\n');
      return { file: template.file, line: before.length, column: before[before.length - 1]!.length + 1, message: `块嵌套超过 ${TEMPLATE_BUDGET.depth} 层（{{#if}}、{{#each}} 等），未生成该文件` };
    }
  }
  return null;
}

export function renderTemplate(template: TemplateSource, data: object): RenderOutcome {
  const budget = overBudget(template);
  if (budget) return { ok: false, errors: [budget] };
  let ast: hbs.AST.Program;
  try {
    // Parsed once: compile takes this AST and applies the whitespace control it would have
    // applied to the source (the check reads no whitespace).
    ast = env.parseWithoutProcessing(template.source);
  } catch (error) {
    return { ok: false, errors: [syntaxError(template, error)] };
  }
  const errors = checkAgainstData(template.file, ast, data);
  if (errors.length > 0) return { ok: false, errors };
  const run = env.compile(ast, COMPILE_OPTIONS);
  const utils = Handlebars.Utils as { escapeExpression: (s: unknown) => string };
  const escape = utils.escapeExpression;
  try {
    // Values land inside Markdown, not HTML: escape what Markdown would read as syntax.
    // Rendering is synchronous, so swapping the escaper for the call cannot leak to others.
    utils.escapeExpression = escapeMarkdown;
    iterations = 0;
    return { ok: true, markdown: run(data) };
  } catch (error) {
    if (error instanceof BudgetExceeded) return { ok: false, errors: [{ file: template.file, line: 1, column: 1, message: `模板过于繁重：${error.message}，未生成该文件` }] };
    return { ok: false, errors: [runtimeError(template.file, error)] };
  } finally {
    utils.escapeExpression = escape;
  }
}

/** Every character escapeMarkdown changes: most values (names, numbers, dates) have none and are returned as they are. */
const MARKDOWN_UNSAFE = /[\u0000-\u001f\u007f\\`*_[\]<>|#~!&:{}]/;

/** Data text must not turn into Markdown structure: one line, punctuation escaped, no control characters. */
export function escapeMarkdown(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && value !== null && 'toHTML' in value) return String((value as { toHTML(): string }).toHTML());
  const text = String(value);
  if (!MARKDOWN_UNSAFE.test(text)) return text;
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/[\\`*_[\]<>|#~!&:{}]/g, (c) => `\\${c}`);
}

// ---------- errors from Handlebars ----------

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function syntaxError(template: TemplateSource, error: unknown): TemplateError {
  const message = messageOf(error);
  const mismatch = /^(\S+) doesn't match (\S+) - (\d+):(\d+)/.exec(message);
  if (mismatch) {
    const line = Number(mismatch[3]);
    const column = (template.source.split('\n')[line - 1] ?? '').indexOf(`{{#${mismatch[1]}`) + 1 || 1;
    return { file: template.file, line, column, message: `“{{#${mismatch[1]}}}”与“{{/${mismatch[2]}}}”不配对` };
  }
  if (/got 'EOF'/.test(message)) {
    const open = unclosedBlock(template.source);
    if (open) {
      return { file: template.file, line: open.line, column: open.column, message: `“{{#${open.name}}}”没有对应的“{{/${open.name}}}”` };
    }
  }
  const line = Number(/on line (\d+)/.exec(message)?.[1] ?? 1);
  const column = (template.source.split('\n')[line - 1] ?? '').indexOf('{{') + 1 || 1;
  return { file: template.file, line, column, message: '模板语法错误：请检查此行的 {{ }} 是否完整、成对' };
}

/** The innermost block opened and never closed, found by pairing `{{#x}}` and `{{/x}}` tags. */
function unclosedBlock(source: string): { name: string; line: number; column: number } | null {
  const stack: { name: string; index: number }[] = [];
  for (const tag of source.matchAll(/\{\{~?\s*([#/])\s*([^\s}~]+)/g)) {
    if (tag[1] === '#') stack.push({ name: tag[2]!, index: tag.index });
    else stack.pop();
  }
  const open = stack.pop();
  if (!open) return null;
  const before = source.slice(0, open.index).split('\n');
  return { name: open.name, line: before.length, column: before[before.length - 1]!.length + 1 };
}

function runtimeError(file: string, error: unknown): TemplateError {
  const e = error as { lineNumber?: number; column?: number };
  const message = messageOf(error);
  const field = /^"([^"]+)" not defined in/.exec(message);
  return {
    file,
    line: e.lineNumber ?? 1,
    column: (e.column ?? 0) + 1,
    message: field ? `未知字段“${field[1]}”` : `模板运行出错：${message.replace(/ - \d+:\d+$/, '')}`,
  };
}

// ---------- the AST walk ----------

/** Where a lookup cannot be checked (inside an empty list, below a null): trust the template. */
const UNKNOWN = Symbol('unknown');
type Value = unknown;

interface Scope {
  /** Context stack, innermost last; `../` climbs it. */
  contexts: Value[];
  root: Value;
}

function checkAgainstData(file: string, ast: hbs.AST.Program, data: object): TemplateError[] {
  const errors: TemplateError[] = [];
  const at = (loc: hbs.AST.SourceLocation, message: string) =>
    errors.push({ file, line: loc.start.line, column: loc.start.column + 1, message });

  const resolve = (p: hbs.AST.PathExpression, scope: Scope): Value => {
    if (p.data) {
      if (p.parts[0] !== 'root') return UNKNOWN;
      return follow(p, p.parts.slice(1), scope.root);
    }
    const base = scope.contexts[scope.contexts.length - 1 - p.depth];
    if (base === undefined) {
      at(p.loc, `“${p.original}”超出了上层范围`);
      return UNKNOWN;
    }
    return follow(p, p.parts, base);
  };

  const follow = (p: hbs.AST.PathExpression, parts: string[], start: Value): Value => {
    let value = start;
    for (const part of parts) {
      if (value === UNKNOWN || value === null || value === undefined) return UNKNOWN;
      if (typeof value !== 'object' || !(part in value)) {
        at(p.loc, `未知字段“${p.original}”`);
        return UNKNOWN;
      }
      value = (value as Record<string, Value>)[part];
    }
    return value;
  };

  const expression = (node: hbs.AST.Expression, scope: Scope): Value => {
    switch (node.type) {
      case 'PathExpression':
        return resolve(node as hbs.AST.PathExpression, scope);
      case 'SubExpression': {
        const sub = node as hbs.AST.SubExpression;
        call(sub.path, sub.params, sub.hash, scope);
        return UNKNOWN;
      }
      default:
        return (node as hbs.AST.Literal & { value?: unknown }).value;
    }
  };

  const call = (callee: hbs.AST.Expression, params: hbs.AST.Expression[], hash: hbs.AST.Hash | undefined, scope: Scope) => {
    const name = (callee as hbs.AST.PathExpression).original;
    if (!(name in HELPERS) && !BLOCK_HELPERS.has(name) && !INLINE_BUILTINS.has(name)) {
      at(callee.loc, `未知助手“${name}”（可用：${[...HELPER_NAMES, ...INLINE_BUILTINS].join('、')}）`);
    }
    for (const param of params) expression(param, scope);
    for (const pair of hash?.pairs ?? []) expression(pair.value, scope);
  };

  const program = (node: hbs.AST.Program | undefined, scope: Scope) => {
    for (const statement of node?.body ?? []) visit(statement, scope);
  };

  const withContext = (scope: Scope, context: Value): Scope => ({ ...scope, contexts: [...scope.contexts, context] });

  const visit = (node: hbs.AST.Node, scope: Scope): void => {
    switch (node.type) {
      case 'MustacheStatement': {
        const m = node as hbs.AST.MustacheStatement;
        if (m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0) call(m.path, m.params, m.hash, scope);
        else expression(m.path, scope);
        return;
      }
      case 'BlockStatement': {
        const b = node as hbs.AST.BlockStatement;
        const name = (b.path as hbs.AST.PathExpression).original;
        if (!BLOCK_HELPERS.has(name)) {
          at(b.path.loc, `未知块“{{#${name}}}”（可用：#each、#if、#unless、#with）`);
          return;
        }
        call(b.path, b.params, b.hash, scope);
        const subject = b.params[0] ? expression(b.params[0], scope) : UNKNOWN;
        if (name === 'each') program(b.program, withContext(scope, firstItem(subject)));
        else if (name === 'with') program(b.program, withContext(scope, subject ?? UNKNOWN));
        else program(b.program, scope);
        program(b.inverse, scope);
        return;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement':
      case 'DecoratorBlock':
      case 'Decorator':
        at(node.loc, '模板不支持局部模板和装饰器');
        return;
      default:
        return;
    }
  };

  program(ast, { contexts: [data], root: data });
  return errors;
}

/** `#each` over a list is checked against its first item: all items share one shape. */
function firstItem(subject: Value): Value {
  if (Array.isArray(subject)) return subject.length > 0 ? subject[0] : UNKNOWN;
  if (subject && typeof subject === 'object') return Object.values(subject)[0] ?? UNKNOWN;
  return UNKNOWN;
}
