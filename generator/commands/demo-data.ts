// Realistic filled workbooks for a plan's units, for `kaohe demo`: made through the same
// workbook code as `kaohe workbooks` and filled as units would fill them. Seeded, so every
// run gives the same year: a spread of strong and weak units, one veto, verified complaints,
// a late key task and one unit that hands nothing in.
import path from 'node:path';
import { pickWorkbooks } from '../../core/aggregate.ts';
import { addDays, calendarOf } from '../../core/calendar.ts';
import { unitWorkbookContent } from '../../core/blank.ts';
import { scoreSheetContent, type AssessorEntry } from '../../core/scoresheet.ts';
import { checkFiles } from '../batch/check-pool.ts';
import { buildScoreSheetWorkbook, saveScoreSheet } from '../xlsx/scoresheet.ts';
import { indicatorsFor, tasksOfUnit } from '../../core/plan-lookup.ts';
import type { IsoDate, Plan, Unit } from '../../core/types.ts';
import { unitWorkbookFileName } from '../files/paths.ts';
import { fillUnitWorkbook } from '../xlsx/workbook-fill.ts';
import type { FillRow, UnitFill } from '../xlsx/workbook-fill.ts';
import { buildUnitWorkbook, saveUnitWorkbook } from '../xlsx/unit-workbook.ts';

/** mulberry32: tiny, fast, good enough to vary demo data reproducibly. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Dice {
  constructor(private readonly next: () => number) {}
  float(min: number, max: number): number {
    return min + (max - min) * this.next();
  }
  int(min: number, max: number): number {
    return Math.floor(this.float(min, max + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** `n` distinct items in random order. */
  sample<T>(items: readonly T[], n: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]!);
    return out;
  }
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '罗', '梁'];
const GIVEN = ['建国', '志强', '秀英', '海燕', '文华', '丽娟', '春生', '国庆', '晓东', '红梅', '卫东', '玉兰', '立新', '桂芳', '明', '静', '军', '敏', '涛', '燕'];
const POSTS: Record<Unit['kind'], readonly string[]> = {
  department: ['科长', '副科长', '主任科员', '科员'],
  subordinate: ['记者', '编辑', '工程师', '部门主任', '技术员', '播音员'],
  county: ['副局长', '股长', '科员', '技术员'],
};

const COMPLAINT_MATTERS = [
  '来电反映办事窗口工作人员服务态度生硬，解释政策不耐心',
  '来信反映有线电视报装手续办理拖拉，多次往返未办结',
  '来访反映相关科室之间相互推诿，事项久拖不决',
  '网络留言反映工作人员上班时间迟到早退、窗口无人',
  '来电反映有线电视信号故障报修后长时间无人上门处理',
  '来信反映行政审批所需材料未一次性告知，群众多跑路',
  '来电反映收视费收取标准不清楚，咨询后未得到答复',
];
const COMPLAINT_RESULTS = [
  '已约谈当事人并当面向投诉人致歉，投诉人表示满意',
  '经调查核实，已督促承办科室限期办结并电话回复投诉人',
  '已安排技术人员上门处理，信号恢复正常，回访满意',
  '已向投诉人书面说明政策依据和办理流程',
  '经核查情况不属实，已向投诉人说明情况',
];
const VERIFIED_MEASURES = [
  '对当事人进行诫勉谈话，在全局通报批评，扣发当月效能奖',
  '责令当事人作出书面检查，取消年度评先资格',
  '对责任科室负责人进行约谈，修订窗口服务规范并组织全员学习',
];
const PROBLEMS: { text: string; cause: string; measures: string }[] = [
  { text: '个别人员存在迟到、早退现象', cause: '考勤制度执行不严，监督检查不经常', measures: '实行指纹考勤，每月通报考勤情况，与效能奖挂钩' },
  { text: '窗口工作人员服务态度有时生硬', cause: '服务意识不强，文明用语培训不够', measures: '开展文明服务培训，推行服务承诺制和群众评议' },
  { text: '部门之间协调还不到位，合作意识不够', cause: '职责分工不够明晰，缺乏沟通协调机制', measures: '建立周例会和联席会议制度，明确牵头和配合责任' },
  { text: '办事效率不高，个别事项办理拖拉', cause: '办事流程环节多，限时办结制落实不到位', measures: '精简办事环节，公开办理时限，逾期实行责任追究' },
  { text: '政务公开内容更新不及时', cause: '公开工作无专人负责', measures: '明确专人负责，每月更新公开栏和网站信息' },
  { text: '首问负责制落实不到位，存在推诿现象', cause: '制度宣传不够，考核不严', measures: '重新修订首问负责制，设立监督电话' },
  { text: '项目建设推进缓慢，前期工作准备不足', cause: '项目论证不充分，资金和手续衔接不及时', measures: '实行项目责任制，倒排工期，每月调度' },
  { text: '学习制度坚持不经常，学习效果不明显', cause: '工作任务重，学习时间难以保证', measures: '每周五下午集中学习，建立学习笔记检查制度' },
];
const OTHER_RULES: { name: string; category: string }[] = [
  { name: '岗位职责规范', category: '岗位责任制' },
  { name: '服务承诺制度', category: '服务承诺制' },
  { name: '政务公开办事制度', category: '公开办事制' },
  { name: '重大事项集体决策制度', category: '民主决策制' },
  { name: '绩效考核办法', category: '绩效考核制' },
  { name: '考勤管理办法', category: '其他' },
];
const TASK_NOTES = {
  done: ['已按计划完成，形成正式文件印发执行', '已完成并通过局党组审定，相关材料已归档', '方案已制定实施，取得明显成效'],
  partial: ['正在推进中，已完成主要环节，剩余工作年底前完成', '已完成初稿，正在征求意见修改', '已启动实施，部分事项因资金未到位推迟'],
};
const GOOD_PRACTICES = ['推行“一站式”服务和限时办结，群众满意度明显提升', '建立项目周调度制度，项目推进有力', '开辟效能建设专题专栏，跟踪报道典型经验'];

