import { readFileSync } from "node:fs";
import type { Concept } from "../search/query.js";
import { bigrams, indexWords, taggedWords } from "../search/tokenize.js";

/**
 * What a question is about, read so that a clause holding only part of it does not pass for one that speaks of it:
 * 稳岗返还 is one topic, and a clause about 返还被骗款项 does not speak of it.
 */
export interface Topic {
  /** As the question says it (稳岗返还, 房租, 退役军人). */
  label: string;
  /** Its parts in order, each with the ways documents say it; a compound has several, a word one. */
  parts: string[][];
  /** How rare it is in the knowledge base (inverse clause frequency; the rarest when no clause holds it). */
  weight: number;
  /** No clause of the knowledge base speaks of it: the documents contain no such measure. */
  absent: boolean;
  /**
   * A word of everyday language's dictionary (高新技术, 公寓, 房子), not of the policy vocabulary: absent, it is the
   * question's topic only when the clauses found speak of little else (see answerability.ts), and a refusal names it
   * only then.
   */
  unlisted?: boolean;
  /** Absent only from the places asked about: the places whose documents do speak of it (贴息 asked of 哈密, 克拉玛依's). */
  elsewhere?: string[];
  /**
   * Read in the asker's account of themselves before what they ask (小作坊 in 我们是个小作坊，做馕的，检测费能减免吗):
   * who asks, not the matter a grant is asked for.
   */
  ofAsker?: boolean;
}

/** The clauses topics are looked up in, and the documents' own vocabulary (the thesaurus's document side). */
export interface TopicSource {
  clauses: readonly string[];
  /**
   * Indices of the clauses that may contain a text word for word (a superset), or undefined when it cannot narrow:
   * a topic's count then reads those clauses, not all of them (a million at national scale).
   */
  mayContain?: (text: string) => ArrayLike<number> | undefined;
  /** Words the thesaurus says documents write (退役军人): asked in those words and never written, the topic is absent. */
  documentTerms: ReadonlySet<string>;
  /**
   * True for a word naming what kind of market player asks (合作社, 个体户): who the asker is, which the matcher
   * weighs, not what the question asks about; the documents' measures may apply though they never name it.
   */
  namesAsker?: (word: string) => boolean;
  /**
   * True for a question in which the asker tells of themselves (我们是……, 我在……开了个……): the nouns of that story
   * (饭馆, 汽修) say who asks, not what is asked about.
   */
  tellsOfAsker?: (question: string) => boolean;
}

/** Rarer than this (in at most ~5% of clauses) a concept is part of the question's topic; commoner ones are its setting. */
export const TOPIC_WEIGHT = 3;
/** Parts of a compound may stand this many characters apart in a clause (财政给予适当贴息 speaks of 财政贴息), in order. */
const PART_GAP = 4;

const TOPIC_WORDS = JSON.parse(readFileSync(new URL("./topic-heads.json", import.meta.url), "utf8")) as {
  heads: string[];
  askingNouns: string[];
  measureWords: string[];
  grantWords: string[];
};
const HEADS: string[] = TOPIC_WORDS.heads.sort((a, b) => b.length - a.length);
const ASKING_NOUNS = new Set(TOPIC_WORDS.askingNouns);

/** True when a question's words ask for a measure itself (奖励, 比例, 怎么申请), not whether or where something may be done. */
export const asksForMeasure = (words: string[]): boolean => words.some((word) => TOPIC_WORDS.measureWords.some((m) => word.includes(m)));

/** A topic asking for a grant or a relief (补贴, 政府补贴, 减免), as opposed to the matter it would be for. */
export const namesGrant = (word: string): boolean => TOPIC_WORDS.grantWords.some((grant) => word.includes(grant));

/** A word naming a kind of benefit or charge (补贴, 奖补, 检测费): what is asked for, not the matter it is for. */
export const namesBenefit = (word: string): boolean => HEADS.some((head) => word.endsWith(head));
const HAN = /^[\u3400-\u9fff]+$/;
const NUMERIC = /^[\d.%]+$/;
/** Nouns, names, abbreviations and words jieba does not know (x): what may name the kind of a benefit (稳岗, 摊位, 天山). */
const MODIFIER_TAG = /^(n|x|j|vn|an)/;
/** A verb before the head makes it an action, not a kind (乱收费, 违规收费, 免税): 收费 is charging, not a fee named 乱收. */
const VERB_BEFORE_HEAD = /[收缴交付免退纳减扣罚计降涨加]$/;

