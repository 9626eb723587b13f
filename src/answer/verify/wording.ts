import { NUMERAL_CHARS } from "./numerals.js";
import { vocabulary } from "./vocabulary.js";

const literal = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const NUMERAL = `[\\d${NUMERAL_CHARS}]`;
/** Any of the words, the longest tried first so a longer word is never read as a shorter one inside it. */
const anyOf = (words: string[]) =>
  new RegExp(
    [...words]
      .map(literal)
      .sort((a, b) => b.length - a.length)
      .join("|"),
    "g",
  );
const PROMISES = anyOf(vocabulary.promises.words);
const NOT_PROMISES = new RegExp(vocabulary.promises.notPromises.map(literal).join("|"), "g");
const CONTACTS = anyOf(vocabulary.contacts.words);
const PROSE = new RegExp(`(?<!${NUMERAL})(?:${vocabulary.prose.patterns.join("|")})(?!${NUMERAL})`, "g");
/** Whatever can still write a number once figures, identifiers and known words are taken out: it must come from a clause. */
const NUMERIC = new RegExp(`(?:[\\p{N}${NUMERAL_CHARS}半双倍])+`, "gu");

const blank = (text: string, pattern: RegExp) => text.replace(pattern, (found) => "□".repeat(found.length));

/** The promise words and the contact or payment words in flattened text, and the text without them or other known words. */
export function readWording(flat: string): { promises: string[]; contacts: string[]; rest: string } {
  const withoutDeposits = blank(flat, NOT_PROMISES);
  const promises = [...withoutDeposits.matchAll(PROMISES)].map((m) => m[0]);
  const contacts = [...flat.matchAll(CONTACTS)].map((m) => m[0]);
  const rest = blank(blank(blank(withoutDeposits, PROMISES), CONTACTS), PROSE);
  return { promises: [...new Set(promises)], contacts: [...new Set(contacts)], rest };
}

/**
 * Runs of numeral characters nothing has accounted for (九五, 双, a digit),
 * each with the character on either side, so the caller can look for it in a clause.
 */
export function leftoverNumerals(text: string): Array<{ run: string; before: string; after: string }> {
  return [...text.matchAll(NUMERIC)].map((m) => ({ run: m[0], before: text[m.index - 1] ?? "", after: text[m.index + m[0].length] ?? "" }));
}
