import { regionPath } from "../corpus/regions.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import type { Concept } from "../search/query.js";
import type { Answer, Citation, Confidence, Measure, Notice, SearchHit } from "../types.js";
import { measureCitation } from "./citations.js";
import { composeAnswer } from "./compose.js";
import { excerpt, excerptQuestion } from "./excerpt.js";
import { TOPIC_WEIGHT } from "./question-topic.js";
import { type Chosen, comparedPlaces, comparisonItems, placeLabel, withCounterparts, withDifferences } from "./sides.js";
import { nearCopy, overviewLine } from "./summary.js";
import { ASKS_PERIOD, chineseDate, periodSpan, withoutOwnDates } from "./validity.js";

export interface ExtractiveInput {
  question: string;
  /** Places the question (or its conversation) names. */
  regions?: string[];
  resolvedQuestion: string;
  hits: SearchHit[];
  focus: Concept[];
  context: Concept[];
  /** The earlier question a follow-up leans on. */
  carried?: string;
  confidence?: Exclude<Confidence, "refuse">;
  knowledgeBase: KnowledgeBase;
  today: string;
  /** A question about several matters: each matter's own best clause, answered one each, quoted for that matter. */
  aspects?: AnsweredAspect[];
  /** A comparison of places: each place's best clause found by a search of that place alone. */
  sides?: SearchHit[];
  /** The places compared, in the order named (places, or the places of the documents named); found here when absent. */
  places?: string[];
  /**
   * A short clause answering alone may be quoted whole (the default); not when a lead in another language takes the
   * answer's first lines.
   */
  wholeClause?: boolean;
  /** Every hit answers (a query on the clauses' fields, such as the tasks a unit leads): all are listed, one item each. */
  listed?: boolean;
}

export interface AnsweredAspect {
  question: string;
  focus: Concept[];
  hit: SearchHit;
}

const MAX_LEAD = 6;
const MAX_CITATIONS = 6;
/** A field query lists every clause it finds, up to this many; a longer list would not fit the lead. */
const MAX_LISTED = 8;
/** A clause "of the same kind" as the best one covers nearly as much of the question and scores not far below. */
const KIND_COVERAGE = 0.8;
const KIND_SCORE = 0.45;
const LEAD_SCORE = 0.6;
/** A question about a kind of measure takes the best clause's siblings under one heading scoring at least this share of it. */
const SIBLING_SCORE = 0.35;
/** The first lines of an answer that several clauses share, in characters: each clause's excerpt gets its part. */
const SHARED_BUDGET = 300;
/** What a caller reads first, in characters: an overview of several clauses fits within it, less a margin for markers. */
const LEAD_BUDGET = 290;
/** Quotes of a comparison this short are read side by side at a glance, with no summary line above them. */
const SHORT_QUOTES = 120;
/** A date a clause's text sets for what it asks (2023 年3 月底前): the clause's deadline when it has no field. */
const DUE_IN_TEXT = /20\d\d\s*年\s*\d{1,2}\s*月(?:底|末|\s*\d{1,2}\s*日)?\s*(?:前|以前|之前)/;
const excerptLimit = (clauses: number) => (clauses > 1 ? Math.max(80, Math.min(170, Math.floor(SHARED_BUDGET / clauses))) : undefined);

const ASKS_LEAD_UNIT = /牵头|哪个部门|哪个单位|哪些部门|哪些单位|什么部门|谁负责|负责部门|负责单位|由谁|谁来/;
/** 啥时候 and 几时 are how callers say 什么时候. */
const ASKS_DEADLINE =
  /完成时限|(什么|啥|哪个)时候(要|前|得|能|该)?(完成|办完|做完|落实|到位|弄完)|何时完成|几时完成|时限|几月底|截止|(什么|啥)时候(要|前)|哪天前|多久完成|(什么|啥|哪个)时候.{0,6}(上线|启用|建成|开通|推行|出台|落地)|何时.{0,4}(上线|启用|建成|开通|推行|出台|落地)/;
