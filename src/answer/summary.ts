import type { Concept } from "../search/query.js";
import { CASE, clauseSentences, type ExcerptQuestion, FIGURE, parts, RULE } from "./excerpt.js";

/** A named programme, slogan or document: “双随机+信用”, 《社会信用条例》. What a clause specifically does. */
const NAMED = /“[^”]{2,30}”|《[^》]{2,40}》/;
/** A list closed by 等 (教育、人社、应急管理等领域): the clause's scope, named item by item. */
const LISTED = /、[^、，,。；：:]{1,16}等/;
/** A part that only says which documents a clause carries out (深入贯彻落实《……意见》): not what it does. */
const IMPLEMENTS =
  /^[^，,《]{0,8}?(?:贯彻|落实|执行|按照|依据|根据|依照)[^《，,]{0,4}(?:《[^》]+》[、和及与]?)+(?:[（(][^）)]*[）)])?(?:精神|要求|规定|部署)?$/;
/** The items after the first of a list closed by 等, for shortening: 教育、人社、应急管理等 → 教育等. */
const LIST_TAIL = /(?:、[^、，,。；：:]{1,16}?)+(?=等)/g;
/**
 * A frame: a preposition and what it governs, with no predicate of its own (按照“应制尽制”原则，依托……平台，
 * 在……等重点领域，针对……等10项户籍业务，). It says how or where; what is done follows it.
 */
const FRAME =
  /^(?:在|于|围绕|聚焦|针对|依托|依据|依照|按照|根据|结合|对照|基于)[^，,。；]*(?:原则|要求|精神|思路|机制|平台|系统|领域|方面|环节|情况|业务|事项|期间|过程中|基础上|前提下|之后|以后|以前|之前)[，,]$/;
/** Shorter than this, a piece says nothing alone. */
const MIN_PART = 10;
const bare = (piece: string) => piece.replace(/\s+/g, "").replace(/[，,：:。；！？]+$/, "");
const ELLIPSIS = "……";
const ENDED = "（现已到期）";
/** The year of an edition (清单（2022年版）) is no figure of the measure. */
const EDITION = /[（(]\d{4}年?版?[）)]/g;
/**
 * Numbers that are names, not figures of the measure: an app's or a site's (“12306APP”, 交管12123App) says where to
 * apply, not how much or how soon; a hotline's (12315) is a fact only for a caller asking what to do or whom to call.
 */
const APP_NUMBER = /\d*[A-Za-z]+\d+[A-Za-z\d]*|\d+[A-Za-z]+/g;
const PHONE_NUMBER = /\d{5,}/g;
function statesFigure(part: string, question: ExcerptQuestion): boolean {
  const plain = part.replace(EDITION, "").replace(APP_NUMBER, "");
  return FIGURE.test(question.wantsContact ? plain : plain.replace(PHONE_NUMBER, ""));
}
/** Characters as a reader's lead counts them: … is three dots once forms are folded (NFKC), and spaces do not count. */
const width = (text: string) => text.normalize("NFKC").replace(/\s+/g, "").length;
/** Never cut a figure in two. */
const FIGURE_CHAR = /[\d.%０-９]/;

export interface OverviewItem {
  heading?: string;
  /** The clause's text, its heading first when it has one. */
  text: string;
  marker: number;
  /** Its period has passed: said in the item, as the figures line does. */
  ended?: boolean;
  /** The matter this clause answers, when the question asks about several: it decides the part shown. */
  question?: ExcerptQuestion;
  /** Whose clause it is in a comparison (自治区：, 哈密市另规定：). */
  label?: string;
  /** More markers for the same words (a city's copy of its province's clause). */
  alsoMarkers?: number[];
  /** The other sides' clauses in a comparison: a part they say too is no difference, so it is not this side's fact. */
  others?: string[];
  /** A heading that names the topic without being shown (the sides' shared one): its words count for no part. */
  topicHeading?: string;
}

const bigramsOf = (text: string) => new Set(Array.from({ length: Math.max(0, text.length - 1) }, (_, i) => text.slice(i, i + 2)));
const stripMarks = (text: string) => text.replace(/[“”《》「」]/g, "");

