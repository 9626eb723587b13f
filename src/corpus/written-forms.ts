import table from "./written-forms.json" with { type: "json" };

const forms = new Map(Object.entries(table as Record<string, string>));

/** Radical and compatibility code points (U+2E80–U+2FDF, U+F900–U+FAFF, U+2F800–U+2FA1F). */
const FORM = /[\u2e80-\u2fdf\uf900-\ufaff]|[\u{2f800}-\u{2fa1f}]/gu;

/** A Han character, a CJK mark or full-width punctuation: what justification spreads apart. */
const CJK = "\\p{Script=Han}\\u3000-\\u303f\\uff01-\\uff0f\\uff1a-\\uff20\\uff3b-\\uff40\\uff5b-\\uff65“”‘’…—·";

/** White space with a CJK character on both sides (tabs and ideographic spaces too). */
const SPREAD = new RegExp(`(?<=[${CJK}])[ \\t\\u3000\\u00a0]+(?=[${CJK}])`, "gu");

/**
 * Text as it was written: each radical or compatibility code point a PDF's
 * font map (or OCR) put for an ideograph becomes that ideograph (⽰例市⼈⺠政府 →
 * 示例市人民政府), and the spaces justification puts between Chinese
 * characters (定 服 务 ， 实 施) go. Spaces between Latin words and numbers
 * stay, and so does full-width punctuation (（：，）), which full NFKC would
 * turn into ASCII. Lines are kept as they are.
 */
export function toWrittenForms(text: string): string {
  return text.replace(FORM, (char) => forms.get(char) ?? char).replace(SPREAD, "");
}

const HAN = /\p{Script=Han}/u;

/**
 * ASCII punctuation among Chinese text, as OCR reads full-width marks, in the
 * full-width form documents print: (一) → （一）, a comma, colon or semicolon
 * beside a Chinese character → ，：；. Brackets are changed as a pair, and only
 * with a Chinese character inside or beside them, so (COVID-19) in a Latin
 * phrase stays. For OCR only: a text layer keeps the ASCII a typist used.
 */
export function fullWidthPunctuation(text: string): string {
  return text
    .replace(/(.?)\(([^()\n]{1,30})\)(.?)/gu, (whole, before: string, inside: string, after: string) =>
      HAN.test(before) || HAN.test(inside) || HAN.test(after) ? `${before}（${inside}）${after}` : whole,
    )
    .replace(/(?<=\p{Script=Han}),|,(?=\p{Script=Han})/gu, "，")
    .replace(/(?<=\p{Script=Han}):(?!\/\/)/gu, "：")
    .replace(/(?<=\p{Script=Han});|;(?=\p{Script=Han})/gu, "；");
}
