const graphemes = new Intl.Segmenter("zh", { granularity: "grapheme" });

/**
 * Lines and sentences (after 。；！？): the places a message may be cut. ICU's sentence
 * segmenter is not used here: it ends a sentence at a list's "1. ", which must stay with its item.
 */
const boundaries = (text: string) => text.split(/(?<=\n)|(?<=[。；！？])/).filter(Boolean);

/** Cuts a unit longer than the limit between user-perceived characters: never inside a surrogate pair or an emoji sequence. */
function hardCut(unit: string, limit: number): string[] {
  const pieces: string[] = [];
  let current = "";
  for (const { segment } of graphemes.segment(unit)) {
    if (current && current.length + segment.length > limit) {
      pieces.push(current);
      current = "";
    }
    current += segment;
  }
  if (current) pieces.push(current);
  return pieces;
}

/**
 * Splits text into pieces of at most `limit` characters (UTF-16 code units, as
 * the channels count them), at line or sentence boundaries, hard-cutting only a
 * sentence longer than the limit, and then between whole characters. Channels
 * use it for their own limits (a WeChat message, a Slack section).
 */
export function splitAtBoundaries(text: string, limit: number): string[] {
  if (text.length <= limit) return [text];
  const messages: string[] = [];
  let current = "";
  for (const unit of boundaries(text)) {
    const pieces = unit.length > limit ? hardCut(unit, limit) : [unit];
    for (const piece of pieces) {
      if (current.length + piece.length > limit) {
        if (current.trim()) messages.push(current.trimEnd());
        current = "";
      }
      current += piece;
    }
  }
  if (current.trim()) messages.push(current.trimEnd());
  return messages.filter(Boolean);
}
