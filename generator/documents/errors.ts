// Template problems are values with a location, so a user editing a template sees every mistake
// at once as `file:line:column message` instead of a stack trace.

export interface TemplateError {
  /** The template's path as the user knows it, e.g. `templates/表彰决定.md.hbs`. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  message: string;
}

export function formatTemplateError(error: TemplateError): string {
  return `${error.file}:${error.line}:${error.column} ${error.message}`;
}

/** A document that could not be produced, or the document's bytes. */
export type DocumentOutcome = { ok: true; docx: Buffer } | { ok: false; errors: TemplateError[] };