/** The special cases the demo year must show, chosen from the plan so any plan gets them. */
interface DemoRoles {
  missing: string;
  veto: string;
  unreviewed: string;
  verified: Set<string>;
  strong: Set<string>;
  weak: Set<string>;
  lateTask: string | undefined;
}

function chooseRoles(plan: Plan, dice: Dice): DemoRoles {
  const ofKind = (kind: Unit['kind']) => plan.units.filter((u) => u.kind === kind).map((u) => u.id);
  const counties = ofKind('county');
  const subordinates = ofKind('subordinate');
  const departments = ofKind('department');
  const ids = plan.units.map((u) => u.id);
  const missing = counties[counties.length - 1] ?? ids[ids.length - 1]!;
  const rest = ids.filter((id) => id !== missing);
  const veto = subordinates[Math.min(3, subordinates.length - 1)] ?? rest[rest.length - 1]!;
  const strong = new Set([departments[0], subordinates[0], counties[0], subordinates[5], departments[3]].filter((x): x is string => !!x && x !== veto));
  const weakOther = dice.pick(rest.filter((id) => id !== veto && !strong.has(id)));
  // The earliest task's lead finishes it late, the case the seed's "3月底前" deadline invites.
  const lateTask = [...plan.keyTasks].sort((a, b) => (a.deadline < b.deadline ? -1 : 1))[0]?.id;
  const unreviewed = departments[departments.length - 1] ?? rest[0]!;
  return { missing, veto, unreviewed, verified: new Set([veto, weakOther]), strong, weak: new Set([veto, weakOther]), lateTask };
}

const round1 = (x: number) => Math.round(x * 2) / 2;
const person = (dice: Dice) => dice.pick(SURNAMES) + dice.pick(GIVEN);

function infoFill(dice: Dice, plan: Plan, unit: Unit, q: number): FillRow {
  const deadline = plan.activity.handInDeadline;
  const late = q < 0.6;
  const mobilisation = plan.phases.find((p) => p.id === 'mobilisation');
  return {
    head: person(dice),
    filler: person(dice),
    phone: `0791-8${String(dice.int(1000000, 9999999))}`,
    planHandedIn: late ? addDays(deadline, dice.int(3, 12)) : addDays(deadline, -dice.int(0, 10)),
    standardHandedIn: addDays(deadline, late ? dice.int(1, 8) : -dice.int(0, 6)),
    mobilisationMeeting: addDays(mobilisation?.start ?? deadline, dice.int(5, 15)),
    studySessions: q > 0.85 ? dice.int(5, 10) : dice.int(2, 5),
    participants: unit.kind === 'department' ? dice.int(6, 18) : dice.int(25, 140),
    reports: unit.kind === 'subordinate' ? dice.int(3, 30) : 0,
  };
}

