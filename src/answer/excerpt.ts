import type { Concept } from "../search/query.js";

const QUANTITY_INTENT = /多少|多久|多长|几[个天日年月项家条类]?|时限|期限|额度|上限|比例|标准|价格|电价|折|费率|优惠|减免|天内|日内/;
export const FIGURE = /\d|[一二三四五六七八九十两]+(?:个)?(?:工作日|日|天|年|月)|免收|免费|不予|严禁|有权拒绝/;
/** A rule: what may not, must or always be done, or a bound. */
export const RULE = /不得|严禁|禁止|一律|必须|不超过|不低于|不高于|不少于|不超出/;
/** A case the clause sets apart (对……的，), said in the part that ends with it. */
export const CASE = /[^，,。；]的[，,]$/;
/** A labelled metadata line (牵头单位：…) is a field, never the answer itself. */
const FIELD_LINE = /^(牵头单位|责任单位|配合单位|完成时限|完成时间|时间节点)[：:]/;
/** A change from one value to another must be quoted whole, old and new together. */
const CHANGE_OPENS = /(由|从)[^，,]*$/;
const CHANGE_CLOSES = /^[^，,]*(调整为|提高到|提高至|降低到|降低至|压缩至|压缩到|缩短至|缩短到|延长至|延长到|增加到|减少到|扩大到|下调至|上调至|改为|变为)/;
const MAX_EXCERPT = 170;
/** A clause answering alone is quoted whole up to this length: what a caller reads first holds it, with its place. */
const WHOLE_CLAUSE = 250;
/** Longer than this, a sentence is a list run together with commas, and is cut around its best part. */
const LONG_SENTENCE = 200;

/** Sentences of a clause with their closing marks, without its labelled field lines. */
export function clauseSentences(text: string): string[] {
  return text
    .split("\n")
    .flatMap((line) => line.split(/(?=(?:牵头单位|责任单位|配合单位|完成时限)[：:])/))
    .flatMap((line) => line.match(/[^。；！？]+[。；！？]?/g) ?? [])
    .map((s) => s.trim())
    .filter((s) => s && !FIELD_LINE.test(s));
}

export interface ExcerptQuestion {
  /** What this turn asks, weighted above what earlier turns asked. */
  focus: Concept[];
  context: Concept[];
  /**
   * In a follow-up, what this turn names that the earlier question did not
   * (农业 in 农业用电 after 居民用电价格): it decides which sentence, and which
   * part of one, is quoted; the earlier turn's words only break ties.
   */
  own: Concept[];
  /** Words only the earlier question has (居民 there): a part naming them and none of `own` is about the earlier topic. */
  earlierOnly: Concept[];
  wantsQuantity: boolean;
  /** Pairs of the question's concepts it says one right after the other (供热 then 价格 in 供暖供热价格). */
  phrases?: Array<[Concept, Concept]>;
  /** Asks which ones (哪些渠道, 什么途径): named items — quoted names, hotline numbers — answer it. */
  wantsNames: boolean;
  /** Asks for everything on the matter (都有哪些规定, 分别怎么规定): each sentence with a figure of its own is part of it. */
  wantsAll?: boolean;
  /** Asks what to do or whom to call (怎么处理, 去哪投诉): a hotline's number is then a fact of the answer. */
  wantsContact?: boolean;
}

const CONTACT_INTENT = /怎么(处理|办|投诉|反映|举报|维权)|如何(处理|投诉|举报|维权)|找谁|去哪|投诉|举报|热线|电话/;
const ALL_INTENT = /都有(哪些|什么)|有哪些(规定|要求|标准|措施)|分别|各(是|有)多少|一共/;
const NAMES_INTENT = /哪些|哪个|哪几|什么(渠道|途径|平台|热线|电话|部门|机构|方式|办法|原则|要求|机制|模式)|怎么(反映|投诉|联系)/;
const NAMED_ITEM = /“[^”]{2,20}”|\d{4,}/;

