import { composeAnswer } from "../answer/compose.js";
import { refusalText } from "../answer/refusal.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import type { Answer, Notice } from "../types.js";
import type { MatchItem, MatchResult } from "./match-measures.js";
import { regionIsCovered } from "./profile.js";
import { vocabulary } from "./vocabulary.js";

export interface MatchAnswerOptions {
  /** The question as asked, kept as the turn's resolved question so a follow-up can lean on it. */
  question?: string;
  /** Items in force listed at most. */
  maxItems?: number;
  /** Items listed from any one kind of benefit. */
  perGroup?: number;
  /** Ended items listed (apart, labelled) at most. */
  maxEnded?: number;
}

/** 新疆维吾尔自治区 → 自治区: the list is read by someone who knows where they are. */
function placeLabel(region: string, asked?: string): string {
  if (region === asked) return "本地";
  return region.endsWith("自治区") ? "自治区" : region;
}

/** Who the asker is, as the answer repeats it: 哈密市 · 个体工商户 · 餐饮. */
export function profileLabel(result: MatchResult): string {
  const { region, entityType, sector } = result.profile;
  const entity = vocabulary.entityTypes.find((e) => e.id === entityType)?.label;
  return [region, entity, sector].filter(Boolean).join(" · ");
}

/** The items in force to list: the best few of each kind, most useful kind first. */
function pickCurrent(result: MatchResult, maxItems: number, perGroup: number): MatchItem[] {
  const picked: MatchItem[] = [];
  for (const group of result.groups) picked.push(...group.items.slice(0, perGroup));
  return picked.slice(0, maxItems);
}

function pickEnded(result: MatchResult, maxEnded: number): MatchItem[] {
  return result.ended
    .flatMap((group) => group.items)
    .sort((a, b) => b.score - a.score)
    .slice(0, maxEnded);
}

function line(item: MatchItem, marker: number, asked?: string): string {
  const figures = item.figures.length ? `（${item.figures.join("，")}）` : "";
  const who = item.reasons[0].replace(/^条款写明/, "").replace(/（原文.*）$/, "");
  return `${marker}. ${item.title}${figures} [${marker}]　${placeLabel(item.region, asked)}；${who}`;
}

/**
 * The matcher's answer for a conversation: a short list grouped by kind of
 * benefit, the most useful first, ended measures apart and labelled, each
 * item cited, and a line saying how many more there are.
 */
export function matchAnswer(result: MatchResult, knowledgeBase: KnowledgeBase, options: MatchAnswerOptions = {}): Answer {
  const { maxItems = 8, perGroup = 3, maxEnded = 3 } = options;
  const { profile } = result;
  const resolvedQuestion = options.question ?? `${profileLabel(result)} 可享受的政策`;
  const documents = knowledgeBase.documentsById;

  if (profile.region && !regionIsCovered(profile.region, knowledgeBase)) {
    const covered = [...new Set(knowledgeBase.corpus.documents.map((d) => d.region))];
    const body = refusalText("other-region", { regions: [profile.region], covered });
    return composeAnswer({ body, citations: [], confidence: "refuse", mode: "refusal", resolvedQuestion, refusal: { reason: "other-region" } }, documents);
  }

  const current = result.groups.reduce((n, g) => n + g.items.length, 0);
  const ended = result.ended.reduce((n, g) => n + g.items.length, 0);
  if (!current && !ended) {
    const body = `知识库中没有找到写明适用于${profileLabel(result)}的措施。${refusalText("no-match").replace(/^抱歉，[^。]*。/, "")}`;
    return composeAnswer({ body, citations: [], confidence: "refuse", mode: "refusal", resolvedQuestion, refusal: { reason: "no-match" } }, documents);
  }

  const shownCurrent = pickCurrent(result, maxItems, perGroup);
  const shownEnded = pickEnded(result, maxEnded);
  const lines = [
    `根据您的情况（${profileLabel(result)}），知识库中有${current}条措施可能适用${ended ? `，另有${ended}条已到期` : ""}。按受益类型列出最相关的几条：`,
  ];
  const citations = [];
  let marker = 0;
  for (const group of result.groups) {
    const items = shownCurrent.filter((item) => item.kind === group.kind);
    if (!items.length) continue;
    lines.push(`【${group.label}】`);
    for (const item of items) {
      lines.push(line(item, ++marker, profile.region));
      citations.push({ ...item.citation, marker });
    }
  }
  if (shownEnded.length) {
    lines.push("【已到期，仅供参考】");
    for (const item of shownEnded) {
      lines.push(line(item, ++marker, profile.region));
      citations.push({ ...item.citation, marker });
    }
  }
  const more = current - shownCurrent.length + (ended - shownEnded.length);
  const moreEnded = ended - shownEnded.length;
  const follow = shownCurrent[0] ?? shownEnded[0];
  lines.push(
    more > 0
      ? `另有${more}条可能适用的措施未列出${moreEnded ? `（其中${moreEnded}条已到期）` : ""}，完整清单可在网页工作台的“政策匹配”页查看。想了解某一条，可以接着问，例如“${follow.title.slice(0, 12)}那条具体怎么说？”`
      : `以上是全部可能适用的措施。想了解某一条，可以接着问，例如“${follow.title.slice(0, 12)}那条具体怎么说？”`,
  );

  const notices: Notice[] = [];
  if (!profile.region)
    notices.push({ kind: "region", text: "您没有说明所在地，以上只列出自治区全域适用的措施；告诉我所在的市（如哈密、克拉玛依）可以补充本地措施。" });
  if (!profile.entityType) notices.push({ kind: "hedge", text: "您没有说明是个体工商户还是企业，以上只列出面向所有市场主体的措施。" });
  if (shownEnded.length) notices.push({ kind: "validity", text: "标“已到期”的措施，其实施期限或完成时限已过，仅供了解。" });
  return composeAnswer({ body: lines.join("\n"), notices, citations, confidence: "answer", mode: "extractive", resolvedQuestion }, documents);
}

/**
 * A self-description with a need is answered from the clauses on the need; the profile then adds what else may apply
 * to the asker, after the answer and never before it, each item cited and none the answer already quotes.
 */
export function withOtherMeasures(answer: Answer, result: MatchResult, knowledgeBase: KnowledgeBase, { maxItems = 3 } = {}): Answer {
  if (answer.refused) return answer;
  const cited = new Set(answer.citations.map((c) => c.measureId));
  const others = result.groups
    .flatMap((group) => group.items)
    .filter((item) => !cited.has(item.measureId))
    .sort((a, b) => b.relevance - a.relevance || b.score - a.score)
    .slice(0, maxItems);
  if (!others.length) return answer;
  let marker = answer.citations.reduce((most, c) => Math.max(most, c.marker), 0);
  const lines: string[] = [];
  const citations = [...answer.citations];
  for (const item of others) {
    marker++;
    const figures = item.figures.length ? `（${item.figures.join("，")}）` : "";
    lines.push(`· ${item.title}${figures}[${marker}]`);
    citations.push({ ...item.citation, marker });
  }
  return {
    ...answer,
    ...composeAnswer(
      {
        body: `${answer.body}\n其他可能适用的措施（${profileLabel(result)}）：\n${lines.join("\n")}`,
        notices: answer.notices,
        citations,
        suggestions: answer.suggestions,
        confidence: answer.confidence,
        mode: answer.mode,
        resolvedQuestion: answer.resolvedQuestion,
        ...(answer.refusal ? { refusal: answer.refusal } : {}),
      },
      knowledgeBase.documentsById,
    ),
  };
}
