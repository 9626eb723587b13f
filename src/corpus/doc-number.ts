/**
 * A 文号 on a line of its own: an issuer's abbreviation, the year in brackets, the number and 号
 * (吐政发〔2025〕8号). GB/T 9704 prints the year in 〔〕; typists use ［］ [] （） () 【】, and OCR reads
 * 〔〕 as any of them. A mark after 号 (吐政发〔2025〕8号：) is a speck OCR read as punctuation: nothing
 * follows a 文号 on its line, so it is tolerated and dropped.
 */
const DOC_NUMBER = /^([\u4e00-\u9fa5]{1,12})[〔［[（(【](\d{4})[〕］\])）】](\d+)号[：:，,。.、；;]?$/;

/** The 文号 a line (already without white space) holds, its year in 〔〕 as it is matched and shown; undefined when the line is not one. */
export function readDocNumber(line: string): string | undefined {
  const m = line.match(DOC_NUMBER);
  return m ? `${m[1]}〔${m[2]}〕${m[3]}号` : undefined;
}
