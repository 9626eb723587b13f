import type { Concept } from "../search/query.js";
import type { Measure, PolicyDocument } from "../types.js";

/**
 * "市人社局牵头的任务有哪些", "住房公积金管理中心牵头了哪几项": a question about the tasks a unit leads is a query on the
 * parsed 牵头单位 field, not a text search: every such clause answers it, whatever its words.
 */
const ASKS_LED = /牵头/;
/** What follows a unit that leads: 牵头的, 一起牵头, 负责牵头, 2023年牵头了; never 牵头单位 (then who leads is asked). */
const LEADS_AFTER = /^[^，,。；？?]{0,6}?牵头(?!单位)/;
/** 12月底前 / 6月底: a deadline month the tasks must fall due in. */
const DUE_MONTH = /(\d{1,2}|[一二三四五六七八九十]{1,3})月(?:底|末|份)?(?:前|之前|以前)?(?:完成|干完|办完|做完|到期)?/;
const HAN_MONTHS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"];
/** How units are named short: 市发展改革委 is 发改委 to a caller, 市市场监督管理局 is 市场监管局. */
const SHORT_NAMES: [RegExp, string][] = [
  [/发展改革委|发展和改革委员会/, "发改委"],
  [/市场监督管理局/, "市场监管局"],
  [/人力资源和社会保障局/, "人社局"],
];

function plain(unit: string): string {
  let name = unit.replace(/^(市|县|区|自治区|州)/, "");
  for (const [long, short] of SHORT_NAMES) name = name.replace(long, short);
  return name;
}

/** The ways a caller may name a unit: 市市场监管局 → 市场监管局, 市场监管; 市住房公积金管理中心 → 住房公积金. */
export function unitNames(unit: string): string[] {
  const name = plain(unit);
  const stem = name.replace(/(管理中心|中心|局|委|办公室|办)$/, "");
  // 政务服务和公共资源交易中心 is 政务服务中心 to a caller: the first of the joined names, with the kind of unit.
  const first = name.match(/^(.{2,}?)和.+?(中心|局|委)$/);
  return [...new Set([unit, name, stem.length >= 2 ? stem : name, ...(first ? [first[1] + first[2]] : [])])];
}

function monthAsked(question: string): number | undefined {
  const match = question.match(DUE_MONTH);
  if (!match) return undefined;
  const month = /\d/.test(match[1]) ? Number(match[1]) : HAN_MONTHS.indexOf(match[1]) + 1;
  return month >= 1 && month <= 12 ? month : undefined;
}

export interface LedTasksQuery {
  question: string;
  measures: readonly Measure[];
  documentOf: (measure: Measure) => PolicyDocument;
  /** Places the question names: only their documents' tasks. */
  regions: string[];
  /** Documents the question names: only their tasks. */
  documents: string[];
}

/**
 * Every task led by the unit the question names first (the others it names widen nothing: "跟发改委一起牵头的也算上"
 * keeps the tasks both lead), due in the month it names if it names one, in the documents' order; empty when the
 * question asks no such thing or names no unit that leads anything.
 */
export function ledTasks({ question, measures, documentOf, regions, documents }: LedTasksQuery): Measure[] {
  if (!ASKS_LED.test(question)) return [];
  const inScope = (position: number) => {
    const document = documentOf(measures[position]);
    if (documents.length && !documents.includes(document.id)) return false;
    return !regions.length || regions.includes(document.region);
  };
  const { byName, byLead, byOpening } = leadIndex(measures);
  const asked = plain(question);
  let first: { unit: string; at: number } | undefined;
  // The names that open at each place in the question, earliest first: the first that leads and has a task in scope.
  for (let at = 0; at + 1 < asked.length && !first; at++) {
    for (const short of byOpening.get(asked.slice(at, at + 2)) ?? []) {
      // The unit must be the one leading (市人社局牵头的, 跟发改委一起牵头), not a word of a question asking who leads.
      if (!asked.startsWith(short, at) || !LEADS_AFTER.test(asked.slice(at + short.length))) continue;
      if ((!first || short.length > first.unit.length) && byName.get(short)!.some(inScope)) first = { unit: short, at };
    }
  }
  if (!first) return [];
  const unit = first.unit;
  const month = monthAsked(question);
  const due = month === undefined ? undefined : new RegExp(`(^|[^\\d])${month}月`);
  const positions: number[] = [];
  for (const [lead, held] of byLead) if (lead.includes(unit)) positions.push(...held);
  return positions
    .sort((a, b) => a - b)
    .filter((p) => inScope(p) && (!due || (measures[p].fields.deadline && due.test(measures[p].fields.deadline!.text))))
    .map((p) => measures[p]);
}