const escapePattern = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const idf = (size: number, df: number) => Math.log(1 + (size - df + 0.5) / (df + 0.5));

/** The fewest clauses in which a topic weighs less than TOPIC_WEIGHT, among `size`. */
function commonCount(size: number): number {
  let df = Math.max(0, Math.floor(size / (Math.exp(TOPIC_WEIGHT) - 1)) - 2);
  while (idf(size, df) >= TOPIC_WEIGHT) df++;
  return df;
}

function isModifier(token: { word: string; tag: string } | undefined): token is { word: string; tag: string } {
  return !!token && token.word.length >= 2 && HAN.test(token.word) && MODIFIER_TAG.test(token.tag);
}

/**
 * Terms of a question that name a kind of benefit or charge by a head word (摊位费, 惠企贷, 稳岗返还, 扩岗补助), with
 * the noun before them (天山惠企贷): each is read whole, never as its parts.
 */
export function findCompounds(text: string): string[][] {
  const tokens = taggedWords(text);
  const compounds: string[][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const { word } = tokens[i];
    const head = HAN.test(word) ? HEADS.find((h) => word.endsWith(h)) : undefined;
    if (!head) continue;
    let start = i;
    const parts: string[] = [];
    if (word.length > head.length) {
      // 免费, 收费: a single character before the head is a verb or an adverb, not the kind's name.
      if (word.length - head.length < 2 || VERB_BEFORE_HEAD.test(word.slice(0, -head.length))) continue;
      parts.push(word.slice(0, -head.length), head);
    } else {
      if (!isModifier(tokens[i - 1]) || VERB_BEFORE_HEAD.test(tokens[i - 1].word)) continue;
      start = i - 1;
      parts.push(tokens[start].word, head);
    }
    const before = tokens[start - 1];
    if (isModifier(before) && !VERB_BEFORE_HEAD.test(before.word)) parts.unshift(before.word);
    compounds.push(parts);
  }
  return compounds;
}

/** How many clauses speak of a topic, remembered per knowledge base: the same topics are asked again and again. */
const remembered = new WeakMap<TopicSource, Map<string, number>>();
const MAX_REMEMBERED = 4096;
function frequencies(source: TopicSource): Map<string, number> {
  let known = remembered.get(source);
  if (!known) {
    known = new Map();
    remembered.set(source, known);
  }
  return known;
}

/** True when a clause that may hold `text` passes `test`; every clause is read when the source cannot narrow. */
function someClause(source: TopicSource, text: string, test: (clause: string) => boolean): boolean {
  const narrowed = source.mayContain?.(text);
  if (!narrowed) return source.clauses.some(test);
  for (let i = 0; i < narrowed.length; i++) if (test(source.clauses[narrowed[i]])) return true;
  return false;
}

/**
 * The clauses that may speak of a topic, each once: those that may hold its label, and those that may hold a
 * form of its narrowest part (a clause that has every part has that one). Undefined when some needed text
 * cannot be narrowed: then every clause is read.
 */
function candidates(topic: Pick<Topic, "label" | "parts">, source: TopicSource): Iterable<number> | undefined {
  const { mayContain } = source;
  // With no parts the pattern's second branch is empty and matches every clause.
  if (!mayContain || !topic.parts.length) return undefined;
  const label = mayContain(topic.label);
  if (!label) return undefined;
  let narrowest: Array<ArrayLike<number>> | undefined;
  let narrowestSize = Number.POSITIVE_INFINITY;
  for (const forms of topic.parts) {
    const lists = forms.map((form) => mayContain(form));
    if (lists.some((list) => !list)) continue;
    const size = lists.reduce((sum, list) => sum + list!.length, 0);
    if (size < narrowestSize) [narrowest, narrowestSize] = [lists as Array<ArrayLike<number>>, size];
  }
  if (!narrowest) return undefined;
  const out = new Set<number>();
  for (const list of [label, ...(narrowest ?? [])]) for (let i = 0; i < list.length; i++) out.add(list[i]);
  return out;
}

