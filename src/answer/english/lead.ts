import type { Answer, RefusalReason } from "../../types.js";
import { type Figure, findFigures } from "./figures.js";

/** At most this many figures lead the answer, so they all stand in its first lines. */
const MAX_FIGURES = 4;

/** Which kinds of figure answer what the question asks (its asks, from question-words.json). */
const WANTED: Record<string, Figure["kind"][]> = {
  多少: ["percent", "amount", "count", "number"],
  多长时间: ["duration"],
  什么时候: ["date"],
  电话: ["number"],
};

/** The English sentence for each kind of refusal; each points to 12345, as the Chinese ones do. */
export function englishRefusal(reason: RefusalReason | undefined): string {
  switch (reason) {
    case "other-region":
      return "Sorry, the knowledge base only holds policies for the places named below, not for the place you asked about, so I cannot answer from it. Please ask the local authorities or call the local 12345 government service hotline.";
    case "personal-matter":
      return "Sorry, this is a personal matter (personal income tax, one's own social insurance or housing fund account, family matters and the like), which the enterprise-policy knowledge base does not cover. Please use the relevant government service platform or office, or call the 12345 government service hotline.";
    case "request-to-act":
      return "Sorry, I can only find and explain policy clauses; I cannot submit, apply for, pay or handle anything on your behalf. Please use the government service website or a service hall window, or call the 12345 government service hotline.";
    case "amount-not-stated":
      return "The documents do not state the exact amount, rate or limit you asked about, so I cannot give a figure. The related clause is quoted below in Chinese; for the exact standard, please ask the competent department or call the 12345 hotline.";
    case "not-stated":
      return "The documents do not state what you asked about (how long it takes, where to go, or whether there is a fee). What the related clause does say is quoted below in Chinese; please ask the competent department or call the 12345 hotline.";
    case "injection":
      return "Sorry, I can only answer policy questions from the clauses in the knowledge base, and cannot follow other instructions. For more help, please call the 12345 government service hotline.";
    case "too-long":
      return "Sorry, the question is too long to process. Please shorten it to a sentence or two. For more help, please call the 12345 government service hotline.";
    default:
      return "Sorry, I found no policy clause in the knowledge base that answers this question, so I cannot give a reliable answer. You may rephrase it, or call the 12345 government service hotline.";
  }
}

/** What the question asked, as its Chinese reading has it. */
export interface Asked {
  /** 多少, 多长时间, 什么时候, 电话 … */
  asks: string[];
  /** The topics' Chinese forms (商标, 质押 …). */
  topics: string[];
  /** A cited clause's completion deadline as written (2023年6月底前), which the quoted text may leave out. */
  deadlineOf?: (citation: Answer["citations"][number]) => string | undefined;
}

const PHRASE_MARKS = ["。", "；", "，", "\n"];

/** The part of a sentence a figure stands in (between commas and stops). */
function phraseAround(body: string, at: number): string {
  const start = Math.max(...PHRASE_MARKS.map((mark) => body.lastIndexOf(mark, at)));
  const ends = PHRASE_MARKS.map((mark) => body.indexOf(mark, at)).filter((i) => i >= 0);
  return body.slice(start + 1, ends.length ? Math.min(...ends) : undefined);
}

/**
 * The figures of the answer's quoted clauses, each with the clause marker it stands before: those of the kind asked
 * first, then those whose phrase names more of the question's topics (2个工作日 beside 商标 for a trademark question),
 * then in the text's order.
 */
