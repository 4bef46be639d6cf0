// One document: template → Markdown → tree → .docx, stopping at the first stage that has errors.
import type { DocumentOutcome, TemplateError } from './errors.ts';
import { renderDocx, type Figure, type RenderOptions } from './docx.ts';
import { parseDocument } from './markdown.ts';
import { loadTemplate, renderTemplate } from './templates.ts';

export interface DocumentOptions {
  /** A folder of the user's templates; each file missing there falls back to the built-in one. */
  templatesDir?: string;
}

export async function buildDocument(
  name: string,
  data: object,
  options: DocumentOptions,
  figures: Record<string, Figure> = {},
  layout: Pick<RenderOptions, 'pageNumbers'> = {},
): Promise<DocumentOutcome> {
  const template = await loadTemplate(name, options.templatesDir);
  const rendered = renderTemplate(template, data);
  if (!rendered.ok) return rendered;
  const parsed = parseDocument(rendered.markdown, template);
  if (!parsed.ok) return parsed;
  const errors: TemplateError[] = [];
  for (const block of parsed.tree.blocks) {
    if (block.kind === 'figure' && !(block.name in figures)) {
      const at = template.source.indexOf(block.name);
      const before = template.source.slice(0, Math.max(at, 0)).split('\n');
      errors.push({
        file: template.file,
        line: at < 0 ? 1 : before.length,
        column: at < 0 ? 1 : before[before.length - 1]!.length + 1,
        message: `未知图表“${block.name}”（可用：${Object.keys(figures).join('、') || '本文件不插入图表'}）`,
      });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, docx: await renderDocx(parsed.tree, { ...layout, title: name, figures }) };
}