/** The clauses that speak of a topic, one at a time, so a caller that has what it needs reads no further. */
export function* clausesSpeakingOf(topic: Pick<Topic, "label" | "parts">, source: TopicSource): Generator<number> {
  const pattern = topicPattern(topic);
  for (const at of candidates(topic, source) ?? source.clauses.keys()) if (pattern.test(source.clauses[at])) yield at;
}

/** A pattern that finds the topic spoken of: its label, or its parts in order a few characters apart. */
const compiled = new Map<string, RegExp>();
function topicPattern(topic: Pick<Topic, "label" | "parts">): RegExp {
  const parts = topic.parts.map((forms) => `(?:${forms.map(escapePattern).join("|")})`);
  const source = `${escapePattern(topic.label)}|${parts.join(`[^，。；、]{0,${PART_GAP}}`)}`;
  let pattern = compiled.get(source);
  if (!pattern) {
    if (compiled.size >= MAX_REMEMBERED) compiled.delete(compiled.keys().next().value!);
    pattern = new RegExp(source);
    compiled.set(source, pattern);
  }
  return pattern;
}

/** True when the text speaks of the topic. */
export function speaksOf(topic: Pick<Topic, "label" | "parts">, text: string): boolean {
  return topicPattern(topic).test(text);
}

/**
 * The question's topics: its rare concepts, with compounds kept whole (a compound the clauses never name is absent,
 * though its parts occur apart), and a word the documents would write but these never do (退役军人) absent, whatever
 * looser alternative the thesaurus offers (安置).
 */
export function readTopics(text: string, concepts: Concept[], source: TopicSource): Topic[] {
  const size = Math.max(source.clauses.length, 1);
  const known = frequencies(source);
  // Past this many clauses a topic is too common to be one (its weight falls below TOPIC_WEIGHT and it is left out):
  // counting stops there, as a common word (完成) is otherwise tested against every clause that has it.
  const common = commonCount(size);
  const frequency = (topic: Pick<Topic, "label" | "parts">) => {
    const pattern = topicPattern(topic);
    let count = known.get(pattern.source);
    if (count === undefined) {
      count = 0;
      for (const at of candidates(topic, source) ?? source.clauses.keys()) if (pattern.test(source.clauses[at]) && ++count >= common) break;
      if (known.size >= MAX_REMEMBERED) known.delete(known.keys().next().value!);
      known.set(pattern.source, count);
    }
    return count;
  };
  const formsOf = (part: string) => concepts.find((c) => c.forms[0] === part)?.forms ?? [part];
  const topics: Topic[] = [];
  for (const segmented of findCompounds(text)) {
    const found = asRead(segmented, concepts);
    // A word before a compound the clauses do have (交点 in 少交点检测费, where the caller means 少交点) reads it
    // absent only by accident of segmentation: the compound the clauses have is the topic.
    const shorter = found.slice(1);
    const parts =
      segmented.length > 2 &&
      frequency({ label: found.join(""), parts: found.map(formsOf) }) === 0 &&
      frequency({ label: shorter.join(""), parts: shorter.map(formsOf) }) > 0
        ? shorter
        : found;
    const label = parts.join("");
    if (topics.some((t) => t.label === label)) continue;
    const shape = { label, parts: parts.map(formsOf) };
    const df = frequency(shape);
    topics.push({ ...shape, weight: idf(size, df), absent: df === 0 });
  }
  const story = source.tellsOfAsker?.(text) ?? false;
  // What the asker says they want to apply for or learn about (想申请高新技术企业认定) is what is asked, story or not.
  const wanted = text.search(WANTS);
  const inStory = (word: string) => story && (wanted < 0 || text.indexOf(word) < wanted);
  for (const concept of concepts) {
    const [asked] = concept.forms;
    if (NUMERIC.test(asked) || ASKING_NOUNS.has(asked) || pointsOnly(asked) || topics.some((t) => t.label.includes(asked))) continue;
    if (!concept.topical) {
      // A noun of the language's dictionary no clause writes (高新技术, 残疾人, 公寓), outside the asker's own story.
      if (!inStory(asked) && unlistedNoun(asked, text, concepts, source) && frequency({ label: asked, parts: [[asked]] }) === 0)
        topics.push({ label: asked, parts: [[asked]], weight: idf(size, 0), absent: true, unlisted: true });
      continue;
    }
    if (!concept.known && source.namesAsker?.(asked)) continue;
    if (source.documentTerms.has(asked) && concept.known && namesThing(asked) && !source.namesAsker?.(asked)) {
      // Only the forms that share words with it say the same thing (跨境电子商务 for 跨境电商; not 安置 for 退役军人).
      const own = { label: asked, parts: [concept.forms.filter((f) => bigrams(f).some((b) => asked.includes(b)))] };
      const df = frequency(own);
      if (df === 0) {
        topics.push({ ...own, weight: idf(size, 0), absent: true });
        continue;
      }
      topics.push({ ...own, weight: concept.weight, absent: false });
      continue;
    }
    if (!concept.known) {
      topics.push(...absentNouns(asked, concept.weight, (noun) => frequency({ label: noun, parts: [[noun]] }) === 0));
      continue;
    }
    topics.push({ label: asked, parts: [concept.forms], weight: concept.weight, absent: false });
  }
  const account = askerAccount(text, source);
  if (account) for (const topic of topics) if (account.includes(topic.label)) topic.ofAsker = true;
  // A topic no clause has is as rare as any can be, however small the knowledge base.
  return topics.filter((t) => t.absent || t.weight >= TOPIC_WEIGHT);
}

