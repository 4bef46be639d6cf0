// The assessors' review stamp in a unit workbook's `_meta` (SPEC §11, §12): the add-in's review
// mode writes it, `kaohe report` trusts assessor cells only where it verifies. The seal is a hash
// keyed by the office's review password, so a unit that types into 考核组评分 or copies another
// workbook's stamp cannot make its own scores count.
import { sha256Hex } from './hash.ts';
import type { ScoreRow, WorkbookMeta } from './types.ts';

/** What the seal covers: the unit, the reviewer, the time, and every assessor cell by indicator. */
function sealedContent(unitId: string, reviewedBy: string, reviewedAt: string, scores: readonly ScoreRow[]): string {
  const cells = scores.map((s) => [s.indicatorId, s.review, s.reviewNote]);
  return JSON.stringify([unitId, reviewedBy, reviewedAt, cells]);
}

export function reviewSeal(
  password: string,
  unitId: string,
  reviewedBy: string,
  reviewedAt: string,
  scores: readonly ScoreRow[],
): string {
  return sha256Hex(`${password}\u0000${sealedContent(unitId, reviewedBy, reviewedAt, scores)}`);
}

export type ReviewStamp = 'sealed' | 'unsealed' | 'broken';

/**
 * 'sealed': the assessor cells are exactly what review mode stamped; 'unsealed': no stamp (or the
 * plan has no password to check it with); 'broken': a stamp that does not match, i.e. the assessor
 * cells changed after the review or the stamp was not made with the office's password.
 */
export function reviewStampOf(
  meta: WorkbookMeta | null,
  scores: readonly ScoreRow[],
  password: string | undefined,
): ReviewStamp {
  if (!meta?.reviewSeal || !meta.reviewedAt || password === undefined) return 'unsealed';
  const expected = reviewSeal(password, meta.unitId, meta.reviewedBy ?? '', meta.reviewedAt, scores);
  return expected === meta.reviewSeal ? 'sealed' : 'broken';
}
