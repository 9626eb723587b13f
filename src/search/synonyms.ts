import table from "./synonyms.json" with { type: "json" };

const entries = Object.entries(table as Record<string, string[] | string>)
  .filter((entry): entry is [string, string[]] => !entry[0].startsWith("_") && Array.isArray(entry[1]))
  .sort((a, b) => b[0].length - a[0].length);

export interface Expansion {
  /** The words as asked. */
  phrase: string;
  /** How documents say it. */
  alternatives: string[];
}

/** The synonym entries a question triggers, longest phrases first, without overlaps. */
export function expandSynonyms(text: string): Expansion[] {
  const found: Expansion[] = [];
  let rest = text;
  for (const [phrase, alternatives] of entries) {
    if (!rest.includes(phrase)) continue;
    found.push({ phrase, alternatives: alternatives.filter((a) => a !== phrase) });
    rest = rest.split(phrase).join("\u0000");
  }
  return found;
}
