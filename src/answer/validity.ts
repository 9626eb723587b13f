import type { IsoDate, Measure, Period, PolicyDocument, Retirement, ValidityStatus } from "../types.js";

/**
 * Asks about the dates themselves, so "no period is stated" is worth saying ("以后还能再开吗" is not): a period word,
 * or "still" said of now ("现在还有吗", "目前还能申请吗"), which asks whether the measure runs today.
 */
export const ASKS_PERIOD = /有效期|过期|到期|失效|期限|截止|还有效|是否有效|还在执行|(什么|啥)时候结束|(现在|目前|如今|眼下|当前|今年|明年)(还|仍|再|也还)/;

/** The asker's own dates (欠的债到期, 贷款快到期了, 执照过期了): they ask nothing of a measure's period. */
const OWN_DATES = /(债|贷款?|借款|欠款|账款|合同|租期|租约|执照|证件|驾照)[^，。？?！!]{0,3}(到期|过期|期限)/g;

/** The question less the asker's own dates, to be read for what it asks of a measure's period. */
export const withoutOwnDates = (question: string) => question.replace(OWN_DATES, "");

export interface Validity {
  status: ValidityStatus;
  /** A sentence for the answer, e.g. 该措施实施期限为2023年5月1日至2023年8月31日，现已到期。 */
  sentence?: string;
  /** A short mark for citation lists: 已到期. */
  label?: string;
}

/** 2023年5月1日至2023年8月31日, or 至2025年12月31日 when only the end is given. */
export function periodSpan(period: Pick<Period, "from" | "to">): string {
  return `${period.from ? chineseDate(period.from) : ""}至${chineseDate(period.to)}`;
}

/** 2023-05-01 → 2023年5月1日 */
export function chineseDate(date: IsoDate): string {
  const [year, month, day] = date.split("-").map(Number);
  return `${year}年${month}月${day}日`;
}

/** 废止 or 被替代 in force from its date: why the document's measures no longer apply, naming the replacement. */
export function retirementValidity(retired: Retirement): Validity {
  const reason = retired.reason ? `（${retired.reason.replace(/[。.]$/, "")}）` : "";
  if (retired.kind === "superseded") {
    const replacement = retired.replacement ? `${retired.replacement}` : "新文件";
    return {
      status: "ended",
      sentence: `该文件已于${chineseDate(retired.date)}被${replacement}替代${reason}，所列措施不再执行，请以${replacement}为准。`,
      label: "已被替代",
    };
  }
  return { status: "ended", sentence: `该文件已于${chineseDate(retired.date)}废止${reason}，所列措施不再执行。`, label: "已废止" };
}

/**
 * Judges a measure against `today`, computed by code, never by a model: its
 * document's retirement first (a repealed or superseded document's measures no
 * longer apply, whatever their own dates say), then the clause's own dates.
 */
export function validityOf(measure: Measure, today: IsoDate, document?: Pick<PolicyDocument, "retired">): Validity {
  if (document?.retired && document.retired.date <= today) return retirementValidity(document.retired);
  const { period, deadline } = measure.fields;
  if (period) {
    const span = periodSpan(period);
    if (period.to < today) return { status: "ended", sentence: `该措施实施期限为${span}，现已到期。`, label: "已到期" };
    if (period.from && period.from > today) return { status: "active", sentence: `该措施实施期限为${span}，尚未开始。`, label: "未开始" };
    return { status: "active", sentence: `该措施实施期限为${span}，目前在有效期内。`, label: "有效" };
  }
  // A 完成时限 is when a government department had to finish a task, not when a benefit ends:
  // a passed one says the task was due, never that a caller can no longer use the measure.
  if (deadline) {
    if (deadline.ongoing) return { status: "active", sentence: `该项工作完成时限为${deadline.text}，要求长期坚持。`, label: "长期" };
    if (deadline.date < today) {
      return { status: "undated", sentence: `该项工作要求${deadline.text}完成（这是政府部门的工作时限，不是政策的有效期）。`, label: "任务时限已过" };
    }
    return { status: "active", sentence: `该项工作要求${deadline.text}完成。`, label: "任务进行中" };
  }
  return { status: "undated" };
}

/**
 * What a document says of its own validity, for "这个文件还有效吗": documents state no term of their own, so say so, and
 * what dates its measures carry (a benefit's 实施期限, a task's 完成时限), judged against `today`.
 */
export function documentValidity(document: Pick<PolicyDocument, "retired">, measures: Measure[], today: IsoDate): string {
  if (document.retired && document.retired.date <= today) return retirementValidity(document.retired).sentence!;
  const periods = measures.flatMap((m) => (m.fields.period ? [m.fields.period] : []));
  const deadlines = measures.flatMap((m) => (!m.fields.period && m.fields.deadline ? [m.fields.deadline] : []));
  const out = ["文件没有写明整体的有效期或废止日期，知识库中也没有它被废止或替代的记录。"];
  if (periods.length) {
    const spans = [...new Set(periods.map(periodSpan))].join("、");
    const ended = periods.filter((p) => p.to < today).length;
    const state = ended === periods.length ? "，现已到期" : ended ? `，其中${ended}条现已到期` : "";
    out.push(`其中${periods.length}条措施写明了实施期限（${spans}）${state}。`);
  }
  if (deadlines.length) {
    const latest = deadlines.reduce((a, b) => (b.date > a.date ? b : a));
    out.push(`${deadlines.length}条措施是有完成时限的工作任务（最晚${latest.text}），完成时限不是政策的有效期。`);
  }
  return out.join("");
}

/** A measure whose 实施期限 ends within this many days is marked 即将到期. */
export const EXPIRING_WITHIN_DAYS = 90;

/** The four marks staff see on a measure wherever it is listed: browse, answers, library, match. */
export type BadgeKind = "in-force" | "expiring" | "expired" | "task";
export const BADGE_LABELS: Record<BadgeKind, string> = { "in-force": "现行有效", expiring: "即将到期", expired: "已到期", task: "任务时限" };

export interface ValidityBadge {
  kind: BadgeKind;
  label: string;
  /** The last day of the 实施期限, or the task's 完成时限, when the clause states one. */
  until?: IsoDate;
  /** Days from today to `until` (negative once passed). */
  daysLeft?: number;
  /** validityOf's sentence, to show on hover. */
  title?: string;
}

const DAY_MS = 86_400_000;
const daysBetween = (from: IsoDate, to: IsoDate) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

/**
 * validityOf's reading as one mark: ended (past its 实施期限, or its document repealed or superseded) is 已到期;
 * a period ending within `withinDays` is 即将到期; a 完成时限 without a period is a government task (任务时限), never
 * a benefit's end; everything else, including a clause with no dates in a document still in force, is 现行有效.
 */
export function validityBadge(measure: Measure, today: IsoDate, document?: Pick<PolicyDocument, "retired">, withinDays = EXPIRING_WITHIN_DAYS): ValidityBadge {
  const validity = validityOf(measure, today, document);
  const { period, deadline } = measure.fields;
  const until = period?.to ?? deadline?.date;
  const dated = until ? { until, daysLeft: daysBetween(today, until) } : {};
  const mark = (kind: BadgeKind): ValidityBadge => ({ kind, label: BADGE_LABELS[kind], ...dated, ...(validity.sentence ? { title: validity.sentence } : {}) });
  if (validity.status === "ended") return mark("expired");
  if (period) return daysBetween(today, period.to) <= withinDays ? mark("expiring") : mark("in-force");
  if (deadline) return mark("task");
  return mark("in-force");
}