function keyTaskFills(dice: Dice, plan: Plan, unit: Unit, q: number, roles: DemoRoles): Record<string, FillRow> {
  const out: Record<string, FillRow> = {};
  for (const { task, role } of tasksOfUnit(plan, unit.id)) {
    const late = task.id === roles.lateTask && role === '牵头';
    const done = late || q > 0.75 || dice.chance(0.5);
    const actual: IsoDate | null = late ? calendarOf(plan).addWorkingDays(task.deadline, 11) : done ? addDays(task.deadline, -dice.int(2, 40)) : null;
    out[task.id] = {
      actual,
      progress: done ? 100 : dice.pick([50, 60, 70, 80, 90]),
      status: late ? '受项目资金批复滞后影响，可行性方案于4月中旬完成并报局党组审定' : dice.pick(done ? TASK_NOTES.done : TASK_NOTES.partial),
      evidence: done ? `${unit.name}关于${task.name}的报告` : '',
    };
  }
  return out;
}

/** What the unit types into 考核评分 and what the 考核组 types into the score sheet, drawn together. */
interface ScoreFills {
  unit: Record<string, FillRow>;
  assessors: Record<string, AssessorEntry>;
}

function scoreFills(dice: Dice, plan: Plan, unit: Unit, q: number, roles: DemoRoles): ScoreFills {
  const out: ScoreFills = { unit: {}, assessors: {} };
  const reviewed = unit.id !== roles.unreviewed;
  const assess = (id: string, review: number | boolean, reviewNote: string): void => {
    if (reviewed) out.assessors[id] = { row: 0, review, reviewNote };
  };
  for (const ind of indicatorsFor(plan, unit.id)) {
    if (ind.method === 'self') {
      const self = Math.min(ind.maxPoints, round1(ind.maxPoints * Math.min(1, q + dice.float(-0.04, 0.08))));
      const review = Math.max(0, round1(self - dice.float(0, ind.maxPoints * 0.15)));
      out.unit[ind.id] = { self, selfNote: self >= ind.maxPoints * 0.9 ? '各项要求均已落实，台账资料齐全' : '基本落实，个别环节有待加强' };
      assess(ind.id, review, review < self ? '佐证材料不够完整，酌情扣分' : '经查阅资料，情况属实');
    } else if (ind.method === 'bonus' && reviewed && roles.strong.has(unit.id)) {
      assess(ind.id, Math.min(ind.maxPoints, dice.int(1, 3)), dice.pick(GOOD_PRACTICES));
    } else if (ind.method === 'veto') {
      const vetoed = unit.id === roles.veto;
      out.unit[ind.id] = { self: '否' };
      assess(ind.id, vetoed, vetoed ? '发生工作人员违规收费并经查实，造成不良影响' : '');
    }
  }
  return out;
}

function complaintFills(dice: Dice, plan: Plan, unit: Unit, index: number, roles: DemoRoles): FillRow[] {
  const verified = roles.verified.has(unit.id);
  const count = verified ? dice.int(2, 4) : dice.int(0, 3);
  const implementation = plan.phases.find((p) => p.id === 'implementation');
  const start = implementation?.start ?? `${plan.activity.year}-03-01`;
  const rows: FillRow[] = [];
  for (let n = 0; n < count; n++) {
    // One complaint each year lands just before National Day, where the working-day count matters.
    const received = n === 0 && index % 5 === 2 ? `${plan.activity.year}-09-28` : addDays(start, dice.int(0, 230));
    const slow = dice.chance(0.15);
    const replied = calendarOf(plan).addWorkingDays(received, slow ? dice.int(16, 25) : dice.int(2, 12));
    // Strong units keep a clean record, so the commendation lists are never empty.
    const verification = verified && n === 0 ? '查实' : roles.strong.has(unit.id) ? '不属实' : dice.pick(['不属实', '不属实', '部分属实', '不属实']);
    rows.push({
      id: `TS${plan.activity.year}-${String(index + 1).padStart(2, '0')}${String(n + 1).padStart(2, '0')}`,
      received,
      channel: dice.pick(['来信', '来电', '来访', '网络', '来电']),
      complainant: dice.chance(0.4) ? '匿名' : `${dice.pick(SURNAMES)}先生`,
      matter: dice.pick(COMPLAINT_MATTERS),
      handler: person(dice),
      dueBy: null,
      replied,
      result: verification === '不属实' ? '经核查情况不属实，已向投诉人说明情况' : dice.pick(COMPLAINT_RESULTS.slice(0, 4)),
      verification,
      measures: verification === '不属实' ? '' : dice.pick(VERIFIED_MEASURES),
    });
  }
  return rows;
}

