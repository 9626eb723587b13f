import type { IsoDate, Measure, ValidityStatus } from "../types.js";

export interface Validity {
  status: ValidityStatus;
  /** A sentence for the answer, e.g. 该措施实施期限为2023年5月1日至2023年8月31日，现已到期。 */
  sentence?: string;
  /** A short mark for citation lists: 已到期. */
  label?: string;
}

/** 2023-05-01 → 2023年5月1日 */
export function chineseDate(date: IsoDate): string {
  const [year, month, day] = date.split("-").map(Number);
  return `${year}年${month}月${day}日`;
}

/** Judges a measure's dates against `today`; computed by code, never by a model. */
export function validityOf(measure: Measure, today: IsoDate): Validity {
  const { period, deadline } = measure.fields;
  if (period) {
    const span = `${chineseDate(period.from)}至${chineseDate(period.to)}`;
    if (period.to < today) return { status: "ended", sentence: `该措施实施期限为${span}，现已到期。`, label: "已到期" };
    if (period.from > today) return { status: "active", sentence: `该措施实施期限为${span}，尚未开始。`, label: "未开始" };
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