/** The units that lead tasks, by every short name a caller may use and by their lead field as written, with the tasks' positions. */
interface LeadIndex {
  byName: Map<string, number[]>;
  byLead: Map<string, number[]>;
  /** The names by their first two characters. */
  byOpening: Map<string, string[]>;
}

/** Builds the lead units' index of a set of measures before the first question about what a unit leads. */
export function prepareLedTasks(measures: readonly Measure[]): void {
  leadIndex(measures);
}

/**
 * Made once per set of measures: read per question, every task's units and their names cost milliseconds at
 * national scale, on every question that asks what a unit leads.
 */
const leadIndexes = new WeakMap<readonly Measure[], LeadIndex>();
function leadIndex(measures: readonly Measure[]): LeadIndex {
  let index = leadIndexes.get(measures);
  if (index) return index;
  index = { byName: new Map(), byLead: new Map(), byOpening: new Map() };
  const add = (map: Map<string, number[]>, key: string, position: number) => {
    const held = map.get(key);
    if (!held) map.set(key, [position]);
    else if (held.at(-1) !== position) held.push(position);
  };
  // Thousands of tasks share a few hundred lead fields as written: each field's names are worked out once.
  const namesOf = new Map<string, { lead: string; shorts: string[] }>();
  measures.forEach((measure, position) => {
    const field = measure.fields.leadUnit;
    if (!field) return;
    let names = namesOf.get(field);
    if (!names) {
      const shorts = field.split(/[、，,]/).flatMap((unit) => unitNames(unit.trim()).map(plain));
      names = { lead: plain(field), shorts: [...new Set(shorts.filter((short) => short.length >= 2))] };
      namesOf.set(field, names);
    }
    add(index.byLead, names.lead, position);
    for (const short of names.shorts) add(index.byName, short, position);
  });
  for (const short of index.byName.keys()) {
    const opening = short.slice(0, 2);
    const same = index.byOpening.get(opening);
    if (same) same.push(short);
    else index.byOpening.set(opening, [short]);
  }
  leadIndexes.set(measures, index);
  return index;
}

/** What a question narrows a unit's tasks to: 收费 of 发改委牵头的收费方面的措施; nothing in 人社局牵头的任务有哪些. */
const TOPIC_AFTER_LEAD = /牵头(?:负责)?(?:的|了)?([\u4e00-\u9fff]{2,12}?)(?:方面|相关|有关|领域|这块)?的?(?:任务|措施|工作|事项|举措|事情|内容|政策)/;

export function ledTopic(question: string): string | undefined {
  return question.match(TOPIC_AFTER_LEAD)?.[1];
}

/**
 * The tasks that speak of the topic the question narrows them to, by its rarest word (信用 of 信用建设, 简易 of
 * 简易注销); all of them when the topic singles out none, or every one.
 */
export function tasksOnTopic(tasks: Measure[], concepts: Concept[], textOf: (measure: Measure) => string): Measure[] {
  const rarest = concepts.filter((c) => c.known).sort((a, b) => b.weight - a.weight)[0];
  if (!rarest) return tasks;
  const speaking = tasks.filter((task) => rarest.forms.some((form) => textOf(task).includes(form)));
  return speaking.length && speaking.length < tasks.length ? speaking : tasks;
}