/** A city often copies its province's clause word for word: such a pair says one thing, not two. */
export function nearCopy(a: string, b: string): boolean {
  const [x, y] = [bigramsOf(stripMarks(a)), bigramsOf(stripMarks(b))];
  // The shorter one copied into the longer one counts too: the longer then adds to it.
  return (x.size <= y.size ? containment(x, y) : containment(y, x)) >= 0.8;
}

/** How much of `a`'s bigrams `b` has. */
function containment(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const gram of a) if (b.has(gram)) shared++;
  return shared / Math.max(1, a.size);
}

/**
 * The part of a clause (a comma-separated piece of one of its sentences) that
 * says what it specifically does: one carrying a figure or time limit, a
 * condition, a named programme or a list of whom it covers, the earlier the
 * better. The heading names the topic, so the question's words found in it
 * count for no part; words the heading lacks still point at the part that has
 * them.
 */
export function keyPart(text: string, heading: string | undefined, question: ExcerptQuestion, matter = false, others: string[] = []): string | undefined {
  return keyParts(text, heading, question, matter, others)[0]?.text;
}

/** A part of a clause as the lead may state it: where it stands in the clause, and how much it says. */
interface ScoredPart {
  text: string;
  at: number;
  score: number;
  /** The sentence it is a part of. */
  sentence: string;
}

/** The clause's parts that stand alone, those that say most first (keyPart's order). */
function keyParts(text: string, heading: string | undefined, question: ExcerptQuestion, matter: boolean, others: string[]): ScoredPart[] {
  const body = heading && text.startsWith(heading) ? text.slice(heading.length) : text;
  const said = others.length ? bigramsOf(stripMarks(others.join("\n"))) : undefined;
  const topical = question.focus.filter((c) => !(heading && c.forms.some((f) => heading.includes(f))));
  const scored: ScoredPart[] = [];
  let index = 0;
  for (const sentence of clauseSentences(body)) {
    const pieces = parts(sentence);
    for (const [i, piece] of pieces.entries()) {
      // A case (……的，) or a frame (按照……原则，) is said with what follows for it, and so is a piece too short to
      // stand alone (2023年3月底前，).
      let raw = piece;
      for (let next = i + 1; next < pieces.length && (CASE.test(raw) || FRAME.test(pieces[next - 1]) || bare(raw).length < MIN_PART); next++)
        raw += pieces[next];
      const part = bare(raw);
      if (part.length < MIN_PART) continue;
      // A copied part keeps its place: what comes late in a clause comes late whatever the other side says.
      const at = index++;
      if (said && containment(bigramsOf(stripMarks(part)), said) >= 0.8) continue;
      let score = -0.3 * at;
      if (statesFigure(part, question)) score += 4;
      if (IMPLEMENTS.test(part)) score -= 1;
      else if (NAMED.test(part)) score += 2.5;
      if (RULE.test(raw)) score += 2;
      if (CASE.test(piece)) score += 1;
      if (LISTED.test(part)) score += 1;
      // Asked about one matter of several, the part that speaks most of it is the answer, figure or not.
      const spoken = topical.filter((c) => c.forms.some((f) => part.includes(f))).length;
      if (spoken) score += matter ? 2 * spoken : 1;
      scored.push({ text: part, at, score, sentence });
    }
  }
  // Stable: of parts that say as much, the earlier.
  return scored.sort((a, b) => b.score - a.score);
}

/** A measure's period (实施期限为……至……): the validity note says it, and whether it has ended. */
const PERIOD = /实施期限|有效期|执行期/;

/**
 * The key part, and a second part with a figure of its own when both fit in `room` (未发生债权债务的……, 公示期10天):
 * a clause that sets two figures or names two things is stated by both, in the clause's order.
 */
