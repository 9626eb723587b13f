import { taggedWords } from "../../search/tokenize.js";
import { EnglishLexicon, type Lookup, MAX_PHRASE_WORDS } from "./english-lexicon.js";

/** An English question as the Chinese pipeline reads it. */
export interface EnglishReading {
  /** The question in the documents' terms: places, topics in the asker's order, then what is asked (多少, 多长时间…). */
  chinese: string;
  /** Each English phrase and the Chinese it was read as; `known` when a topic's form occurs in the documents. */
  parts: Array<{ english: string; chinese: string; kind: Lookup["kind"]; known?: boolean }>;
  /** What the question asks (多少, 多长时间, 什么时候, 电话…), as the question-words data names it. */
  asks: string[];
}

export interface TranslateOptions {
  /** In how many clauses a Chinese form occurs: a form the documents use is preferred to one they do not. */
  documentFrequency: (form: string) => number;
  lexicon?: EnglishLexicon;
}

const TOKEN = /[\u3400-\u9fff]+|[a-z0-9]+(?:['-][a-z0-9]+)*/g;
const YEAR = /^20\d\d$/;
/** How a Chinese question asks for a figure. */
const FIGURE = "多少";
const ORIGIN = /\b(hong kong|new zealand|south korea|saudi arabia|united states|united kingdom|[a-z]+)-(?:owned|invested|funded|backed)\b/g;
const CONJUNCTION = /^(and|or|but|so|also|then)$/;

/** The forms a word may take in the tables: plurals, -ed/-ing forms and -ly adverbs read as the base form ("subsidies" → "subsidy"). */
export function baseForms(word: string): string[] {
  const forms = [word.replace(/'s$/, "")];
  const w = forms[0];
  if (w.endsWith("ies")) forms.push(`${w.slice(0, -3)}y`);
  if (/(s|x|ch|sh)es$/.test(w)) forms.push(w.slice(0, -2));
  if (w.endsWith("s") && !/(ss|us|is)$/.test(w)) forms.push(w.slice(0, -1));
  if (w.endsWith("ied")) forms.push(`${w.slice(0, -3)}y`);
  if (w.endsWith("ed")) forms.push(w.slice(0, -2), w.slice(0, -1));
  if (w.endsWith("ing")) forms.push(w.slice(0, -3), `${w.slice(0, -3)}e`);
  // Adverbs read as their adjective: electronically → electronic, easily → easy, quickly → quick.
  if (w.endsWith("ically")) forms.push(w.slice(0, -4));
  else if (w.endsWith("ily")) forms.push(`${w.slice(0, -3)}y`);
  else if (w.endsWith("ly") && w.length > 4) forms.push(w.slice(0, -2));
  return [...new Set(forms)].filter((f) => f.length > 1);
}

/** Tags of Chinese words that name things: nouns, names, abbreviations, verbal nouns, words jieba does not know. */
const NAMING_TAG = /^(n|x|j|vn)/;
const namesThing = (form: string) => taggedWords(form).every((w) => NAMING_TAG.test(w.tag));

/**
 * One Chinese form for a term: the first the documents use (the glossary lists the usual form first; CC-CEDICT's
 * exact senses come before its weaker ones), else the first exact form, so a topic the documents lack still shows as
 * one (住房补贴 where no clause has it) and the answerability gate can refuse.
 */
function chooseForm(
  lookup: Extract<Lookup, { kind: "term" }>,
  documentFrequency: (form: string) => number,
  related: () => string[] = () => [],
): string | undefined {
  const exact = lookup.chinese.filter((_, i) => lookup.exact[i]);
  const used = (forms: string[]) => forms.find((form) => documentFrequency(form) > 0);
  if (lookup.source === "glossary") return used(lookup.chinese) ?? lookup.chinese[0];
  // No sense of the word itself is one the documents write: one of a word of its stem may be (excessively → 过头).
  return used(exact) ?? used(related()) ?? (exact.length ? exact[0] : used(lookup.chinese));
}

/**
 * Reads an English question into the documents' Chinese: phrases are matched longest first against the question
 * words, places, the policy glossary and CC-CEDICT (each word also in its base form); words that carry no topic are
 * dropped; Chinese the question quotes is kept as it is.
 */
export function translateQuestion(question: string, { documentFrequency, lexicon = EnglishLexicon.load() }: TranslateOptions): EnglishReading {
  // "a Hong Kong-invested firm in Karamay": the investor's origin says the firm is foreign-invested, not where it asks.
  const text = question
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(ORIGIN, (whole, origin: string) => (lexicon.domesticOwners.has(origin) ? whole : "foreign-invested"));
  const matches = [...text.matchAll(TOKEN)];
  const tokens = matches.map((m) => m[0]);
  // Where a sentence or clause begins: after punctuation or a conjunction ("…, and when does it end?").
  const opens = matches.map(
    (m, i) => i === 0 || /[.?!;:,]/.test(text.slice(matches[i - 1].index + matches[i - 1][0].length, m.index)) || CONJUNCTION.test(tokens[i - 1]),
  );
  const acting: string[] = [];
  const places: string[] = [];
  const topics: string[] = [];
  const asks: string[] = [];
  const parts: EnglishReading["parts"] = [];
  const take = (english: string, lookup: Lookup) => {
    if (lookup.kind === "acting") acting.push(lookup.chinese);
    else if (lookup.kind === "place") places.push(lookup.chinese);
    else if (lookup.kind === "frame") asks.push(lookup.chinese);
    else {
      const form = chooseForm(lookup, documentFrequency, () => (english.includes(" ") ? [] : lexicon.related(english)));
      if (!form) return;
      // A dictionary sense no clause writes that names no thing ("stay" → 下榻, "never" → 从未) is how the asker puts
      // it, not a topic the documents lack: read as one, it would refuse a question the clauses answer.
      if (lookup.source === "cedict" && documentFrequency(form) === 0 && !namesThing(form)) return;
      topics.push(form);
      parts.push({ english, chinese: form, kind: lookup.kind, known: documentFrequency(form) > 0 });
      return;
    }
    parts.push({ english, chinese: lookup.chinese, kind: lookup.kind });
  };
  // The hand-written tables in any base form before the dictionary in any ("reduced" is the glossary's "reduce").
  const find = (words: string[]): Lookup | undefined => {
    // A word that carries no topic is read only as itself, never in a base form ("being" is not "bee").
    if (words.length === 1 && lexicon.stopwords.has(words[0])) return lexicon.lookup(words[0], false);
    const phrases = baseForms(words.at(-1)!).map((last) => [...words.slice(0, -1), last].join(" "));
    for (const dictionary of [false, true]) {
      for (const phrase of phrases) {
        const found = lexicon.lookup(phrase, dictionary);
        if (found) return found;
      }
    }
    return undefined;
  };

  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i];
    if (/^[\u3400-\u9fff]/.test(token)) {
      topics.push(token);
      i++;
      continue;
    }
    let matched = 0;
    for (let n = Math.min(MAX_PHRASE_WORDS, tokens.length - i); n >= 1 && !matched; n--) {
      const words = tokens.slice(i, i + n);
      if (words.some((w) => /^[\u3400-\u9fff]/.test(w))) continue;
      const found = find(words);
      if (!found) continue;
      matched = n;
      // "users who are not supplied": a question word inside a clause asks nothing.
      if (found.kind === "frame" && n === 1 && lexicon.interrogatives.has(words[0]) && !opens[i]) continue;
      take(words.join(" "), found);
    }
    if (matched) {
      i += matched;
      continue;
    }
    if (YEAR.test(token)) topics.push(`${token}年`);
    // "foreign-invested" not in the tables as one word: its parts are read on their own.
    else if (token.includes("-")) {
      for (const part of token.split("-")) {
        const found = part.length > 1 && !lexicon.stopwords.has(part) ? find([part]) : undefined;
        if (found) take(part, found);
      }
    }
    i++;
  }
  if (lexicon.asksFigure.test(text)) asks.push(FIGURE);
  const unique = (list: string[]) => [...new Set(list)];
  const topicList = unique(topics);
  const tail = unique(asks);
  // 多少 right after what it asks of (利率 多少), as a Chinese question puts it; otherwise at the end.
  const quantity = tail.includes(FIGURE) ? topicList.findIndex((t) => lexicon.quantities.has(t)) : -1;
  if (quantity >= 0) topicList.splice(quantity + 1, 0, FIGURE);
  const topicText = topicList.join(" ");
  const asked = tail.filter((a) => quantity < 0 || a !== FIGURE).join(" ");
  const chinese = [unique(acting).join(""), unique(places).join(" "), topicText, asked].filter(Boolean).join(" ");
  return { chinese: topics.length || places.length ? `${chinese}？` : "", parts, asks: tail };
}