/** `earlier`: the earlier question a follow-up leans on. */
export function excerptQuestion(question: string, focus: Concept[], context: Concept[], earlier?: string): ExcerptQuestion {
  const own = earlier ? focus.filter((c) => c.known && !c.forms.some((f) => earlier.includes(f))) : [];
  const asked = new Set(focus.flatMap((c) => c.forms));
  const earlierOnly = own.length ? context.filter((c) => c.known && c.forms.some((f) => earlier!.includes(f)) && !c.forms.some((f) => asked.has(f))) : [];
  return {
    focus,
    context,
    own,
    earlierOnly,
    phrases: phrasesOf(question, focus),
    wantsQuantity: QUANTITY_INTENT.test(question),
    wantsNames: NAMES_INTENT.test(question),
    wantsAll: ALL_INTENT.test(question),
    wantsContact: CONTACT_INTENT.test(question),
  };
}

/** Any of `a`'s forms said right before any of `b`'s in `text`. */
const saysTogether = (text: string, a: Concept, b: Concept) => a.forms.some((x) => b.forms.some((y) => text.includes(x + y)));

function phrasesOf(question: string, focus: Concept[]): Array<[Concept, Concept]> {
  const known = focus.filter((c) => c.known);
  return known.flatMap((a) => known.filter((b) => b !== a && saysTogether(question, a, b)).map((b): [Concept, Concept] => [a, b]));
}

/** What a follow-up names of its own outweighs everything else a sentence has: the rest only breaks ties. */
const OWN_WEIGHT = 100;

/** `given`: concepts counted as present (the heading's, for each sentence under it). */
function sentenceScore(sentence: string, question: ExcerptQuestion, position: number, given: Concept[] = []): number {
  let score = 0;
  const has = (concept: Concept) => given.includes(concept) || concept.forms.some((f) => sentence.includes(f));
  for (const concept of question.focus) if (has(concept)) score += 2 * concept.weight;
  for (const concept of question.context) if (has(concept)) score += concept.weight;
  for (const concept of question.own) if (has(concept)) score += OWN_WEIGHT * concept.weight;
  // Words the question says as one phrase (供热价格) said as one in the sentence: it speaks of that, not of each apart.
  for (const [a, b] of question.phrases ?? []) if (saysTogether(sentence, a, b)) score += Math.min(a.weight, b.weight);
  if (question.wantsQuantity && FIGURE.test(sentence)) score += 1.5;
  // The named items are the answer to "which": worth as much as the question's strongest word.
  if (question.wantsNames && NAMED_ITEM.test(sentence)) score += 2 * Math.max(0.75, ...question.focus.map((c) => c.weight));
  if (position === 0) score += 0.3;
  return score;
}

/**
 * How much `sentence` names of the question beyond what `heading` does: the weights of the question's concepts it
 * names and the heading does not, counting only those as heavy as the heading's own (营业执照 beside 注销, not 要求).
 * A concept the heading names only by a related term (价外收费 for the caller's 捆绑收费) is beyond it in a sentence
 * that says the caller's own word: that sentence speaks of what was asked, the heading of its wider matter.
 */
function namedBeyond(sentence: string, heading: string, question: ExcerptQuestion): number {
  const concepts = [...new Set([...question.focus, ...question.context])].filter((c) => c.known);
  const inHeading = concepts.filter((c) => c.forms.some((f) => heading.includes(f)));
  const strongest = Math.max(0, ...inHeading.map((c) => c.weight));
  const beyond = (c: Concept) =>
    inHeading.includes(c) ? !heading.includes(c.forms[0]) && sentence.includes(c.forms[0]) : c.forms.some((f) => sentence.includes(f));
  return concepts.filter((c) => c.weight >= strongest && beyond(c)).reduce((sum, c) => sum + c.weight, 0);
}

/** Comma-separated parts of a sentence, with a from-X-to-Y change kept in one part. */
export function parts(sentence: string): string[] {
  const raw = sentence.match(/[^，,：:]+[，,：:]?/g) ?? [sentence];
  const joined: string[] = [];
  for (const part of raw) {
    const previous = joined.at(-1);
    if (previous !== undefined && CHANGE_OPENS.test(previous.replace(/[，,]$/, "")) && CHANGE_CLOSES.test(part)) joined[joined.length - 1] = previous + part;
    else joined.push(part);
  }
  return joined;
}

