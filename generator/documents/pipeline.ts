// One document: template → Markdown → tree → .docx, stopping at the first stage that has errors.
import type { DocumentOutcome, TemplateError } from './errors.ts';
import { renderDocx, type Figure, type RenderOptions } from './docx.ts';
import { parseDocument } from './markdown.ts';
import { loadTemplate, renderTemplate, type TemplateSource } from './templates.ts';

export interface DocumentOptions {
  /** A folder of the user's templates; each file missing there falls back to the built-in one. */
  templatesDir?: string;
  /** 发文字号 of the 决定 from `kaohe report --number`, over the plan's. */
  number?: string;
}

/** The charts a document offers; drawn only when its template places one. */
export interface FigureSource {
  names: readonly string[];
  draw: () => Record<string, Figure>;
}

const NO_FIGURES: FigureSource = { names: [], draw: () => ({}) };

export async function buildDocument(
  name: string,
  data: object,
  options: DocumentOptions,
  figures: FigureSource = NO_FIGURES,
  layout: Pick<RenderOptions, 'profile'> = {},
): Promise<DocumentOutcome> {
  let template: TemplateSource = { file: `templates/${name}.md.hbs`, source: '' };
  try {
    template = await loadTemplate(name, options.templatesDir);
    const rendered = renderTemplate(template, data);
    if (!rendered.ok) return rendered;
    const parsed = parseDocument(rendered.markdown, template);
    if (!parsed.ok) return parsed;
    const placed = parsed.tree.blocks.flatMap((b) => (b.kind === 'figure' ? [b.name] : []));
    const unknown = placed.filter((n) => !figures.names.includes(n)).map((n) => unknownFigure(template, n, figures.names));
    if (unknown.length > 0) return { ok: false, errors: unknown };
    const drawn = placed.length > 0 ? figures.draw() : {};
    const activity = (data as { activity?: { organ: string; name: string } }).activity;
    const phrases = activity ? [activity.organ, activity.name] : [];
    return { ok: true, docx: await renderDocx(parsed.tree, { ...layout, title: name, figures: drawn, phrases }) };
  } catch (error) {
    // A missing template file or a failure below us spoils this document only, never the batch.
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [{ file: template.file, line: 1, column: 1, message: `无法生成“${name}”：${message}` }] };
  }
}

function unknownFigure(template: TemplateSource, name: string, known: readonly string[]): TemplateError {
  const at = template.source.indexOf(name);
  const before = template.source.slice(0, Math.max(at, 0)).split('\n');
  return {
    file: template.file,
    line: at < 0 ? 1 : before.length,
    column: at < 0 ? 1 : before[before.length - 1]!.length + 1,
    message: `未知图表“${name}”（可用：${known.join('、') || '本文件不插入图表'}）`,
  };
}
