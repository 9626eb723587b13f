import type { MeasureFields } from "../types.js";
import { findPeriod, parseDeadline } from "./dates.js";

const LABELS = ["牵头单位", "责任单位", "配合单位", "完成时限", "完成时间", "时间节点"];
const labelled = (label: string) => new RegExp(`${label}[：:]([\\s\\S]*?)(?=\\s*(?:${LABELS.join("|")})[：:]|$)`);

function field(text: string, ...labels: string[]): string | undefined {
  for (const label of labels) {
    const value = text.match(labelled(label))?.[1]?.trim();
    if (value) return value.replace(/[。；;]$/, "");
  }
  return undefined;
}

const unique = (values: Iterable<string>) => [...new Set(values)];

/** The structured facts a measure states, read from its (joined) text. */
export function extractFields(text: string): MeasureFields {
  const deadlineText = field(text, "完成时限", "完成时间", "时间节点");
  return {
    leadUnit: field(text, "牵头单位"),
    responsibleUnits: field(text, "责任单位", "配合单位"),
    deadline: deadlineText ? parseDeadline(deadlineText) : undefined,
    period: findPeriod(text),
    percentages: unique(text.match(/\d+(?:\.\d+)?%(?:\s*[-—至~～]\s*\d+(?:\.\d+)?%)?|百分之[一二三四五六七八九十百]+/g) ?? []),
    amounts: unique(text.match(/\d+(?:\.\d+)?\s*(?:万元|亿元|元\/千瓦时|元\/[^\s，。；]{1,4}|元)/g) ?? []),
    timeLimits: unique(
      text
        .match(/(?<![月\d.])(?:\d+|[一二三四五六七八九十两]+)\s*(?:个)?(?:工作日|自然日|小时|日|天|个月|年)(?:内|以内)?/g)
        ?.filter((value) => !/^\d{4}年$/.test(value)) ?? [],
    ),
  };
}
