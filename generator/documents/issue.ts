// How each issued document is headed and closed: the plan's `documents:` settings over each
// kind's defaults (版头 on the 决定 and the 公示, sealed 落款 and 版记 on the 决定).
import type { YearResults } from '../../core/results.ts';
import type { IssueSettings } from '../../core/types.ts';

export type IssuedKind = 'decision' | 'notice' | 'report';

const DEFAULTS: Record<IssuedKind, Required<Omit<IssueSettings, 'number'>>> = {
  decision: { header: true, sealed: true, colophon: true },
  notice: { header: true, sealed: false, colophon: false },
  report: { header: false, sealed: false, colophon: false },
};

/** What a template sees as `issue`: every field present, so strict templates can test any of them. */
export interface IssueData extends Required<IssueSettings> {
  /** 抄送 joined with 、 (empty when the plan names none). */
  cc: string;
  /** 印发机关. */
  printer: string;
}

/** `number` (from `kaohe report --number`) wins over the plan's 文号 for the 决定. */
export function issueData(kind: IssuedKind, results: YearResults, number?: string): IssueData {
  const documents = results.documents ?? {};
  const own: IssueSettings = documents[kind] ?? {};
  return {
    ...DEFAULTS[kind],
    ...own,
    number: (kind === 'decision' ? number : undefined) ?? own.number ?? '',
    cc: (documents.cc ?? []).join('，'),
    printer: documents.printer ?? `${results.activity.organ}办公室`,
  };
}
