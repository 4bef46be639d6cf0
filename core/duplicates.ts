// Several workbooks for one unit: the one rule `kaohe check` and `kaohe report` both apply. The
// copy stamped as submitted by the add-in (`_meta.submittedAt`) counts over any unstamped one,
// the later submission over the earlier; only between unstamped copies does the file's
// modification time decide. Every copy is told which one counted and why.
import type { CheckedWorkbook } from './aggregate.ts';
import type { Duplicate } from './results.ts';
import type { Problem, Severity, Submission, Unit } from './types.ts';

/** A workbook of another activity (check's `meta.plan`) must not count towards this year. */
const FOREIGN_CODES: ReadonlySet<string> = new Set(['meta.plan']);

/** A workbook of another activity: its one `meta.plan` error already says why it does not count. */
export function isForeign(w: CheckedWorkbook): boolean {
  return w.problems.some((p) => FOREIGN_CODES.has(p.code));
}

export function usable(w: CheckedWorkbook): w is CheckedWorkbook & { submission: Submission; unit: Unit } {
  return w.submission !== null && w.unit !== null && !isForeign(w);
}

interface Stamp {
  submitted: boolean;
  /** Not changed since it was submitted (check's `meta.modifiedAfterSubmit` absent). */
  intact: boolean;
  /** submittedAt for a submitted copy, else the file's mtime; −∞ when unknown. */
  time: number;
  shown: string;
}

function stampOf(w: CheckedWorkbook): Stamp {
  const at = w.submittedAt ?? w.submission?.meta?.submittedAt;
  const t = at ? Date.parse(at) : NaN;
  const intact = !w.problems.some((p) => p.code === MODIFIED_AFTER_SUBMIT);
  if (!Number.isNaN(t)) return { submitted: true, intact, time: t, shown: at! };
  return { submitted: false, intact, time: w.mtimeMs ?? Number.NEGATIVE_INFINITY, shown: '' };
}

/** The problem check gives a submitted workbook whose contents no longer match its stamp. */
const MODIFIED_AFTER_SUBMIT = 'meta.modifiedAfterSubmit';

/** Positive when `a` should count over `b`: submitted first, then the later time, then the copy left as submitted. */
function compare(a: Stamp, b: Stamp): number {
  if (a.submitted !== b.submitted) return a.submitted ? 1 : -1;
  if (a.time !== b.time) return a.time > b.time ? 1 : -1;
  if (a.submitted && a.intact !== b.intact) return a.intact ? 1 : -1;
  return 0;
}

const baseName = (file: string): string => file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);

/** Copies often share a name in different folders; then only the full path tells them apart. */
function nameOf(w: CheckedWorkbook, others: readonly CheckedWorkbook[]): string {
  const base = baseName(w.file);
  return `「${others.some((o) => o !== w && baseName(o.file) === base) ? w.file : base}」`;
}

const contentOf = (w: CheckedWorkbook): string | undefined => w.submission?.meta?.contentHash || undefined;

/** Why `used` counts over `other`, or null when nothing tells them apart and their contents differ. */
function reason(used: CheckedWorkbook, other: CheckedWorkbook, u: Stamp, o: Stamp, names: (w: CheckedWorkbook) => string): string | null {
  if (u.submitted && !o.submitted) return `${names(used)}已在加载项中提交（${u.shown}），${names(other)}未经提交`;
  if (u.submitted && u.time > o.time) return `${names(used)}的提交时间 ${u.shown} 晚于${names(other)}的 ${o.shown}`;
  if (!u.submitted && u.time > o.time) return `两份都未经加载项提交，${names(used)}的修改时间较晚`;
  if (u.submitted && u.intact && !o.intact) return `两份提交时间相同，${names(other)}提交后又被修改过，${names(used)}保持提交时的内容`;
  // Both as submitted under one stamp: the same contents, so either gives the same result.
  if (u.intact && o.intact && contentOf(used) !== undefined && contentOf(used) === contentOf(other)) return '两份内容相同';
  return null;
}

function duplicateProblem(w: CheckedWorkbook, severity: Severity, message: string): Problem {
  return { severity, code: 'duplicate-unit', file: w.file, message };
}

/**
 * Decides which copy counts for each unit with several, and adds to every copy a problem naming
 * the others. A tie that nothing settles (same time, different contents) is a 错误 on each copy:
 * the first given counts so the year still adds up, but the office must say which one is right.
 */
export function settleDuplicates(checked: readonly CheckedWorkbook[]): { checked: CheckedWorkbook[]; duplicates: Duplicate[] } {
  const byUnit = new Map<string, CheckedWorkbook[]>();
  for (const w of checked) {
    if (!usable(w)) continue;
    byUnit.set(w.unit.id, [...(byUnit.get(w.unit.id) ?? []), w]);
  }
  const added = new Map<CheckedWorkbook, Problem[]>();
  const duplicates: Duplicate[] = [];
  for (const copies of byUnit.values()) {
    if (copies.length < 2) continue;
    const stamps = new Map(copies.map((w) => [w, stampOf(w)]));
    // Stable: on equal stamps the first given counts, so the choice never depends on sort internals.
    const used = copies.reduce((a, b) => (compare(stamps.get(b)!, stamps.get(a)!) > 0 ? b : a));
    const ignored = copies.filter((w) => w !== used);
    const unit = used.unit!.name;
    const names = (w: CheckedWorkbook): string => nameOf(w, copies);
    const why = ignored.map((o) => reason(used, o, stamps.get(used)!, stamps.get(o)!, names));
    const undecided = why.some((r) => r === null);
    const severity: Severity = undecided ? '错误' : '提醒';
    const because = undecided
      ? '各份的提交时间相同而内容不同，无法判断以哪一份为准；请确认后只保留一份重新运行'
      : why.join('；');
    added.set(used, [
      duplicateProblem(used, severity, `同一单位（${unit}）报送了 ${copies.length} 份工作簿，本文件计入汇总，${ignored.map(names).join('、')}未计入：${because}`),
    ]);
    for (const o of ignored) {
      added.set(o, [duplicateProblem(o, severity, `同一单位（${unit}）报送了 ${copies.length} 份工作簿，以${names(used)}为准，本文件未计入：${because}`)]);
    }
    duplicates.push({ unitId: used.unit!.id, unitName: unit, used: used.file, ignored: ignored.map((w) => w.file) });
  }
  return {
    checked: checked.map((w) => (added.has(w) ? { ...w, problems: [...w.problems, ...added.get(w)!] } : w)),
    duplicates,
  };
}
