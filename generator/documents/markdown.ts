// The documents' Markdown dialect, parsed with remark into a small tree the docx renderer lays out.
//   #  title              ## 一、 level        ### （一） level       #### 1. level
//   paragraphs, **bold**, lists, GFM tables
//   ::分页                                page break
//   ::主送[各科室、局属各单位：]             addressee (flush left, no indent)
//   ::附件说明[先进单位名单]                 one 附件 line; consecutive ones are numbered 1. 2. …
//   # 第一行<br>第二行                      a title; <br> forces a line break, otherwise lines break between words
//   ::版头{organ="…" number="…"}          版头: red 发文机关标志 (organ + 文件), 发文字号, red line
//   ::落款{organ="…" date="2011-12-31" sealed="true"}   issuing organ and date (sealed: 右空四字, room for the seal)
//   ::版记{抄送="…" 印发="…" date="…"}      版记 at the foot of the last page, an even one
//   ::图{name="grades"}                   a chart image (see charts.ts for the names)
//   ::表题[各单位考核结果]                   caption of the next table, numbered 表1, 表2 …
//   ::附件[附件1]                          new page, 附件 label at the top left
import remarkDirective from 'remark-directive';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { ListItem, PhrasingContent, Root, RootContent, Table } from 'mdast';
import type { LeafDirective, ContainerDirective, TextDirective } from 'mdast-util-directive';
import type { TemplateError } from './errors.ts';
import { FORCED_BREAK } from './title-lines.ts';
import type { TemplateSource } from './templates.ts';

export interface Span {
  text: string;
  bold?: boolean;
  italic?: boolean;
}

export type Block =
  | { kind: 'title'; spans: Span[] }
  /** 1 = 一、 (`##`), 2 = （一） (`###`), 3 = 1. (`####`); the renderer numbers them. */
  | { kind: 'heading'; level: 1 | 2 | 3; spans: Span[] }
  | { kind: 'paragraph'; spans: Span[] }
  | { kind: 'list'; ordered: boolean; items: Span[][] }
  | { kind: 'table'; header: Span[][]; rows: Span[][][] }
  | { kind: 'pageBreak' }
  | { kind: 'addressee'; text: string }
  | { kind: 'attachmentNote'; items: string[] }
  | { kind: 'header'; organ: string; number: string }
  | { kind: 'signature'; organ: string; date: string; sealed?: boolean }
  | { kind: 'colophon'; cc: string; printer: string; date: string }
  | { kind: 'figure'; name: string }
  | { kind: 'caption'; text: string }
  | { kind: 'attachment'; label: string };

export interface DocumentTree {
  blocks: Block[];
}

export type ParseOutcome = { ok: true; tree: DocumentTree } | { ok: false; errors: TemplateError[] };

export const DIRECTIVES = ['版头', '分页', '主送', '附件说明', '落款', '版记', '图', '表题', '附件'] as const;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const processor = unified().use(remarkParse).use(remarkGfm).use(remarkDirective);

/** Parses rendered Markdown; errors point into the template the Markdown came from. */
export function parseDocument(markdown: string, template: TemplateSource): ParseOutcome {
  const lifted = liftRows(markdown);
  if (lifted) {
    const outcome = parseTree(lifted.markdown, template, lifted);
    if (outcome) return outcome;
  }
  // Nothing lifted, or what was lifted did not come back as tables and list items: remark reads it all.
  return parseTree(markdown, template, null)!;
}

/**
 * The tree, or null when lifted rows did not all return as table rows and list items or something failed:
 * then the caller parses the original text, so errors always name lines of what was rendered.
 */