const names = (text: string, concepts: Concept[]) => concepts.some((c) => c.forms.some((f) => text.includes(f)));

/**
 * In a follow-up that narrows the topic, the cases of a sentence that speak of
 * what the follow-up names (……农业非电网直供电终端用户，执行0.312元/千瓦时目录电价),
 * without those only about the earlier topic (对居民……，严格执行0.39元……，);
 * the sentence whole when it does not set the two apart. A case opens with a
 * part that names who or what (对……, ……的，, a part naming either topic) and
 * states no figure, so a case's figures and consequence stay with it; only a
 * sentence whose cases each state their own figure is cut.
 */
function narrow(sentence: string, question: ExcerptQuestion): string {
  if (!question.own.length || !question.earlierOnly.length) return sentence;
  const pieces = parts(sentence);
  const cases: { from: number; to: number; mine: boolean; theirs: boolean; figure: boolean }[] = [];
  pieces.forEach((part, i) => {
    // What follows a case (……的，) belongs to it.
    const bound = i > 0 && CASE.test(pieces[i - 1]);
    const opens = !bound && !FIGURE.test(part) && (part.startsWith("对") || CASE.test(part) || names(part, question.own) || names(part, question.earlierOnly));
    if (i === 0 || opens) cases.push({ from: i, to: i + 1, mine: false, theirs: false, figure: false });
    const current = cases.at(-1)!;
    current.to = i + 1;
    current.mine ||= names(part, question.own);
    current.theirs ||= names(part, question.earlierOnly);
    current.figure ||= FIGURE.test(part);
  });
  const mine = cases.filter((c) => c.mine);
  // Only cases set side by side, each with its own figure (居民 0.39, 农业 0.312), are told apart; anything else is quoted whole.
  if (!mine.length || !mine.every((c) => c.figure) || !cases.some((c) => c.theirs && !c.mine && c.figure)) return sentence;
  const from = mine[0].from;
  const to = mine.at(-1)!.to;
  if ((from === 0 && to === pieces.length) || cases.some((c) => c.from > from && c.to < to && !c.mine)) return sentence;
  const text = pieces
    .slice(from, to)
    .join("")
    .replace(/[，,：:。；！？]$/, "");
  return `${from > 0 ? "……" : ""}${text}${to < pieces.length ? "……" : ""}`;
}

/** Cuts a long sentence to the parts around its best-matching part; a figure the question wants is never dropped. */
function clip(sentence: string, question: ExcerptQuestion, limit: number, strict = false): string {
  const longest = strict ? limit : Math.max(limit, LONG_SENTENCE);
  const narrowed = narrow(sentence, question);
  if (narrowed !== sentence && narrowed.length <= longest) return narrowed;
  // Whole sentences read as the document wrote them; only a run-on sentence is cut.
  if (sentence.length <= longest) return sentence;
  const pieces = parts(sentence);
  const scores = pieces.map((part, i) => sentenceScore(part, question, i));
  const best = scores.indexOf(Math.max(...scores));
  let from = best;
  let to = best;
  let length = pieces[best].length;
  while (true) {
    const left = from > 0 ? pieces[from - 1].length : Infinity;
    const right = to + 1 < pieces.length ? pieces[to + 1].length : Infinity;
    const grow = left <= right * 1.5 ? left : right;
    if (grow === Infinity || length + grow > limit) break;
    // A sentence's opening usually carries its subject: grow towards it unless that costs much more.
    if (left <= right * 1.5) from--;
    else to++;
    length += grow;
  }
  const text = pieces
    .slice(from, to + 1)
    .join("")
    .replace(/[，,：:]$/, "");
  return `${from > 0 ? "……" : ""}${text}${to + 1 < pieces.length ? "……" : ""}`;
}

const bare = (part: string) => part.replace(/\s+/g, "").replace(/[，,：:。；！？]+$/, "");

/** Bigrams as numbers (two UTF-16 units), so sets of them are cheap to build and compare. */
function bigrams(text: string): Set<number> {
  const grams = new Set<number>();
  for (let i = 0; i + 1 < text.length; i++) grams.add(text.charCodeAt(i) * 0x10000 + text.charCodeAt(i + 1));
  return grams;
}