const ASKS_VALIDITY = /还能|还可以|还有效|有效期|过期|到期|现在还|目前还|今年(再|还)|是否有效|失效|还在执行|在执行|还有没有|还享受/;
const ASKS_KIND = /都有哪些|有哪些|哪几|哪些|所有|全部|各项|各类|几项|一共|都有什么|有什么(政策|措施|规定|优惠|做法)|方面/;
const COMPARES = /分别|各有|各自|各是|有何不同|有什么不同|不一样|差别|异同|区别|相比|对比|比较/;

/** The question sets places or documents side by side (分别, 有什么不同), rather than naming a place and its province. */
export const asksComparison = (question: string) => COMPARES.test(question);

export function statesAmount(measure: Measure): boolean {
  const { percentages, amounts } = measure.fields;
  return percentages.length > 0 || amounts.length > 0 || /免收|免费|全免|减半|\d+(\.\d+)?\s*(倍|个百分点|成)/.test(measure.text);
}

/**
 * Which clauses to answer from. The best one always; clauses of the same kind
 * (nearly the same coverage, a score not far below) because a question about
 * a kind of measure wants every one of them; and for a comparison the best
 * clause of each place named, so neither side is missing.
 */
export function selectHits(
  question: string,
  hits: SearchHit[],
  places: string[],
  regionOf: (hit: SearchHit) => string,
  sameKind: (hit: SearchHit, top: SearchHit) => boolean = () => true,
  sibling: (hit: SearchHit, top: SearchHit) => boolean = () => false,
  sides: SearchHit[] = [],
): SearchHit[] {
  if (!hits.length) return [];
  const [top] = hits;
  const asksKind = ASKS_KIND.test(question);
  const kind = asksKind || COMPARES.test(question);
  const chosen = hits.filter(
    (h) =>
      h === top ||
      // "都有哪些": the clauses listed under the same heading of the same document as the best one are its kind.
      (asksKind && h.score >= SIBLING_SCORE * top.score && sibling(h, top)) ||
      // Scoring near the best is not enough when a clause covers much less of the question and is of another kind.
      (h.score >= LEAD_SCORE * top.score && (h.coverage >= KIND_COVERAGE * top.coverage || sameKind(h, top))) ||
      (h.coverage >= KIND_COVERAGE * top.coverage && h.score >= (kind ? 0.35 : KIND_SCORE) * top.score && sameKind(h, top)),
  );
  if (places.length > 1) {
    // A comparison of places: each place's best clause, and a second only when it is nearly as good.
    const perPlace: SearchHit[] = [];
    for (const place of places) {
      // A place's own search finds its clause on the topic better than the whole question's, which the other places' words bend.
      const side = sides.find((h) => regionOf(h) === place);
      const own = [...(side ? [side] : []), ...hits.filter((h) => regionOf(h) === place && h.score >= 0.2 * top.score && h.measureId !== side?.measureId)];
      if (own[0]) perPlace.push(own[0]);
      if (!side && own[1] && own[1].score >= 0.85 * own[0].score) perPlace.push(own[1]);
    }
    if (perPlace.length) return perPlace;
  }
  return chosen.slice(0, MAX_LEAD);
}

/** The generic head of a body's name (交管部门, 检测机构): what is left names the body's matter. */
const GENERIC_HEAD = /(?<=^[\u4e00-\u9fff]{2,})(部门|机构|单位)$/;

/**
 * Who acts in a clause, for a one-line summary: its short heading, or the words before 对/为. None otherwise: the
 * clause's first words cut short are no heading, and taken for one they hide what the clause opens with.
 */
const ACTOR = /^([^，。；]{4,22}?)(?:对|为|向)/;
function subjectOf(measure: Measure): string | undefined {
  const actor = measure.text.match(ACTOR)?.[1];
  if (actor) return actor;
  if (measure.heading && measure.heading.length <= 20) return measure.heading;
  return undefined;
}

