import * as OpenCC from "opencc-js/t2cn";

type Convert = (text: string) => string;
let toSimplified: Convert | undefined;

// Zero-width marks and lone surrogates survive copy-paste from chat apps and
// split words invisibly; they carry no meaning in a question.
const INVISIBLE = /[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The form every question is searched in: full-width letters and digits folded
 * (NFKC), invisible characters removed, traditional characters simplified
 * (Taiwan and Hong Kong variants included), white space collapsed.
 */
export function normalizeQuestion(text: string): string {
  // The OpenCC dictionaries take ~50 ms to build: on first use, not at import.
  const convert = toSimplified ?? OpenCC.Converter({ from: "tw", to: "cn" });
  toSimplified = convert;
  const folded = text.replace(INVISIBLE, "").normalize("NFKC");
  // NFKC turns the full-width question mark and comma into ASCII; put the Chinese marks back for the sentence splitter.
  return convert(folded)
    .replace(/\?/g, "？")
    .replace(/(?<=[\u3400-\u9fff]),(?=[\u3400-\u9fff])/g, "，")
    .replace(/\s+/g, " ")
    .trim();
}
