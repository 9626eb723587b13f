/**
 * Splits text into pieces of at most `limit` characters, at line or sentence
 * boundaries, hard-cutting only a sentence longer than the limit. Channels use
 * it for their own limits (a WeChat message, a Slack section).
 */
export function splitAtBoundaries(text: string, limit: number): string[] {
  if (text.length <= limit) return [text];
  const units = text.split(/(?<=\n)|(?<=[。；！？])/);
  const messages: string[] = [];
  let current = "";
  for (let unit of units) {
    while (unit.length > limit) {
      if (current) messages.push(current.trimEnd());
      current = "";
      messages.push(unit.slice(0, limit));
      unit = unit.slice(limit);
    }
    if (current.length + unit.length > limit) {
      messages.push(current.trimEnd());
      current = "";
    }
    current += unit;
  }
  if (current.trim()) messages.push(current.trimEnd());
  return messages.filter(Boolean);
}