function leadingFigures(body: string, { asks, topics }: Asked): Array<Figure & { marker?: string }> {
  const wanted = new Set(asks.flatMap((ask) => WANTED[ask] ?? []));
  const seen = new Set<string>();
  const figures: Array<Figure & { marker?: string }> = [];
  for (const figure of findFigures(body)) {
    // "共有3项相关规定" counts the clauses quoted, not anything they state.
    if (/^共有\d+项相关/.test(body.slice(Math.max(0, figure.at - 2)))) continue;
    const marker = body.slice(figure.at).match(/\[\d+\]/)?.[0];
    const key = `${figure.quoted}${marker ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    figures.push({ ...figure, marker });
  }
  const rank = (f: Figure) => (wanted.has(f.kind) ? 0 : f.kind === "date" ? 2 : 1);
  const named = new Map(figures.map((f) => [f, topics.filter((t) => phraseAround(body, f.at).includes(t)).length]));
  return figures.sort((a, b) => rank(a) - rank(b) || named.get(b)! - named.get(a)! || a.at - b.at).slice(0, MAX_FIGURES);
}

/** What a clause requires or forbids (不得, 有权拒绝, 无需提交): the answer to "can they / must I" when it sets no figure. */
const RULE = /不得|严禁|禁止|一律|必须|无需|无须|不需|不再|有权|不予|免于|取消|不超过|不低于|不少于|依法支持|查处|打击|纠正|整治|杜绝|严肃处理/;
/** A quoted phrase leads whole only when it reads at a glance. */
const MAX_RULE_CHARS = 60;

/**
 * A rule phrase short enough to lead: whole when it reads at a glance; else, when it sets a list under its rule word
 * (坚决查处……、转嫁成本、强制捆绑搭售保险或者理财产品等违规行为), the rule word with the items that name the question's
 * topics; else none.
 */
function condensed(text: string, topics: string[]): string | undefined {
  if (text.length <= MAX_RULE_CHARS) return text;
  const rule = RULE.exec(text)!;
  const head = text.slice(0, rule.index + rule[0].length);
  const items = text.slice(head.length).split("、");
  if (items.length < 2 || head.length > MAX_RULE_CHARS / 3) return undefined;
  const named = (item: string) => topics.filter((t) => item.includes(t)).length;
  const most = Math.max(...items.map(named));
  const kept = items.map((item, i) => (named(item) === most ? i : -1)).filter((i) => i >= 0);
  const phrase = `${head}${kept[0] > 0 ? "……" : ""}${kept.map((i) => items[i]).join("、")}`;
  // Items that name no topic are all kept, and so run as long as the text: no rule then leads.
  return phrase.length <= MAX_RULE_CHARS ? phrase : undefined;
}

/**
 * The phrase of the quoted clauses that says the rule asked about: one with a rule word, naming most of the question's
 * topics, earliest first; with its clause marker. The figures line cannot carry it, and an English reader would
 * otherwise find the answer only deep in the Chinese quote. With `anyPhrase`, a short phrase without a rule word counts.
 */
function leadingRule(body: string, topics: string[], anyPhrase = false): { text: string; marker?: string; named: number } | undefined {
  let best: { text: string; marker?: string; named: number } | undefined;
  let at = 0;
  for (const piece of body.split(/(?<=[。；，\n])/)) {
    const text = piece
      .replace(/\[\d+\]/g, "")
      .replace(/^\s*\d+\.\s*/, "")
      .replace(/^[^：]{1,8}：/, "")
      .replace(/[。；，\s]+$/, "");
    const from = at;
    at += piece.length;
    const rule = RULE.test(text) ? condensed(text, topics) : anyPhrase && text.length <= MAX_RULE_CHARS ? text : undefined;
    if (!rule || rule.length < 4) continue;
    const named = topics.filter((t) => rule.includes(t)).length;
    if (!best || named > best.named) best = { text: rule, marker: body.slice(from).match(/\[\d+\]/)?.[0], named };
  }
  return best;
}

const figureText = (f: Figure & { marker?: string }) => `${f.english === f.quoted ? f.quoted : `${f.english} (${f.quoted})`}${f.marker ? ` ${f.marker}` : ""}`;

/**
 * A short English lead for an answer made in Chinese: the figures of the cited clauses copied first (those of the
 * kind asked before the rest), then where they come from; the Chinese clauses follow and prevail.
 */
export function englishLead(answer: Answer, asked: Asked, shortTitle: (documentId: string) => string | undefined = () => undefined): string {
  const first = answer.citations[0];
  const title = first && (shortTitle(first.documentId) ?? first.document);
  const source = first ? ` Main source [${first.marker}]: 《${title}》${first.path ? `, ${first.path.replace(/[.。]+$/, "")}` : ""}.` : "";
  const hedge = answer.confidence === "low" ? "No clause answers this exactly; the nearest ones are quoted below in Chinese. " : "";
  const figures = leadingFigures(answer.body, asked);
  // Asked by when, and the quoted sentences give no date: the cited clauses' own deadlines say it.
  if (asked.asks.includes("什么时候") && !figures.some((f) => f.kind === "date")) {
    const deadlines = answer.citations.slice(0, 2).flatMap((c) =>
      findFigures(asked.deadlineOf?.(c) ?? "")
        .filter((f) => f.kind === "date")
        .map((f) => ({ ...f, english: `deadline ${f.english}`, marker: `[${c.marker}]` })),
    );
    figures.unshift(...deadlines.slice(0, 2));
    figures.splice(MAX_FIGURES);
  }
  const ended = answer.citations.some((c) => c.status === "ended") ? " Note: the period of at least one cited measure has ended (see the validity note)." : "";
  // Asked whether (may they, must I, is it free) rather than how much, which or who: the rule on the asked topic
  // answers, figures after.
  const asksWhether = asked.asks.every((ask) => ask === "收费吗");
  const rule = asksWhether ? leadingRule(answer.body, asked.topics) : undefined;
  const ruleText =
    rule && (!figures.length || rule.named > 0) ? `In brief, the clause says (in Chinese): “${rule.text}”${rule.marker ? ` ${rule.marker}` : ""}.` : "";
  const figuresText = figures.length ? `${ruleText ? " It states" : "In brief, the policy clauses state"}: ${figures.map(figureText).join("; ")}.` : "";
  // Neither a figure nor a rule: the phrase naming most of what was asked (积极适用破产重整) says what the clauses do,
  // where an English reader would otherwise find it only deep in the Chinese quote.
  const phrase = !ruleText && !figures.length ? leadingRule(answer.body, asked.topics, true) : undefined;
  const phraseText = phrase && phrase.named > 0 ? `In brief, the clause says (in Chinese): “${phrase.text}”${phrase.marker ? ` ${phrase.marker}` : ""}.` : "";
  const stated =
    ruleText || figuresText ? `${ruleText}${figuresText}` : phraseText || "In brief, the policy clauses below address this; they state no figure for it.";
  return `${hedge}${stated}${source} The original Chinese text follows and prevails.${ended}`;
}