function figuresOf(measure: Measure): string[] {
  // A discount said in 折 (64折通行费优惠) is a figure the fields do not parse.
  const figures = [...measure.fields.percentages, ...measure.fields.amounts, ...(measure.text.match(/\d+(?:\.\d+)?折/g) ?? [])];
  // What is free is said with it when the clause names the fee (免收车辆通行费): 免收 alone says not of what.
  const free = measure.text.match(/免收[^，。；、]{0,8}?费用?/)?.[0] ?? ["免收", "减半", "免费"].find((word) => measure.text.includes(word));
  if (free) figures.push(free);
  return figures;
}

/** A clause named with its figures, each said once: one its name already holds, or one inside a longer one (30% in
 * 30%-50%), would be read twice (检测费减免40%40%). */
export function figureLine(name: string, figures: string[]): string {
  const distinct = [...new Set(figures)];
  const said = distinct.filter((f) => !name.includes(f) && !distinct.some((o) => o !== f && o.includes(f)));
  // A figure in words after a heading (免收) would read as part of it (推动降低物流服务收费免收); after a short name
  // (担保费减半) it reads as said.
  const apart = said.length && name.length >= 8 && /^[\u4e00-\u9fff]/.test(said[0]) ? "，" : "";
  return `${name}${apart}${said.join("、")}`;
}

function endedMark(citation: Citation, measure: Measure): string {
  if (citation.status !== "ended" || !measure.fields.period) return "";
  return `（实施期限至${chineseDate(measure.fields.period.to)}，现已到期）`;
}

/**
 * The embedded default: an answer made only of the clauses' own words. Several
 * clauses open with a one-line summary of each (its figures or the unit and
 * deadline asked for), then quote each in whole sentences, grouped by place.
 */