function parseTree(markdown: string, template: TemplateSource, lifted: LiftedRows | null): ParseOutcome | null {
  const root = processor.parse(markdown) as Root;
  let restored = 0;
  let restoredLists = 0;
  const errors: TemplateError[] = [];
  const blocks: Block[] = [];
  const fail = (node: RootContent, needle: string, message: string) =>
    errors.push(locate(template, markdown, node, needle, message));
  const textOf = (children: PhrasingContent[]) => spansOf(children, markdown).map((s) => s.text).join('');

  for (const node of root.children) {
    switch (node.type) {
      case 'heading': {
        const spans = spansOf(node.children, markdown);
        if (node.depth === 1) blocks.push({ kind: 'title', spans });
        else blocks.push({ kind: 'heading', level: Math.min(node.depth - 1, 3) as 1 | 2 | 3, spans });
        break;
      }
      case 'paragraph':
        blocks.push({ kind: 'paragraph', spans: spansOf(node.children, markdown) });
        break;
      case 'list':
        blocks.push({
          kind: 'list',
          ordered: node.ordered ?? false,
          items: node.children.flatMap((item) => {
            const run = liftedListItems(item, lifted);
            if (run) {
              restoredLists += 1;
              return run;
            }
            return [item.children.flatMap((child) => (child.type === 'paragraph' ? spansOf(child.children, markdown) : []))];
          }),
        });
        break;
      case 'table': {
        const block = tableBlock(node, markdown, lifted);
        if (!block) return null;
        if (block.restored) restored += 1;
        blocks.push(block.table);
        break;
      }
      case 'thematicBreak':
        break;
      case 'leafDirective':
      case 'containerDirective': {
        const block = directiveBlock(node, textOf, (message) => fail(node, `:${node.name}`, message));
        if (!block) break;
        const last = blocks[blocks.length - 1];
        if (block.kind === 'attachmentNote' && last?.kind === 'attachmentNote') last.items.push(...block.items);
        else blocks.push(block);
        break;
      }
      case 'code':
      case 'html':
        blocks.push({ kind: 'paragraph', spans: [{ text: node.value }] });
        break;
      default:
        fail(node, '', `不支持的 Markdown 写法（${node.type}）`);
    }
  }
  if (lifted && (restored !== lifted.tables.length || restoredLists !== lifted.lists.size || errors.length > 0)) return null;
  return errors.length > 0 ? { ok: false, errors } : { ok: true, tree: { blocks } };
}

function directiveBlock(
  node: LeafDirective | ContainerDirective,
  textOf: (children: PhrasingContent[]) => string,
  fail: (message: string) => void,
): Block | null {
  const attrs = node.attributes ?? {};
  const label =
    node.type === 'leafDirective'
      ? textOf(node.children)
      : node.children.flatMap((c) => (c.type === 'paragraph' ? [textOf(c.children)] : [])).join('');
  const need = (key: string): string => {
    const value = attrs[key];
    if (value === null || value === undefined || value === '') {
      fail(`指令“${node.name}”缺少属性 ${key}`);
      return '';
    }
    return value;
  };
  const date = (key: string): string => {
    const value = need(key);
    if (value && !ISO_DATE.test(value)) fail(`指令“${node.name}”的 ${key} 应为 YYYY-MM-DD，现为“${value}”`);
    return value;
  };
  switch (node.name) {
    case '分页':
      return { kind: 'pageBreak' };
    case '主送':
      return { kind: 'addressee', text: label };
    case '附件说明':
      return { kind: 'attachmentNote', items: [label] };
    case '版头':
      return { kind: 'header', organ: need('organ'), number: attrs['number'] ?? '' };
    case '落款':
      return { kind: 'signature', organ: need('organ'), date: date('date'), sealed: attrs['sealed'] === 'true' };
    case '版记':
      return { kind: 'colophon', cc: attrs['抄送'] ?? '', printer: need('印发'), date: date('date') };
    case '图':
      return { kind: 'figure', name: need('name') };
    case '表题':
      return { kind: 'caption', text: label };
    case '附件':
      return { kind: 'attachment', label: label || '附件' };
    default:
      fail(`未知指令“${node.name}”（可用：${DIRECTIVES.join('、')}）`);
      return null;
  }
}

/**
 * A table; if its first body row is a lift marker, the lifted rows stand in its place (rows
 * remark found after the marker follow them). Null when a lifted row cannot be read.
 */
function tableBlock(node: Table, markdown: string, lifted: LiftedRows | null): { table: Block; restored: boolean } | null {
  const cells = node.children.map((row) => row.children.map((cell) => spansOf(cell.children, markdown)));
  const marker = cells[1]?.[0]?.[0]?.text ?? '';
  const index = lifted && cells[1]?.length === 1 && cells[1][0]!.length === 1 ? lifted.markers.indexOf(marker) : -1;
  if (index < 0) return { table: { kind: 'table', header: cells[0] ?? [], rows: cells.slice(1) }, restored: false };
  const rows = liftedTableRows(lifted!.tables[index]!);
  if (!rows) return null;
  return { table: { kind: 'table', header: cells[0] ?? [], rows: [...rows, ...cells.slice(2)] }, restored: true };
}

