// Text inside the parts of an Office Open XML package. Each writer here is held byte-equal to the
// library it replaces, and the libraries drop slightly different control characters, so each
// passes its own set; the markup characters are escaped alike by all of them.
const ENTITIES: Record<string, string> = { '&': '&amp;', '"': '&quot;', "'": '&apos;', '<': '&lt;', '>': '&gt;' };

/**
 * An escaper: the five markup characters as entities, the characters of `dropped` (the body of a
 * regular-expression character class) removed. Text with none of them — most cells — is returned
 * as it is, without a replace.
 */
export function xmlTextEscaper(dropped: string): (text: string) => string {
  const any = new RegExp(`[&"'<>${dropped}]`);
  const all = new RegExp(any.source, 'g');
  return (text) => (any.test(text) ? text.replace(all, (c) => ENTITIES[c] ?? '') : text);
}