export function extractiveAnswer(input: ExtractiveInput): Answer {
  const { knowledgeBase, today } = input;
  const measureOf = (hit: SearchHit) => knowledgeBase.measuresById.get(hit.measureId)!;
  const regionOf = (hit: SearchHit) => knowledgeBase.documentOf(measureOf(hit)).region;
  const places = input.places ?? comparedPlaces(input.question, input.regions ?? []);
  // Of a kind with the best clause: it says everything of the question the best clause says (检测费 and 减免), not just as much.
  const matched = (hit: SearchHit) => {
    const text = measureOf(hit).text;
    return input.context.filter((c) => c.known && c.forms.some((f) => text.includes(f)));
  };
  const sameKind = (hit: SearchHit, top: SearchHit) => {
    const own = matched(hit);
    return matched(top).every((c) => own.includes(c));
  };
  // Listed under the same heading of the same document: 三、打击违法犯罪 › 16. and › 17. Not when the question names
  // the body the best clause opens with (纤维质量监测中心 of 自治区纤维质量监测中心对……) and the other clause does not:
  // that is another body's measure.
  const heaviest = input.context.filter((c) => c.known).reduce<Concept | undefined>((best, c) => (!best || c.weight > best.weight ? c : best), undefined);
  const says = (text: string | undefined, concept: Concept) => !!text && concept.forms.some((f) => text.includes(f));
  // Nor when neither the heading they share nor the other clause names what the question asks about, and the other
  // clause answers no part of the question the best one leaves out: under 二、规范涉企收费 the clause on 金融服务收费
  // is not of a kind with the one on 市政公用服务收费, while beside 信用评价 the clause on 信用承诺 answers the rest.
  const topical = input.focus.filter((c) => c.known && c.weight >= TOPIC_WEIGHT);
  // A heading names a body by what it does (优化公安交管办事服务 for 交管部门): a form counts without its generic head.
  const headingSays = (heading: string, c: Concept) => c.forms.some((f) => heading.includes(f) || heading.includes(f.replace(GENERIC_HEAD, "")));
  const sibling = (hit: SearchHit, top: SearchHit) => {
    const [a, b] = [measureOf(hit), measureOf(top)];
    const actor = b.text.match(ACTOR)?.[1];
    if (heaviest && says(actor, heaviest) && !says(a.text, heaviest)) return false;
    const shared = b.path.slice(0, -1);
    const onTopic = topical.some((c) => says(a.text, c) || shared.some((heading) => headingSays(heading, c)));
    const rest = input.focus.some((c) => c.known && !says(b.text, c) && says(a.text, c));
    if (topical.length && !onTopic && !rest) return false;
    return a.documentId === b.documentId && a.path.length === b.path.length && a.path.slice(0, -1).join("›") === shared.join("›");
  };
  const aspectOf = new Map((input.aspects ?? []).map((a) => [a.hit.measureId, a]));
  const chosenHits = selectHits(input.question, input.hits, places, regionOf, sameKind, sibling, input.sides);
  // Every matter of a question about several gets its own clause first; what the whole question chose follows.
  const forAspects = places.length < 2 ? [...aspectOf.values()].map((a) => input.hits.find((h) => h.measureId === a.hit.measureId) ?? a.hit) : [];
  const picked = forAspects.length > 1 ? [...forAspects, ...chosenHits.filter((h) => !aspectOf.has(h.measureId))].slice(0, MAX_LEAD) : chosenHits;
  const compared = input.listed
    ? input.hits.slice(0, MAX_LISTED)
    : places.length > 1
      ? withDifferences(picked, input.sides ?? [], regionOf, (hit) => measureOf(hit).text, MAX_LEAD)
      : picked;
  const selected = places.length > 1 ? compared : withCounterparts(compared, input.regions ?? [], knowledgeBase, MAX_LEAD);

  // Citations: the answered clauses grouped by place (in the order the question names them), then a few more for reference.
  const placeRank = (hit: SearchHit) => {
    const region = regionOf(hit);
    const at = places.indexOf(region);
    return at >= 0 ? at : places.length;
  };
  const ordered = places.length > 1 ? [...selected].sort((a, b) => placeRank(a) - placeRank(b)) : selected;
  const extra = input.hits.filter((h) => !selected.some((s) => s.measureId === h.measureId) && h.score >= 0.4 * (input.hits[0]?.score ?? 0));
  const cited = [...ordered, ...extra].slice(0, Math.max(MAX_CITATIONS, ordered.length));
  const citations = cited.map((hit, i) => {
    const measure = measureOf(hit);
    return measureCitation(i + 1, measure, knowledgeBase.documentOf(measure), hit.score, today);
  });
  const chosen: Chosen[] = ordered.map((hit, i) => ({ hit, measure: measureOf(hit), citation: citations[i] }));
  if (input.confidence === "low") chosen.splice(2);

  const question = excerptQuestion(input.question, input.focus, input.context, input.carried);
  // Each matter's clause is summed up and quoted for what that matter asks.
  const askedOf = (c: Chosen) => {
    const aspect = aspectOf.size > 1 ? aspectOf.get(c.measure.id) : undefined;
    return aspect ? excerptQuestion(aspect.question, aspect.focus, input.context) : undefined;
  };
  const asksLead = ASKS_LEAD_UNIT.test(input.question);
  const asksDeadline = ASKS_DEADLINE.test(input.question);
  const several = chosen.length > 1;
  const multiPlace = new Set(chosen.map((c) => c.citation.region)).size > 1;
  const label = (c: Chosen) => (multiPlace ? `${placeLabel(c.citation.region)}：` : "");

  // Issue 13 (documents): a repealed or superseded document's clauses are said to be no longer in force, naming the
  // replacement; the date notices below are about the others only.
  const retired = chosen.filter((c) => c.citation.retired);
  const notices = [
    ...retired.map((c): Notice => ({ kind: "validity", text: `[${c.citation.marker}]${c.citation.validity}` })),
    ...validityNotices(
      chosen.filter((c) => !c.citation.retired),
      input.question,
      today,
    ),
  ];
  // A place was named but the best clause is another place's: say so before quoting it.
  const asked = input.regions ?? [];
  const first = chosen[0]?.citation;
  const elsewhere = asked.length && first && !asked.some((r) => regionPath(r).includes(first.region) || first.region === r);
  // A city was named and only its province's clauses answer (none of the city's own among those selected, before a
  // low confidence keeps two): they apply there, but the city has no measure of its own to quote.
  const provinceOnly = !elsewhere && first && asked.length > 0 && asked.every((r) => regionPath(r).length > 1 && !ordered.some((h) => regionOf(h) === r));
  const caveat = elsewhere
    ? `知识库中没有找到${asked.join("、")}的专门规定；以下是${first.region}的相关条款，仅供参考：`
    : provinceOnly
      ? `知识库中没有找到${asked.join("、")}的专门规定；以下是${placeLabel(first.region)}的规定，适用于${asked.join("、")}：`
      : "";
  const hedge = input.confidence === "low" ? "没有找到与您的问题完全对应的规定，最接近的是：" : "";
  const verdict = notices.find((n) => n.kind === "validity" && ASKS_VALIDITY.test(withoutOwnDates(input.question)));

  // What each clause is quoted by: its sentences that answer the question (or its matter), and in a comparison those
  // in which it differs from the other places'.
  const quoteCache = new Map<Chosen, string>();
  const quoteOf = (c: Chosen) => {
    const known = quoteCache.get(c);
    if (known !== undefined) return known;
    const others = places.length > 1 ? chosen.filter((o) => o.citation.region !== c.citation.region).map((o) => o.measure.text) : [];
    // Once the overview names a clause's heading, its excerpt quotes what the clause does instead.
    const body =
      overview && c.measure.heading && c.measure.text.startsWith(c.measure.heading)
        ? c.measure.text.slice(c.measure.heading.length).replace(/^[。；\s]+/, "")
        : c.measure.text;
    const text = excerpt(
      body || c.measure.text,
      askedOf(c) ?? question,
      excerptLimit(chosen.length),
      { others, heading: c.measure.heading },
      input.wholeClause ?? true,
    );
    quoteCache.set(c, text);
    return text;
  };

  const lines: string[] = [];
  // Asked who leads or by when: the fields first, one line a clause.
  if ((asksLead || asksDeadline) && !input.listed) {
    for (const c of chosen) {
      const { leadUnit, deadline } = c.measure.fields;
      // A clause with no 完成时限 field may set its date in its text (2023 年3 月底前，县级以上政府……).
      const due = deadline ? `完成时限为${deadline.text}` : c.measure.text.match(DUE_IN_TEXT)?.[0].replace(/\s+/g, "");
      const facts = [asksLead && leadUnit ? `牵头单位为${leadUnit}` : "", asksDeadline && due ? (deadline ? due : `要求${due}完成`) : ""].filter(Boolean);
      if (facts.length) lines.push(`${label(c)}${facts.join("，")}[${c.citation.marker}]。`);
    }
  }
  // Several clauses with figures: the figure of each first, so a caller sees every one at a glance. A question about a
  // kind of measure whose clauses do not all state a figure takes the overview below instead, which leaves none out.
  const withFigures = chosen.filter((c) => figuresOf(c.measure).length);
  // A clause without a heading is named in an overview by who acts in it (自治区产品质量监督检验研究院对……).
  const headed = chosen.filter((c) => c.measure.heading || subjectOf(c.measure));
  const matters = chosen.filter((c) => aspectOf.has(c.measure.id)).length;
  const overview =
    !lines.length &&
    places.length < 2 &&
    ((input.listed && chosen.length > 1) ||
      matters > 1 ||
      (ASKS_KIND.test(input.question) && chosen.length >= 3 && headed.length * 2 > chosen.length && withFigures.length < chosen.length));
  if (several && withFigures.length > 1 && !lines.length && !overview) {
    const nameOf = (c: Chosen) => subjectOf(c.measure) ?? c.measure.text.split(/[，。；]/)[0].slice(0, 18);
    // Two places' clauses under one heading (推动降低物流服务收费) are told apart by their place.
    const shared = (c: Chosen) => withFigures.some((o) => o !== c && nameOf(o) === nameOf(c) && o.citation.region !== c.citation.region);
    lines.push(
      `共有${withFigures.length}项相关规定：${withFigures
        .map(
          (c) =>
            `${shared(c) ? `${placeLabel(c.citation.region)}：` : ""}${figureLine(nameOf(c), figuresOf(c.measure))}${endedMark(c.citation, c.measure) ? "（现已到期）" : ""}[${c.citation.marker}]`,
        )
        .join("；")}。`,
    );
  }

  // A comparison: each side's deciding part side by side, a copied clause said once for both, and what a side says
  // besides (哈密另规定……) as the difference.
  if (places.length > 1 && multiPlace) {
    const above = [hedge, caveat, verdict?.text ?? "", ...lines].join("").length;
    const copies = chosen.some((c) => chosen.some((o) => o.citation.region !== c.citation.region && nearCopy(c.measure.text, o.measure.text)));
    if (copies)
      lines.push(
        overviewLine(
          comparisonItems(chosen, (c) => !!endedMark(c.citation, c.measure)),
          question,
          LEAD_BUDGET - above,
          "",
        ),
      );
    // Sides that differ throughout are quoted in full below; unless the quotes are short, each side's deciding part
    // comes first, side by side, taken from what its quote says (where it differs from the others).
    else if (chosen.reduce((sum, c) => sum + quoteOf(c).length, 0) > SHORT_QUOTES) {
      // What the question is about decides each side's part, as a matter's words decide it.
      const items = chosen.map((c) => ({
        text: c.measure.text,
        others: chosen.filter((o) => o.citation.region !== c.citation.region).map((o) => o.measure.text),
        topicHeading: c.measure.heading,
        marker: c.citation.marker,
        label: label(c),
        ended: !!endedMark(c.citation, c.measure),
        question,
      }));
      lines.push(overviewLine(items, question, LEAD_BUDGET - above, ""));
    }
  }

  const verdictFirst = ASKS_VALIDITY.test(withoutOwnDates(input.question));
  // A question about a kind of measure ("都有哪些") with several answers: an overview first, one item a clause, each its
  // heading with the part that carries its figure, rule or named programme (answer/summary.ts).
  if (overview) {
    // The overview is what a caller reads first: it and the lines above it share the lead.
    const above = [hedge, caveat, verdict?.text ?? ""].join("").length;
    // A city's copy of its province's clause says one thing: one item, both markers.
    const copiedBy = new Map<Chosen, Chosen[]>();
    const firsts: Chosen[] = [];
    for (const c of chosen) {
      const original = firsts.find((o) => o.citation.region !== c.citation.region && nearCopy(o.measure.text, c.measure.text));
      if (original) copiedBy.get(original)?.push(c);
      else {
        firsts.push(c);
        copiedBy.set(c, []);
      }
    }
    const items = firsts.map((c) => ({
      alsoMarkers: copiedBy.get(c)?.map((o) => o.citation.marker),
      // A clause without a heading is named by who acts in it.
      heading: input.listed ? c.measure.heading : (c.measure.heading ?? subjectOf(c.measure)),
      // Listed tasks asked by when: each item says its own deadline.
      ...(input.listed && asksDeadline && c.measure.fields.deadline ? { label: `${c.measure.fields.deadline.text}：` } : {}),
      text: c.measure.text,
      marker: c.citation.marker,
      ended: !!endedMark(c.citation, c.measure),
      question: askedOf(c),
    }));
    lines.push(overviewLine(items, question, LEAD_BUDGET - above));
  }

  const quotes: string[] = [];
  const quoted = new Set<string>();
  for (const c of chosen) {
    const text = quoteOf(c);
    // A city often copies its province's sentence: quote it once, cite both.
    const same = [...quoted].find((q) => q === text);
    if (same) {
      const index = quotes.findIndex((q) => q.includes(text));
      if (index >= 0) quotes[index] = quotes[index].replace(/\[(\d+)\]/, `[$1][${c.citation.marker}]`);
      continue;
    }
    quoted.add(text);
    const mark = text.includes("实施期限") || verdictFirst || lines.length ? "" : endedMark(c.citation, c.measure);
    quotes.push(`${label(c)}${text}[${c.citation.marker}]。${mark}`);
  }
  const numbered = quotes.length > 1 ? quotes.map((line, i) => `${i + 1}. ${line}`) : quotes;

  const body = [hedge, caveat, verdict?.text ?? "", ...lines, lines.length && quotes.length ? "原文摘录：" : "", ...numbered].filter(Boolean).join("\n");

  return composeAnswer(
    {
      body,
      notices: notices.filter((n) => n !== verdict),
      citations: input.confidence === "low" ? citations.slice(0, 2) : citations,
      suggestions: input.confidence === "low" ? suggestionsFor(input.hits, knowledgeBase) : [],
      confidence: input.confidence ?? "answer",
      mode: "extractive",
      resolvedQuestion: input.resolvedQuestion,
    },
    knowledgeBase.documentsById,
  );
}