/** A part says what the other side says: it is in the other side's text, or nearly one of its parts (我区 for 我市: Dice of bigrams). */
const COPY_DICE = 0.7;
/** A sentence most of whose characters are copied says nothing the comparison turns on. */
const COPY_SHARE = 0.6;

interface Part {
  /** As written, with its closing mark. */
  raw: string;
  /** Without spaces and closing mark. */
  text: string;
  grams: Set<number>;
}

interface ClauseParts {
  /** The clause's text without spaces, for finding a part in it. */
  flat: string;
  /** Each sentence's parts, in the order of clauseSentences. */
  sentences: Part[][];
  /** All parts, and for each bigram the parts (by index) that have it. */
  all: Part[];
  postings: Map<number, number[]>;
}

/** Clauses are compared again and again (each side against the others, the same clauses across questions): their parts are kept. */
const PARTS_KEPT = 512;
const kept = new Map<string, ClauseParts>();

function clauseParts(text: string): ClauseParts {
  let found = kept.get(text);
  if (!found) {
    const written = clauseSentences(text);
    const sentences = written.map((sentence) =>
      parts(sentence)
        .map((raw) => ({ raw, text: bare(raw) }))
        .filter((part) => part.text)
        .map((part) => ({ ...part, grams: bigrams(part.text) })),
    );
    const all = sentences.flat();
    const postings = new Map<number, number[]>();
    all.forEach((part, id) => {
      for (const gram of part.grams) {
        const ids = postings.get(gram);
        if (ids) ids.push(id);
        else postings.set(gram, [id]);
      }
    });
    found = { flat: written.map(bare).join("\n"), sentences, all, postings };
    if (kept.size >= PARTS_KEPT) kept.delete(kept.keys().next().value!);
    kept.set(text, found);
  }
  return found;
}

/** Whether the other side says this part: in its text, or nearly one of its parts (bigrams shared, counted through postings). */
function copiedBy(part: Part, others: ClauseParts[]): boolean {
  const size = part.grams.size;
  for (const other of others) {
    if (other.flat.includes(part.text)) return true;
    const shared = new Uint16Array(other.all.length);
    for (const gram of part.grams) for (const id of other.postings.get(gram) ?? []) shared[id]++;
    for (let id = 0; id < shared.length; id++) {
      if (shared[id] && (2 * shared[id]) / Math.max(1, size + other.all[id].grams.size) >= COPY_DICE) return true;
    }
  }
  return false;
}

/**
 * How a sentence of one side of a comparison stands to the other side, part by
 * part: the share of its characters the other side also says, and whether a
 * part the other side does not say carries a figure, a time limit or a rule
 * (不得, 一律, ……的，) — the sentence a comparison turns on.
 */
function against(sentence: Part[], others: ClauseParts[]): { copied: number; differs: boolean } {
  let copied = 0;
  let total = 0;
  let differs = false;
  for (const part of sentence) {
    total += part.text.length;
    if (copiedBy(part, others)) copied += part.text.length;
    else if (FIGURE.test(part.raw) || RULE.test(part.raw) || CASE.test(part.raw)) differs = true;
  }
  return { copied: copied / Math.max(1, total), differs };
}

/** Clauses compared with this one (other places'), and this clause's heading, which names the topic of all its sentences. */
export interface Comparison {
  others: string[];
  heading?: string;
}

/** A short sentence with no comma that opens a point (加强知识产权领域信用体系建设。): what, not how. */
const SUBHEADING = 20;

/**
 * The part of a clause that answers the question: its best sentence, and the
 * next best when it also matters, in the clause's own order and words.
 *
 * When clauses are compared, the question's words say which topic, not which
 * sentence: the heading's words count for every sentence under it, sentences
 * the other side also says count for little, and a sentence whose own part
 * carries a figure, time limit or rule the other side lacks counts double, so
 * each side shows what it says differently.
 */
