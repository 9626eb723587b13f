import { pinyin } from "pinyin-pro";

export interface Correction {
  from: string;
  to: string;
}

const HAN_RUN = /[\u3400-\u9fff]+/g;
/**
 * Characters of the question's own frame (几 in 几个月, 吗, 的) and of degree (很, 最, 死 of 贵死了): they are typed
 * on purpose, and replacing one by a homophone (几 → 集, 死了 → 私了) turns a question into nonsense.
 */
const FRAME_CHARACTERS = new Set(
  "的了吗呢吧啊呀么嘛哦是有没不会能要想得我你他她它这那该此其哪几多少怎么什谁啥为和与及或在对把被给跟向从到由于以比按就都也还又再才先很最更太挺死",
);
const MAX_WORD = 4;
/**
 * What counts a measure word: a numeral (50条里 and 三项中 are a count and a place in it, never a slipped word, 条例),
 * or 了 with the 一 dropped, as callers say it (开了家旅行社, 办了个证): 了家 is no slip for 了解.
 */
const COUNTS = /[0-9０-９一二三四五六七八九十百千两几了]/;
const MEASURE_WORDS = new Set("条项个件家类次种批款");

const readingsCache = new Map<string, string[]>();
/** Toneless readings of one character, all of them for a polyphone (行: xing, hang). */
function readings(char: string): string[] {
  let found = readingsCache.get(char);
  if (!found) {
    found = pinyin(char, { toneType: "none", multiple: true, type: "array" });
    readingsCache.set(char, found);
  }
  return found;
}

const wordReadingCache = new Map<string, string[]>();
/** Each character's reading as it is read in this word (行 in 银行: hang). */
function wordReadings(word: string): string[] {
  let found = wordReadingCache.get(word);
  if (!found) {
    found = pinyin(word, { toneType: "none", type: "array" });
    wordReadingCache.set(word, found);
  }
  return found;
}

/**
 * A slip types a character that can be read as the intended character is read
 * in its word: 或 (huo) for 货 in 供货商. Comparing every reading of both would
 * let polyphones pair up by accident (说 and 兑 share the rare reading yue).
 */
const typedFor = (word: string, i: number, typed: string) => readings(typed).includes(wordReadings(word)[i]);

/** Words by their shape with one character blanked: 合? → 合理, 合法 … */
function patternsOf(words: Iterable<string>): Map<string, string[]> {
  const patterns = new Map<string, string[]>();
  for (const word of words) {
    if (word.length < 2 || word.length > MAX_WORD || !/^[\u3400-\u9fff]+$/.test(word)) continue;
    for (let i = 0; i < word.length; i++) {
      const key = `${word.slice(0, i)}?${word.slice(i + 1)}`;
      const list = patterns.get(key);
      if (!list) patterns.set(key, [word]);
      else if (!list.includes(word)) list.push(word);
    }
  }
  return patterns;
}

/** The vocabulary a corrector reads: the documents' words and how often clauses use them. */
export interface SpellingVocabulary {
  /** Every word the documents or the thesaurus write. */
  words: () => Iterable<string>;
  /** True when documents contain this two-character sequence. */
  knownBigram: (bigram: string) => boolean;
  /** How many clauses use a word: between two readings of a slip (减面: 减免 or 见面?), the commoner wins. */
  frequency: (word: string) => number;
  /** Whether `words` holds a word, without reading them all. */
  has: (word: string) => boolean;
}

/**
 * Undoes pinyin-keyboard slips (供或商 → 供货商, 合里 → 合理, 工成 → 工程): a
 * stretch of the question that the documents never write, one character away
 * from a word they do write, where the two characters sound the same.
 */
export class SpellingCorrector {
  /**
   * The words' patterns (patternsOf): of the whole vocabulary, or, carried over publishes, of an earlier
   * vocabulary and of the words each publish brought, whose words are then checked against this one.
   */
  private patterns?: ReadonlyArray<ReadonlyMap<string, readonly string[]>>;
  private carried = false;

  constructor(
    private readonly vocabulary: SpellingVocabulary,
    /** General language's words of a text, in order (jieba): a slip never cuts one in two. */
    private readonly segment: (text: string) => string[] = (text) => [...text],
  ) {}

