// What both hosts' builds bundle as the pane's plan (addin/ui/boot.ts imports templates/plan.yaml).

import { parseDocument } from 'yaml';

/**
 * The pane bundles the plan it checks against. The office's review password (`review.password`)
 * must never ship to the units' desks inside that bundle, so the build drops the `review` key; the
 * pane never needs it (the spreadsheet program itself checks the password when review mode
 * unprotects a sheet).
 */
export function planForPane(text: string): string {
  const doc = parseDocument(text);
  if (!doc.has('review')) return text;
  doc.delete('review');
  return doc.toString();
}