/**
 * The pieces that open a question by telling who asks (我们是个小作坊，做馕的，) when something else is asked after
 * them; undefined when the question has no such account, or is all account (我们公司想申请贴息).
 */
function askerAccount(question: string, source: TopicSource): string | undefined {
  const pieces = question.split(PIECES).filter(Boolean);
  const { tellsOfAsker } = source;
  if (pieces.length < 2 || !tellsOfAsker?.(pieces[0]) || ASKS.test(pieces[0])) return undefined;
  let told = 1;
  // What the asker goes on to say of themselves: 做馕的, 开饭馆的.
  while (told < pieces.length - 1 && !ASKS.test(pieces[told]) && (tellsOfAsker(pieces[told]) || pieces[told].endsWith("的"))) told++;
  return pieces.slice(0, told).join("，");
}

/**
 * A compound's words as the question was read: words the segmenter cut from one phrase the thesaurus knows (过路 and
 * 费 of 过路费) are joined again, so the part carries that phrase's forms (车辆通行费), not the pieces' own.
 */
function asRead(words: string[], concepts: Concept[]): string[] {
  const read: string[] = [];
  for (let i = 0; i < words.length; i++) {
    let joined = i;
    for (let j = words.length - 1; j > i; j--) {
      const phrase = words.slice(i, j + 1).join("");
      if (concepts.some((c) => c.forms[0] === phrase)) {
        joined = j;
        break;
      }
    }
    read.push(words.slice(i, joined + 1).join(""));
    i = joined;
  }
  return read;
}

/** A pronoun or a determiner (各种, 其他, 任何): it points at things, never names what the question is about. */
function pointsOnly(word: string): boolean {
  const words = taggedWords(word);
  return words.length === 1 && words[0].tag === "r";
}

/** Where the asker turns from who they are to what they want: 想申请, 要办理, 想了解. */
const WANTS = /(想|要|打算|准备)[^，。？?]{0,6}?(申请|办理|了解|咨询|享受|领取)/;

/** Tags of the dictionary's words for things: common nouns, other proper nouns, abbreviations (not people or places). */
const DICTIONARY_NOUN = /^(n|nz|j)$/;

/** One word of the segmenter's dictionary, two characters or more, naming a thing: not a fragment it could not place. */
function dictionaryNoun(word: string): boolean {
  const words = taggedWords(word);
  // The dictionary tags a few degree phrases as nouns (太重): a word opening with a degree adverb names no thing.
  return words.length === 1 && word.length >= 2 && HAN.test(word) && !DEGREE.test(word) && DICTIONARY_NOUN.test(words[0].tag);
}
const DEGREE = /^[太很挺]/;

/**
 * A noun of the dictionary's that may name what the question asks about though no clause writes it: not a word to
 * ask with (区别), not who asks (合作社), not one made of the documents' own words (便民措施: 便民, 措施), and not a
 * piece the segmenter cut from a word the documents have (能容 of 能容缺受理, beside 容缺).
 */