// ---------- table rows and list items read without remark ----------
// micromark's time grows much faster than a table's size (a 1,000-row table took seconds), so
// the body rows of each table are lifted out before parsing and read one row at a time: a row of
// plain text is split at its pipes, any other row is parsed by remark under its own header.
// Lists cost it too (a 360-item list of measures, 300 ms): a run of one-line items of plain text
// is lifted and stands as one item, whose items are their texts.

interface LiftedTable {
  header: string;
  delimiter: string;
  rows: string[];
}

interface LiftedRows {
  markdown: string;
  markers: string[];
  tables: LiftedTable[];
  /** The marker standing in for each run of list items, and the items' texts. */
  lists: Map<string, string[]>;
}

const MARKER = '\uE000';
/**
 * A list item of one line of plain text: `1. ` or `1) ` or a bullet, one space, and text that
 * starts with a non-ASCII character, or figures and then one (805台), so no block starts inside
 * the item; that holds nothing inline Markdown could read as more than text; ending in no space.
 */
const LIST_ITEM = /^(\d{1,9}[.)]|[-*+]) (\d*[^\x00-\x7f\s][^\x00-\x1f\x7f\\`*_[\]<>&!~:{}@|]*)(?<!\s)$/;
const listItem = (line: string) => (/www\./i.test(line) ? null : LIST_ITEM.exec(line));
/** `1.` and `2.` continue one list, as do `-` and `-`; `1)` after `1.`, or `+` after `-`, starts another. */
const sameList = (a: string, b: string): boolean => (/\d/.test(a) ? /\d/.test(b) && a.at(-1) === b.at(-1) : a === b);
const DELIMITER_ROW = /^\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t\r]*$/;
/**
 * Anything inline Markdown could read as more than text: escapes, emphasis, code, links,
 * autolinks, HTML, entities, directives; and NUL, which micromark reads as U+FFFD.
 */
const INLINE_SYNTAX = /[\\`*_[\]<>&!~:{}@\t\r\0]|www\./i;
/** A link reference definition anywhere could give meaning to brackets in a row read alone. */
const DEFINITION = /^[ ]{0,3}\[[^\]]*\]:/m;

function liftRows(markdown: string): LiftedRows | null {
  if (markdown.includes(MARKER) || DEFINITION.test(markdown)) return null;
  const lines = markdown.split('\n');
  const out: string[] = [];
  const markers: string[] = [];
  const tables: LiftedTable[] = [];
  const lists = new Map<string, string[]>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const item = listItem(line);
    if (item) {
      const texts = [item[2]!];
      for (let next = listItem(lines[i + 1] ?? ''); next && sameList(item[1]!, next[1]!); next = listItem(lines[i + 1] ?? '')) {
        texts.push(next[2]!);
        i += 1;
      }
      // The first line's own marker keeps what it meant there (a list may interrupt a paragraph only from 1.).
      const marker = `${MARKER}L${lists.size}${MARKER}`;
      lists.set(marker, texts);
      out.push(`${item[1]} ${marker}`);
      continue;
    }
    const delimiter = lines[i + 1];
    if (!line.startsWith('|') || delimiter === undefined || !DELIMITER_ROW.test(delimiter)) {
      out.push(line);
      continue;
    }
    let end = i + 2;
    while (end < lines.length && lines[end]!.startsWith('|')) end++;
    const marker = `${MARKER}${tables.length}${MARKER}`;
    markers.push(marker);
    tables.push({ header: line, delimiter, rows: lines.slice(i + 2, end) });
    out.push(line, delimiter, `| ${marker} |`);
    i = end - 1;
  }
  return tables.length > 0 || lists.size > 0 ? { markdown: out.join('\n'), markers, tables, lists } : null;
}

/**
 * The items a list item stands for when it is a lift marker and nothing else (then each item
 * is its text), else null. Should remark read the marker's line differently from the lines it
 * stands for (inside code or HTML, or continued by a lazy line), it never comes back so.
 */