function problemFills(dice: Dice, plan: Plan, q: number): FillRow[] {
  const end = plan.phases.find((p) => p.id === 'implementation')?.end ?? `${plan.activity.year}-10-31`;
  return dice.sample(PROBLEMS, dice.int(2, 5)).map((p, i) => ({
    seq: String(i + 1),
    source: dice.pick(['领导点', '自身找', '群众提']),
    description: p.text,
    cause: p.cause,
    measures: p.measures,
    owner: person(dice),
    dueBy: addDays(end, -dice.int(0, 150)),
    status: dice.chance(q) ? '已整改' : dice.pick(['整改中', '整改中', '未整改']),
  }));
}

function ruleFills(dice: Dice, plan: Plan, unit: Unit, q: number): FillRow[] {
  const three = [
    { name: '首问负责制实施办法', category: '首问负责制' },
    { name: '限时办结制实施办法', category: '限时办结制' },
    { name: '责任追究制实施办法', category: '责任追究制' },
  ];
  // A weak unit sometimes still lacks one of the three rules, which the report must show.
  const kept = q < 0.6 ? three.slice(0, 2) : three;
  const rules = [...kept, ...dice.sample(OTHER_RULES, dice.int(1, 3))];
  const year = plan.activity.year;
  const rows: FillRow[] = rules.map((r, i) => ({
    seq: String(i + 1),
    name: `${unit.name}${r.name}`,
    category: r.category,
    action: dice.pick(['新建', '完善', '完善', '保留']),
    done: `${year}-${String(dice.int(3, 10)).padStart(2, '0')}-${String(dice.int(1, 28)).padStart(2, '0')}`,
    docNumber: `${unit.name.slice(0, 2)}字〔${year}〕${dice.int(1, 40)}号`,
  }));
  if (dice.chance(0.3)) {
    rows.push({ seq: String(rows.length + 1), name: `${unit.name}原值班补贴发放规定`, category: '其他', action: '撤销', done: `${year}-06-30`, docNumber: '' });
  }
  return rows;
}

function nominationFills(dice: Dice, unit: Unit, roles: DemoRoles): FillRow[] {
  const rows: FillRow[] = [];
  if (roles.strong.has(unit.id)) {
    rows.push({
      category: unit.kind === 'department' ? '先进科室' : '先进单位',
      nominee: unit.name,
      unitAndPost: unit.name,
      deeds: '认真落实机关效能、项目建设年活动各项部署，重点任务按期完成，全年无查实投诉',
      practice: dice.pick(GOOD_PRACTICES),
    });
  }
  if (dice.chance(0.85) || roles.strong.has(unit.id)) {
    rows.push({
      category: '先进个人',
      nominee: person(dice),
      unitAndPost: `${unit.name}${dice.pick(POSTS[unit.kind])}`,
      deeds: dice.pick([
        '爱岗敬业，全年无迟到早退，主动牵头完成重点任务',
        '热情服务群众，办理事项件件有回音，多次受到群众书面表扬',
        '刻苦钻研业务，在项目建设中攻坚克难，成绩突出',
      ]),
      practice: '',
    });
  }
  return rows;
}