function unlistedNoun(word: string, text: string, concepts: Concept[], source: TopicSource): boolean {
  if (!dictionaryNoun(word) || ASKING_NOUNS.has(word) || source.namesAsker?.(word)) return false;
  const inner = indexWords(word).filter((w) => w !== word);
  if (inner.length && inner.every((w) => someClause(source, w, (clause) => clause.includes(w)))) return false;
  const at = text.indexOf(word);
  return !concepts.some((c) => {
    if (!c.known) return false;
    const form = text.indexOf(c.forms[0]);
    return form >= 0 && form < at + word.length && at < form + c.forms[0].length && !c.forms[0].includes(word);
  });
}

/** Tags of words that name things: nouns, names, abbreviations, verbal nouns, words jieba does not know. */
const NAMING_TAG = /^(n|x|j|vn)/;

/** One word, or a phrase of nouns (退役军人, 物业费): it names a thing, not what someone does (网上办税, 出报告). */
function namesThing(phrase: string): boolean {
  const words = taggedWords(phrase).filter((w) => HAN.test(w.word));
  return words.length <= 1 || words.every((w) => NAMING_TAG.test(w.tag));
}

/**
 * What of a phrase no clause has names a missing measure: a measure is named by a noun (房租, 物业费), while what the
 * caller does (出报告, 网上办税) is only how they put it, which the documents may word otherwise. One word, or a
 * phrase of nouns, is absent whole; in one with a verb, each noun no clause has is (交房租 → 房租).
 */
function absentNouns(phrase: string, weight: number, absent: (noun: string) => boolean): Topic[] {
  if (namesThing(phrase)) return [{ label: phrase, parts: [[phrase]], weight, absent: true }];
  const naming = taggedWords(phrase).filter((w) => HAN.test(w.word) && NAMING_TAG.test(w.tag));
  return naming.filter((w) => w.word.length >= 2 && absent(w.word)).map((w) => ({ label: w.word, parts: [[w.word]], weight, absent: true }));
}

/** The words around a form in a clause, between punctuation and list words (稳岗 → 稳岗扩岗); none when they run long. */
export function phraseAround(form: string, text: string, maxChars = 8): string | undefined {
  const piece = text.split(/[，。；：、（）()“”"《》\s]|和|及|与|或|等|的/).find((p) => p.includes(form));
  return piece && piece.length <= maxChars ? piece : undefined;
}

/** A heading as a topic's name: its outline marker and anything after its first clause left out (（七）发挥金融贷款工具作用). */
export function headingName(heading: string | undefined, maxChars = 16): string | undefined {
  const name = heading
    ?.replace(/^\s*([（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.、．])\s*/, "")
    .split(/[，。；]/)[0]
    .trim();
  return name && name.length <= maxChars ? name : undefined;
}

/** A piece that asks something: a question word, or the 免不免 / 能不能 form. */
const ASKS = /吗|呢|什么|啥|多少|多久|多长|怎|如何|哪|几|是否|能否|可否|有没有|可不可以|谁|(\p{Script=Han})不\1/u;

/** Where a question's pieces part: punctuation, and the words that list one need after another. */
const PIECES = /[，,；;。！？?!\s]+|另外|还有|以及|一是|二是|三是/;

/**
 * The question less its pieces that speak of `topic`: what is left to answer when the documents have nothing on that
 * topic. Undefined when nothing of substance is left (the topic was the whole question).
 */
export function withoutTopic(question: string, topic: Pick<Topic, "label" | "parts">): string | undefined {
  const pieces = question.split(PIECES).filter(Boolean);
  const kept = pieces.filter((piece) => !piece.includes(topic.label) && !speaksOf(topic, piece));
  // Something must still be asked: 我在哈密租的是国有企业的门面 is the story around the topic taken out, not a question.
  if (kept.length === pieces.length || !kept.some((piece) => ASKS.test(piece))) return undefined;
  const rest = kept.join("，");
  // A few characters (有什么政策, 怎么申请) ask nothing of their own.
  return rest.replace(/[的了吗呢啊吧]/g, "").length >= 6 ? `${rest}？` : undefined;
}