function liftedListItems(item: ListItem, lifted: LiftedRows | null): Span[][] | null {
  const paragraph = item.children.length === 1 ? item.children[0] : undefined;
  const text = paragraph?.type === 'paragraph' && paragraph.children.length === 1 ? paragraph.children[0] : undefined;
  const texts = text?.type === 'text' ? lifted?.lists.get(text.value) : undefined;
  return texts ? texts.map((t) => [{ text: t }]) : null;
}

function liftedTableRows(table: LiftedTable): Span[][][] | null {
  const rows: Span[][][] = [];
  const columns = splitRow(table.header).length;
  for (const row of table.rows) {
    const cells = (!INLINE_SYNTAX.test(row) && plainCells(row, columns)) || rowByRemark(table, row);
    if (!cells) return null;
    rows.push(cells);
  }
  return rows;
}

/** `| a | b |` → ` a `, ` b `: the outer pipes are optional. */
function splitRow(row: string): string[] {
  let body = row.replace(/ +$/, '').slice(1);
  if (body.endsWith('|')) body = body.slice(0, -1);
  return body.split('|');
}

/** Cells of a row of plain text, spaces around each cell dropped as GFM does; null for a ragged row, left to remark. */
function plainCells(row: string, columns: number): Span[][] | null {
  const cells = splitRow(row);
  if (cells.length !== columns) return null;
  return cells.map((cell) => {
    const text = cell.replace(/^ +| +$/g, '');
    return text ? [{ text }] : [];
  });
}

function rowByRemark(table: LiftedTable, row: string): Span[][] | null {
  const markdown = `${table.header}\n${table.delimiter}\n${row}`;
  const node = (processor.parse(markdown) as Root).children[0];
  if (node?.type !== 'table' || node.children.length !== 2) return null;
  return node.children[1]!.children.map((cell) => spansOf(cell.children, markdown));
}

/** Inline content as styled spans. Soft line breaks vanish: Chinese joins lines without a space. */
function spansOf(children: PhrasingContent[], markdown: string, style: Omit<Span, 'text'> = {}): Span[] {
  const out: Span[] = [];
  for (const child of children) {
    switch (child.type) {
      case 'text':
        out.push({ ...style, text: child.value.replace(/\s*\n\s*/g, '') });
        break;
      case 'strong':
        out.push(...spansOf(child.children, markdown, { ...style, bold: true }));
        break;
      case 'emphasis':
        out.push(...spansOf(child.children, markdown, { ...style, italic: true }));
        break;
      case 'delete':
      case 'link':
        out.push(...spansOf(child.children, markdown, style));
        break;
      case 'html':
        // <br> is the forced line break of a title; other HTML stays as written.
        out.push({ ...style, text: /^<br\s*\/?>$/i.test(child.value) ? FORCED_BREAK : child.value });
        break;
      case 'inlineCode':
        out.push({ ...style, text: child.value });
        break;
      case 'textDirective':
        // Not part of the dialect: `时间 8:30` must stay text, so give back what was written.
        out.push({ ...style, text: sourceOf(child, markdown) });
        break;
      default:
        break;
    }
  }
  return out;
}

function sourceOf(node: TextDirective, markdown: string): string {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  return start === undefined || end === undefined ? `:${node.name}` : markdown.slice(start, end);
}

/**
 * Markdown lines are lines of the rendered output, not of the template. A directive is usually
 * written literally in the template, so find it there; otherwise name the output line.
 */
function locate(template: TemplateSource, markdown: string, node: RootContent, needle: string, message: string): TemplateError {
  const lines = template.source.split('\n');
  if (needle) {
    for (let i = 0; i < lines.length; i++) {
      let column = lines[i]!.indexOf(needle);
      if (column < 0) continue;
      while (column > 0 && lines[i]![column - 1] === ':') column -= 1;
      return { file: template.file, line: i + 1, column: column + 1, message };
    }
  }
  const line = node.position?.start.line ?? 1;
  const text = markdown.split('\n')[line - 1] ?? '';
  return { file: template.file, line: 1, column: 1, message: `${message}（生成文本第 ${line} 行：${text.slice(0, 40)}）` };
}