/**
 * What the dates of the answered clauses mean today, by kind: a benefit's
 * 实施期限 that has passed has ended; a 完成时限 is when a government task was
 * due, which says nothing about whether a caller can still use a service.
 */
function validityNotices(chosen: Chosen[], question: string, today: string): Notice[] {
  const notices: Notice[] = [];
  const asOf = `（按今天${chineseDate(today)}计）`;
  const markers = (list: Chosen[]) => list.map((c) => `[${c.citation.marker}]`).join("");
  const periods = chosen.filter((c) => c.measure.fields.period);
  const ended = periods.filter((c) => c.citation.status === "ended");
  const upcoming = periods.filter((c) => c.citation.status === "active" && (c.measure.fields.period!.from ?? "") > today);
  const running = periods.filter((c) => c.citation.status === "active" && !upcoming.includes(c));
  if (ended.length) {
    const spans = [...new Set(ended.map((c) => periodSpan(c.measure.fields.period!)))];
    const all = ended.length === chosen.length;
    notices.push({
      kind: "validity",
      text: `${all && ended.length > 1 ? "以上措施" : `${markers(ended)}所列措施`}的实施期限为${spans.join("、")}，现已到期${asOf}；到期后能否继续享受，请向实施单位或主管部门确认。`,
    });
  }
  if (upcoming.length) {
    notices.push({ kind: "validity", text: `${markers(upcoming)}所列措施尚未开始，自${chineseDate(upcoming[0].measure.fields.period!.from!)}起实施。` });
  }
  if (running.length) {
    notices.push({ kind: "validity", text: `${markers(running)}所列措施目前在实施期限内（至${chineseDate(running[0].measure.fields.period!.to)}）。` });
  }
  const tasks = chosen.filter((c) => !c.measure.fields.period && c.measure.fields.deadline);
  if (tasks.length && ASKS_PERIOD.test(withoutOwnDates(question))) {
    const due = [...new Set(tasks.map((c) => c.measure.fields.deadline!.text))].join("、");
    notices.push({ kind: "validity", text: `${markers(tasks)}是政府部门的工作任务，文件要求${due}完成；这是任务的完成时限，不是政策的有效期。` });
  }
  if (!periods.length && !tasks.length && ASKS_PERIOD.test(withoutOwnDates(question))) {
    notices.push({ kind: "validity", text: "文件没有写明这些措施的实施期限。" });
  }
  return notices;
}

/** Related questions to try: the headings of the nearest clauses, phrased as questions. */
function suggestionsFor(hits: SearchHit[], knowledgeBase: KnowledgeBase): string[] {
  const out: string[] = [];
  for (const hit of hits) {
    const measure = knowledgeBase.measuresById.get(hit.measureId)!;
    const topic = measure.heading ?? measure.path.at(-2)?.replace(/^[一二三四五六七八九十]+、|^（[一二三四五六七八九十]+）/, "");
    if (!topic || topic.length > 24) continue;
    const region = knowledgeBase.documentOf(measure).region;
    const suggestion = `${placeLabel(region)}在“${topic}”方面有什么规定？`;
    if (!out.includes(suggestion)) out.push(suggestion);
    if (out.length === 3) break;
  }
  return out;
}