  /**
   * The corrector of a vocabulary a publish changed (`next`), which may hold `added` words this one lacks: the
   * patterns of hundreds of thousands of words are kept rather than built again for the first question after it,
   * and a kept word `next` no longer has is passed over. This one stays as it was for answers under way.
   */
  changed(next: SpellingVocabulary, added: Iterable<string>): SpellingCorrector {
    const corrector = new SpellingCorrector(next, this.segment);
    // Not built yet (no question has needed it): built from the whole of `next` when one does.
    if (this.patterns) {
      const brought = patternsOf([...added].filter((word) => !this.vocabulary.has(word)));
      corrector.patterns = brought.size ? [...this.patterns, brought] : this.patterns;
      corrector.carried = true;
    }
    return corrector;
  }

  /** Builds the words' patterns now, as a server does before its first question, not on the first slip. */
  prepare(): ReadonlyArray<ReadonlyMap<string, readonly string[]>> {
    this.patterns ??= [patternsOf(this.vocabulary.words())];
    return this.patterns;
  }

  /** The vocabulary's words that `pattern` (a word with one character as ?, 合?) fits. */
  wordsLike(pattern: string): readonly string[] {
    // Built on first use unless prepared: at 100,000 clauses the vocabulary is large, and most questions need none.
    const all = this.prepare();
    if (!this.carried) return all[0].get(pattern) ?? [];
    const found = new Set<string>();
    for (const patterns of all) for (const word of patterns.get(pattern) ?? []) if (this.vocabulary.has(word)) found.add(word);
    return [...found];
  }

  corrections(text: string): Correction[] {
    const found: Correction[] = [];
    for (const match of text.matchAll(HAN_RUN)) {
      const run = match[0];
      const taken = new Array<boolean>(run.length).fill(false);
      // The run's words as spans: 能不能简 ends inside 简单 and 旅行 inside 旅行社, so neither is a slipped word (能不能减,
      // 履行); 帐户 at the end of 银行帐户 is.
      const spans: Array<[number, number]> = [];
      let at = 0;
      for (const word of this.segment(run)) {
        spans.push([at, at + word.length]);
        at += word.length;
      }
      const cutsAWord = (start: number, end: number) =>
        spans.some(([from, to]) => (from >= start && from < end && to > end) || (from < start && to > start && to < end));
      for (let length = Math.min(MAX_WORD, run.length); length >= 2; length--) {
        for (let start = 0; start + length <= run.length; start++) {
          if (taken.slice(start, start + length).some(Boolean)) continue;
          if (cutsAWord(start, start + length)) continue;
          const window = run.slice(start, start + length);
          const before = text[(match.index ?? 0) + start - 1] ?? "";
          if (MEASURE_WORDS.has(window[0]) && COUNTS.test(before)) continue;
          const replacement = this.correctWindow(window);
          if (!replacement) continue;
          found.push({ from: window, to: replacement });
          taken.fill(true, start, start + length);
        }
      }
    }
    return found;
  }

  private correctWindow(window: string): string | undefined {
    let best: string | undefined;
    let bestFrequency = -1;
    for (let i = 0; i < window.length; i++) {
      if (FRAME_CHARACTERS.has(window[i])) continue;
      if (i > 0 && MEASURE_WORDS.has(window[i]) && COUNTS.test(window[i - 1])) continue;
      // The slip must be what makes the window unknown: a bigram through position i that no document has.
      const left = i > 0 ? window.slice(i - 1, i + 1) : undefined;
      const right = i + 1 < window.length ? window.slice(i, i + 2) : undefined;
      if (![left, right].some((bigram) => bigram && !this.vocabulary.knownBigram(bigram))) continue;
      for (const word of this.wordsLike(`${window.slice(0, i)}?${window.slice(i + 1)}`)) {
        if (!typedFor(word, i, window[i])) continue;
        const frequency = this.vocabulary.frequency(word);
        if (frequency > bestFrequency) [best, bestFrequency] = [word, frequency];
      }
    }
    return best;
  }

  /** The text with every slip replaced. */
  correct(text: string): { text: string; corrections: Correction[] } {
    const corrections = this.corrections(text);
    let corrected = text;
    for (const { from, to } of corrections) corrected = corrected.split(from).join(to);
    return { text: corrected, corrections };
  }
}
