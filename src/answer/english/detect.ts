/** Latin words of two letters or more ("APP", "ETC" and "12345" alone do not make a question English). */
const LATIN_WORD = /[A-Za-z][A-Za-z'’-]*[A-Za-z]/g;
const HAN = /[\u3400-\u9fff]/g;
/** An English question has a few words; a Chinese one naming an app or a card keeps its Han characters in the lead. */
const MIN_WORDS = 3;

/**
 * True when a question is written in English: at least three Latin words, and far more Latin letters than Han
 * characters, so "新疆公安APP能办什么" or "ETC打折吗" stay Chinese while "What does 容缺受理 mean for us?" is English.
 */
export function isEnglishQuestion(question: string): boolean {
  const words = question.match(LATIN_WORD) ?? [];
  if (words.length < MIN_WORDS) return false;
  const letters = words.reduce((sum, word) => sum + word.length, 0);
  const han = question.match(HAN)?.length ?? 0;
  return han * 3 < letters;
}
