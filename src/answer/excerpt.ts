import type { Concept } from "../search/query.js";

const QUANTITY_INTENT = /多少|多久|多长|几[个天日年月]?|时限|期限|额度|上限|比例|标准|价格|电价|折|费率|优惠|减免|天内|日内/;
const FIGURE = /\d|[一二三四五六七八九十两]+(?:个)?(?:工作日|日|天|年|月)|免收|免费|不予|严禁|有权拒绝/;
const MAX_SENTENCE = 120;
const MAX_EXCERPT = 170;

/** Sentences and labelled field lines of a clause, with their closing marks. */
export function clauseSentences(text: string): string[] {
  return text
    .split("\n")
    .flatMap((line) => line.match(/[^。；！？]+[。；！？]?/g) ?? [])
    .map((s) => s.trim())
    .filter(Boolean);
}

export interface ExcerptQuestion {
  /** What this turn asks, weighted above what earlier turns asked. */
  focus: Concept[];
  context: Concept[];
  wantsQuantity: boolean;
}

export function excerptQuestion(question: string, focus: Concept[], context: Concept[]): ExcerptQuestion {
  return { focus, context, wantsQuantity: QUANTITY_INTENT.test(question) };
}

function sentenceScore(sentence: string, question: ExcerptQuestion, position: number): number {
  let score = 0;
  for (const concept of question.focus) if (concept.forms.some((f) => sentence.includes(f))) score += 2 * concept.weight;
  for (const concept of question.context) if (concept.forms.some((f) => sentence.includes(f))) score += concept.weight;
  if (question.wantsQuantity && FIGURE.test(sentence)) score += 1.5;
  if (position === 0) score += 0.3;
  return score;
}

/** Cuts a long sentence to the clauses around its best-matching part. */
function clip(sentence: string, question: ExcerptQuestion): string {
  if (sentence.length <= MAX_SENTENCE) return sentence;
  const parts = sentence.match(/[^，,：:]+[，,：:]?/g) ?? [sentence];
  const scores = parts.map((part, i) => sentenceScore(part, question, i));
  let best = scores.indexOf(Math.max(...scores));
  let from = best;
  let to = best;
  let length = parts[best].length;
  while (true) {
    const left = from > 0 ? parts[from - 1].length : Infinity;
    const right = to + 1 < parts.length ? parts[to + 1].length : Infinity;
    const grow = Math.min(left, right);
    if (grow === Infinity || length + grow > MAX_SENTENCE) break;
    if (right <= left) to++;
    else from--;
    length += grow;
  }
  best = from;
  const text = parts.slice(best, to + 1).join("");
  return `${best > 0 ? "……" : ""}${text}${to + 1 < parts.length ? "……" : ""}`;
}

/**
 * The part of a clause that answers the question: its best sentence, and the
 * next best when it also matters, in the clause's own order and words.
 */
export function excerpt(text: string, question: ExcerptQuestion): string {
  const sentences = clauseSentences(text);
  if (!sentences.length) return text;
  const scored = sentences.map((sentence, i) => ({ sentence, i, score: sentenceScore(sentence, question, i) }));
  const ranked = [...scored].sort((a, b) => b.score - a.score);
  const chosen = [ranked[0]];
  let length = clip(ranked[0].sentence, question).length;
  // A short heading (加快涉企诉讼案件审理周期。) says what, not how: it always takes a second sentence.
  const headingOnly = (c: { sentence: string; i: number }) => c.i === 0 && c.sentence.length <= 30 && sentences.length > 1;
  for (const candidate of ranked.slice(1, 3)) {
    const piece = clip(candidate.sentence, question);
    const wanted = headingOnly(chosen[0]) && chosen.length === 1;
    if (!wanted && (candidate.score < 0.6 * ranked[0].score || candidate.score <= 0.3)) continue;
    if (length + piece.length > MAX_EXCERPT) continue;
    chosen.push(candidate);
    length += piece.length;
  }
  return chosen
    .sort((a, b) => a.i - b.i)
    .map((c) => clip(c.sentence, question))
    .map((piece) => (/[。；！？…]$/.test(piece) ? piece : `${piece}；`))
    .join("")
    .replace(/[。；，,]$/, "");
}