function keyStatement(item: OverviewItem, question: ExcerptQuestion, room: number): string | undefined {
  const heading = item.heading ?? item.topicHeading;
  const asked = item.question ?? question;
  const ranked = keyParts(item.text, heading, asked, !!item.question, item.others ?? []);
  const [first] = ranked;
  if (!first) return undefined;
  // A side of a comparison states its fact on the matter compared: of the asked words its first part's sentence
  // speaks of, a figure of a sentence on none is another matter's (12% of 电价 beside 供热价格 in one long clause).
  const says = (text: string, c: Concept) => c.forms.some((f) => text.includes(f));
  const about = item.others?.length ? asked.focus.filter((c) => c.known && !(heading && says(heading, c)) && says(first.sentence, c)) : [];
  const second = ranked.find(
    // A part mostly in the first's words (减免30%的检验检测费用 beside 减免30%-50%的检验检测费用) reads as a repeat without its case.
    (p) =>
      p !== first &&
      (!about.length || about.some((c) => says(p.sentence, c))) &&
      statesFigure(p.text, question) &&
      !PERIOD.test(p.text) &&
      containment(bigramsOf(p.text), bigramsOf(first.text)) < 0.6 &&
      !p.text.includes(first.text),
  );
  if (!second || width(first.text) + width(second.text) + 1 > room) return first.text;
  const [earlier, later] = [first, second].sort((a, b) => a.at - b.at);
  return joined(earlier.text, later.text);
}

/** Two parts in the clause's order; a case joined to what follows it may end where the next part begins, said once. */
function joined(earlier: string, later: string): string {
  for (let k = Math.min(earlier.length, later.length) - 1; k >= MIN_OVERLAP; k--) {
    if (earlier.endsWith(later.slice(0, k))) return `${earlier}${later.slice(k)}`;
  }
  return `${earlier}，${later}`;
}
const MIN_OVERLAP = 4;

/** Shortens a part to `limit` characters: a list keeps its first item (and any the question names), then the text is cut around its figure. */
export function shorten(part: string, limit: number, question: ExcerptQuestion): string {
  if (part.length <= limit) return part;
  const asked = question.focus.flatMap((c) => c.forms);
  const collapsed = part.replace(LIST_TAIL, (tail) =>
    tail
      .split("、")
      .filter((item) => item && asked.some((f) => item.includes(f)))
      .map((item) => `、${item}`)
      .join(""),
  );
  if (collapsed.length <= limit) return collapsed;
  const room = Math.max(1, limit - 2 * width(ELLIPSIS));
  const anchor = Math.max(0, collapsed.search(FIGURE));
  let start = Math.min(Math.max(0, anchor - Math.floor(room / 3)), collapsed.length - room);
  let end = start + room;
  while (start > 0 && start < anchor && FIGURE_CHAR.test(collapsed[start])) start++;
  while (end < collapsed.length && end > start && FIGURE_CHAR.test(collapsed[end - 1]) && FIGURE_CHAR.test(collapsed[end])) end--;
  return `${start > 0 ? ELLIPSIS : ""}${collapsed.slice(start, end)}${end < collapsed.length ? ELLIPSIS : ""}`;
}

/**
 * One line over several clauses, each item its heading and its key part
 * (what it specifically does), shortened rather than dropped so that the whole
 * line fits `budget` characters: a caller reads every clause's substance first.
 */
export function overviewLine(items: OverviewItem[], question: ExcerptQuestion, budget: number, open = `共有${items.length}项相关措施：`): string {
  let room = budget - open.length - 1;
  const out: string[] = [];
  items.forEach((item, i) => {
    const mark = `${item.ended ? ENDED : ""}${[item.marker, ...(item.alsoMarkers ?? [])].map((m) => `[${m}]`).join("")}`;
    const label = item.label ?? "";
    const allot = Math.floor(room / (items.length - i)) - mark.length - label.length - 1;
    const heading = item.heading;
    const part = keyStatement(item, question, allot - (heading ? heading.length + 1 : 0));
    let line: string;
    if (!part) line = shorten(heading ?? item.text, allot, question);
    else if (!heading) line = shorten(part, allot, question);
    else {
      // A part that repeats most of the heading's words stands for both.
      const repeats = containment(bigramsOf(stripMarks(heading)), bigramsOf(stripMarks(part))) >= 0.6;
      // The heading only when the part then still fits whole (a list may lose its later items); else the part alone.
      const short = shorten(part, allot - heading.length - 1, question);
      line = repeats || short.includes(ELLIPSIS) ? shorten(part, allot, question) : `${heading}：${short}`;
    }
    out.push(`${label}${line}${mark}`);
    room -= width(line) + mark.length + label.length + 1;
  });
  return `${open}${out.join("；")}。`;
}