/** Dates as a clerk types them into a text cell: 2011年3月5日, 2011.3.5, 2011/03/05, 2011-3-5. */
function handTyped(iso: IsoDate, dice: Dice): string {
  const [y, m, d] = iso.split('-');
  const [mm, dd] = [Number(m), Number(d)];
  return dice.pick([`${y}年${mm}月${dd}日`, `${y}.${mm}.${dd}`, `${y}/${m}/${d}`, `${y}-${mm}-${dd}`]);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** One unit types its dates by hand instead of using Excel dates; the reader must take them all. */
function typeDatesByHand(fill: UnitFill, dice: Dice): UnitFill {
  const retype = (row: FillRow): FillRow =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && ISO_DATE.test(v) ? handTyped(v, dice) : v]));
  return { ...fill, info: retype(fill.info), complaints: fill.complaints.map(retype), problems: fill.problems.map(retype) };
}

function demoFill(plan: Plan, unit: Unit, index: number, roles: DemoRoles, dice: Dice): { fill: UnitFill; assessors: Record<string, AssessorEntry> } {
  const q = roles.strong.has(unit.id) ? dice.float(0.93, 1) : roles.weak.has(unit.id) ? dice.float(0.55, 0.68) : dice.float(0.5, 0.85);
  const info = infoFill(dice, plan, unit, q);
  const keyTasks = keyTaskFills(dice, plan, unit, q, roles);
  const scores = scoreFills(dice, plan, unit, q, roles);
  const fill: UnitFill = {
    info,
    keyTasks,
    scores: scores.unit,
    complaints: complaintFills(dice, plan, unit, index, roles),
    problems: problemFills(dice, plan, q),
    rules: ruleFills(dice, plan, unit, q),
    nominations: nominationFills(dice, unit, roles),
    submittedAt: `${plan.activity.year}-12-${String(dice.int(5, 20)).padStart(2, '0')}T0${dice.int(1, 8)}:${String(dice.int(10, 59))}:00.000Z`,
  };
  return { fill, assessors: scores.assessors };
}

export interface DemoWorkbooks {
  files: string[];
  /** Units deliberately left without a workbook (未报送). */
  missing: Unit[];
  /** What the 考核组 scores, by unit and indicator: it goes into the score sheet, not the units' workbooks. */
  assessors: Map<string, Map<string, AssessorEntry>>;
}

/** Writes one filled workbook per plan unit (except the one that does not hand in) into `dir`. */
export async function writeDemoWorkbooks(plan: Plan, planHash: string, dir: string, seed = 2011): Promise<DemoWorkbooks> {
  const dice = new Dice(mulberry32(seed));
  const roles = chooseRoles(plan, dice);
  const createdAt = `${plan.activity.year}-01-20T01:00:00.000Z`;
  const files: string[] = [];
  const missing: Unit[] = [];
  const assessors = new Map<string, Map<string, AssessorEntry>>();
  for (const [index, unit] of plan.units.entries()) {
    // Drawn for every unit, so the missing one does not shift the others' data.
    const drawn = demoFill(plan, unit, index, roles, dice);
    const fill = index === 1 ? typeDatesByHand(drawn.fill, dice) : drawn.fill;
    assessors.set(unit.id, new Map(Object.entries(drawn.assessors)));
    if (unit.id === roles.missing) {
      missing.push(unit);
      continue;
    }
    const wb = buildUnitWorkbook(unitWorkbookContent(plan, unit, createdAt, planHash));
    fillUnitWorkbook(wb, fill);
    const file = path.join(dir, unitWorkbookFileName(index, plan.units.length, unit.name));
    await saveUnitWorkbook(wb, file, plan.review?.password);
    files.push(file);
  }
  return { files, missing, assessors };
}

/**
 * The 考核组评分表 as the 考核组 hands it back: made from the demo's workbooks as read back (like
 * `kaohe scoresheet`), with the assessors' scores in it and each unit's running total up to date.
 */
export async function writeDemoScoreSheet(
  plan: Plan,
  planHash: string,
  demo: DemoWorkbooks,
  file: string,
): Promise<void> {
  const { counted } = pickWorkbooks(await checkFiles(demo.files, plan, planHash, () => undefined));
  const content = scoreSheetContent(plan, counted, `${plan.activity.year}-12-21T01:00:00.000Z`, planHash, demo.assessors);
  await saveScoreSheet(buildScoreSheetWorkbook(content), file);
}
