import { readFileSync } from "node:fs";

/** One English idea and how the documents say it, from the hand-written glossary. */
interface GlossaryEntry {
  en: string[];
  zh: string[];
}

interface Glossary {
  topics: Record<string, GlossaryEntry[]>;
  places: Record<string, string>;
}

interface QuestionWords {
  frames: Array<{ en: string[]; zh: string }>;
  acting: { en: string[]; zh: string };
  stopwords: string[];
  domesticOwners: string[];
  interrogatives: string[];
  quantities: { en: string[]; zh: string[] };
}

/** Built by scripts/build-english-lexicon.mts from CC-CEDICT: English key → headwords ("~" marks a weaker sense). */
interface CedictDerived {
  places: Record<string, string>;
  words: Record<string, string[]>;
}

/** What an English word or phrase can stand for. */
export type Lookup =
  | { kind: "term"; chinese: string[]; source: "glossary" | "cedict"; exact: boolean[] }
  | { kind: "place"; chinese: string }
  | { kind: "frame"; chinese: string }
  | { kind: "acting"; chinese: string };

/** An English word's stem, near enough to match rigging with rig and excessively with excessive. */
export function stem(word: string): string {
  let w = word.toLowerCase();
  for (const suffix of ["ingly", "edly", "ly", "ing", "ed", "ive", "ion", "ment", "es", "s"]) {
    if (w.length - suffix.length >= 3 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  for (const suffix of ["ive", "ion", "ment"]) if (w.length - suffix.length >= 3 && w.endsWith(suffix)) w = w.slice(0, -suffix.length);
  // rigg(ing) → rig, stopp(ed) → stop
  return /([b-df-hj-np-tv-z])\1$/.test(w) ? w.slice(0, -1) : w;
}

const read = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), "utf8")) as T;

/** The longest phrase any table holds, in words. */
export const MAX_PHRASE_WORDS = 6;

/**
 * The English vocabulary: the policy glossary and question words (hand-written data), and the CC-CEDICT reverse
 * index (derived data). About 2 MB of JSON, read on the first English question and kept: never at import.
 */
export class EnglishLexicon {
  private static shared?: EnglishLexicon;
  private readonly glossary = new Map<string, string[]>();
  private readonly places = new Map<string, string>();
  private readonly frames = new Map<string, string>();
  private readonly acting = new Map<string, string>();
  readonly stopwords: ReadonlySet<string>;
  /** "state-owned", "privately-owned": owners that are not foreign. */
  readonly domesticOwners: ReadonlySet<string>;
  /** One-word frames that ask only at the start of a sentence or clause. */
  readonly interrogatives: ReadonlySet<string>;
  /** "what is the interest rate": the nouns after which a figure is asked. */
  readonly asksFigure: RegExp;
  /** The forms a figure is asked of (利率, 电价 …). */
  readonly quantities: ReadonlySet<string>;
  private readonly cedict: Record<string, string[]>;
  /** CC-CEDICT read backwards by word stem: "rig" → 围标 (bid rigging), 操纵 (rig). Made on first use. */
  private byStem?: Map<string, Array<{ chinese: string; words: number; word: string }>>;

  private constructor(glossary: Glossary, words: QuestionWords, derived: CedictDerived) {
    for (const entry of Object.values(glossary.topics).flat()) for (const en of entry.en) this.glossary.set(en.toLowerCase(), entry.zh);
    for (const [en, zh] of Object.entries(derived.places)) this.places.set(en, zh);
    for (const [en, zh] of Object.entries(glossary.places)) this.places.set(en, zh);
    for (const frame of words.frames) for (const en of frame.en) this.frames.set(en, frame.zh);
    for (const en of words.acting.en) this.acting.set(en, words.acting.zh);
    this.stopwords = new Set(words.stopwords);
    this.domesticOwners = new Set(words.domesticOwners);
    this.interrogatives = new Set(words.interrogatives);
    this.asksFigure = new RegExp(`\\bwhat(?:'s| is| are| was| were)(?: the| a| an)?(?: [a-z-]+){0,3}? (?:${words.quantities.en.join("|")})s?\\b`);
    this.quantities = new Set(words.quantities.zh);
    this.cedict = derived.words;
  }

  /**
   * Headwords whose English senses use another word of the same stem ("excessive" → 过头 by "excessively", "filing"
   * → 立案 by "file a case"), closest senses (fewest words) first. How the documents say what the asker's own word does not
   * find: the forward senses of "excessive" (过度, 过量) are words no clause writes.
   */
  related(word: string): string[] {
    if (!this.byStem) {
      this.byStem = new Map();
      for (const [english, headwords] of Object.entries(this.cedict)) {
        const words = english.split(/[\s-]+/);
        for (const w of words) {
          if (w.length < 3 || this.stopwords.has(w)) continue;
          const key = stem(w);
          const list = this.byStem.get(key) ?? [];
          this.byStem.set(key, list);
          for (const h of headwords) if (!h.startsWith("~")) list.push({ chinese: h, words: words.length, word: w });
        }
      }
    }
    // Only through another word of the stem: senses using the word itself ("long" in long distance) are its own
    // senses' company, which the forward reading has already weighed.
    const found = (this.byStem.get(stem(word)) ?? []).filter((f) => f.word !== word);
    return [...new Set(found.sort((a, b) => a.words - b.words).map((f) => f.chinese))];
  }

  /** The lexicon, read from its data files on first use. */
  static load(): EnglishLexicon {
    EnglishLexicon.shared ??= new EnglishLexicon(read("glossary.json"), read("question-words.json"), read("cedict-derived.json"));
    return EnglishLexicon.shared;
  }

  /**
   * What a phrase (lower case, words separated by one space) means: question words first, then places, the glossary,
   * and CC-CEDICT unless `dictionary` is false.
   */
  lookup(phrase: string, dictionary = true): Lookup | undefined {
    const acting = this.acting.get(phrase);
    if (acting) return { kind: "acting", chinese: acting };
    const frame = this.frames.get(phrase);
    if (frame) return { kind: "frame", chinese: frame };
    const place = this.places.get(phrase);
    if (place) return { kind: "place", chinese: place };
    const glossary = this.glossary.get(phrase);
    if (glossary) return { kind: "term", chinese: glossary, source: "glossary", exact: glossary.map(() => true) };
    if (!dictionary) return undefined;
    const words = phrase.split(" ");
    // A dictionary phrase must begin and end on a word that says something ("the number" is no term).
    if (this.stopwords.has(words[0]) || this.stopwords.has(words.at(-1)!)) return undefined;
    const cedict = this.cedict[phrase];
    if (!cedict?.length || phrase.length < 2) return undefined;
    return { kind: "term", chinese: cedict.map((w) => w.replace(/^~/, "")), source: "cedict", exact: cedict.map((w) => !w.startsWith("~")) };
  }
}