export function excerpt(text: string, question: ExcerptQuestion, limit = MAX_EXCERPT, comparison?: Comparison, whole = true): string {
  const sentences = clauseSentences(text);
  if (!sentences.length) return text;
  const other = comparison?.others.length ? comparison.others.map(clauseParts) : undefined;
  const own = other ? clauseParts(text).sentences : [];
  const heading = other ? comparison?.heading : undefined;
  const given = heading ? [...question.focus, ...question.context].filter((c) => c.forms.some((f) => heading.includes(f))) : [];
  const scored = sentences.map((sentence, i) => {
    const isHeading = heading !== undefined && i === 0 && sentence.startsWith(heading);
    let score = sentenceScore(sentence, question, i, isHeading ? [] : given);
    if (other) {
      const { copied, differs } = against(own[i], other);
      if (copied >= COPY_SHARE) score *= 0.3;
      else if (differs) score *= 2;
      // The heading names the topic both sides share; what each does is below it.
      if (isHeading && sentences.length > 1) score *= 0.5;
    }
    return { sentence, i, score };
  });
  // A short clause answering alone is said whole: what it does for the case (分期履行) may be in a sentence that
  // shares fewer of the question's words than the one naming the case (因疫情引发的…纠纷).
  if (!other && limit >= MAX_EXCERPT && sentences.length > 1 && sentences.join("").length <= (whole ? WHOLE_CLAUSE : limit))
    return sentences.join("").replace(/[。；，,]$/, "");
  const ranked = [...scored].sort((a, b) => b.score - a.score);
  const sentenceLimit = Math.max(60, limit);
  const chosen = [{ ...ranked[0], piece: clip(ranked[0].sentence, question, sentenceLimit) }];
  let length = chosen[0].piece.length;
  // A short heading (加快涉企诉讼案件审理周期。) says what, not how.
  const headingOnly = (c: { sentence: string; i: number }) => c.i === 0 && c.sentence.length <= 30 && sentences.length > 1;
  // A point's short opening inside a clause takes the sentence that follows it, which says how.
  const opening = ranked[0];
  const follows = scored[opening.i + 1];
  const point = opening.sentence.length <= SUBHEADING && !/[，,]/.test(opening.sentence) && !FIGURE.test(opening.sentence) && !RULE.test(opening.sentence);
  // A short heading answered best says what the clause is about: the question asks about the clause's matter, and
  // the sentence after the heading says what it first does (建立……长效监管机制 under 清理规范行业协会商会收费) — unless
  // another names more of what the question asks, as specific as the heading's words (营业执照 beside 注销 of
  // 优化注销流程): that one says how. Either is cut to the room left rather than passed over.
  if (headingOnly(opening) && follows) {
    const added = scored.map((c) => (c.i === opening.i ? 0 : namedBeyond(c.sentence, opening.sentence, question)));
    const most = Math.max(...added);
    const follower = most > 0 ? scored[added.indexOf(most)] : follows;
    const piece = clip(follower.sentence, question, Math.max(60, limit - length), true);
    chosen.push({ ...follower, piece });
    length += piece.length;
  } else if (opening.i > 0 && follows && point) {
    const piece = clip(follows.sentence, question, sentenceLimit);
    if (length + piece.length <= limit) {
      chosen.push({ ...follows, piece });
      length += piece.length;
    }
  }
  // Asked for everything on the matter, a sentence on it with a figure of its own is part of the answer, a little
  // past the usual length (居民 0.39 元, 农业 0.312 元, then 工商业 12%).
  const all = question.wantsAll && !other;
  for (const candidate of ranked.slice(1, all ? 4 : 3)) {
    if (chosen.some((c) => c.i === candidate.i)) continue;
    const piece = clip(candidate.sentence, question, sentenceLimit);
    if (candidate.score < 0.6 * ranked[0].score || candidate.score <= 0.3) continue;
    const ownFigure = all && FIGURE.test(candidate.sentence);
    if (length + piece.length > (ownFigure ? limit * 1.5 : limit)) continue;
    chosen.push({ ...candidate, piece });
    length += piece.length;
  }
  return chosen
    .sort((a, b) => a.i - b.i)
    .map((c) => c.piece)
    .map((piece) => (/[。；！？…]$/.test(piece) ? piece : `${piece}；`))
    .join("")
    .replace(/[。；，,]$/, "");
}
