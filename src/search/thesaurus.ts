import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

/** One idea, as the public says it and as policy documents write it. */
export interface ThesaurusEntry {
  topic: string;
  public: string[];
  documents: string[];
}

export interface Expansion {
  /** The words as asked. */
  phrase: string;
  /** How documents say it. */
  alternatives: string[];
}

const topicFile = z.object({
  topic: z.string(),
  entries: z.array(z.object({ public: z.array(z.string().min(2)).min(1), documents: z.array(z.string().min(1)).min(1) })),
});

/** In a public phrase, … stands for a few words the caller puts between its parts (先关…再开: 先关两年，以后再开). */
const GAP = "…";
/** At most this many characters, within one sentence, fill a gap. */
const GAP_LIMIT = 8;

function gapPattern(phrase: string): RegExp {
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(phrase.split(GAP).map(literal).join(`[^。？！?!\u0000]{0,${GAP_LIMIT}}?`));
}

/**
 * How people ask versus how documents say it, kept as data by topic
 * (`src/search/thesaurus/*.json`). A question's phrases are matched longest
 * first and never overlap, so 营业执照 is not also read as 执照.
 */
export class Thesaurus {
  private readonly phrases: Array<[string, string[]]>;
  private readonly gapped: Array<[RegExp, string[]]>;
  private readonly vocabulary: Set<string>;
  private readonly byPhrase: Map<string, string[]>;
  /** The positions in `phrases` of the phrases starting with each two characters (or one, for a phrase of one), in order. */
  private readonly byStart = new Map<string, number[]>();
  private readonly hasSingles: boolean;

  constructor(readonly entries: ThesaurusEntry[]) {
    const byPhrase = new Map<string, Set<string>>();
    for (const entry of entries) {
      for (const phrase of entry.public) {
        const targets = byPhrase.get(phrase) ?? new Set<string>();
        // Documents punctuate a phrase in more than one way (进一次门，查多项事); its parts are matched on their own.
        for (const term of entry.documents.flatMap((t) => t.split(/[、，,；;。\s]+/)).filter((t) => t.length > 1)) if (term !== phrase) targets.add(term);
        // A shorter way of saying it inside the longer one asked (网上办 in 在网上办) is how a clause may say it too.
        for (const shorter of entry.public) if (shorter !== phrase && !shorter.includes(GAP) && phrase.includes(shorter)) targets.add(shorter);
        byPhrase.set(phrase, targets);
      }
    }
    const all = [...byPhrase].map(([phrase, targets]) => [phrase, [...targets]] as [string, string[]]);
    this.byPhrase = new Map(all);
    this.phrases = all.filter(([phrase]) => !phrase.includes(GAP)).sort((a, b) => b[0].length - a[0].length);
    this.gapped = all.filter(([phrase]) => phrase.includes(GAP)).map(([phrase, targets]) => [gapPattern(phrase), targets]);
    this.vocabulary = new Set(entries.flatMap((e) => [...e.public.filter((p) => !p.includes(GAP)), ...e.documents]));
    this.phrases.forEach(([phrase], at) => {
      const start = phrase.slice(0, 2);
      const list = this.byStart.get(start);
      if (list) list.push(at);
      else this.byStart.set(start, [at]);
    });
    this.hasSingles = this.phrases.some(([phrase]) => phrase.length < 2);
  }

  /** The entries a question triggers, longest phrases first, without overlaps; a phrase with gaps is the words it spans. */
  expand(text: string): Expansion[] {
    const found: Expansion[] = [];
    let rest = text;
    for (const [pattern, alternatives] of this.gapped) {
      const span = pattern.exec(rest)?.[0];
      if (!span) continue;
      found.push({ phrase: span, alternatives });
      rest = rest.split(span).join("\u0000");
    }
    // Only a phrase starting with two characters the text holds together can be in it (what is taken out becomes
    // \u0000, which joins nothing): those are tried, in the same order, not the thousands of them all.
    const tried: number[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < rest.length; i++) {
      const starts = this.hasSingles ? [rest.slice(i, i + 2), rest[i]] : [rest.slice(i, i + 2)];
      for (const start of starts) {
        if (seen.has(start)) continue;
        seen.add(start);
        for (const at of this.byStart.get(start) ?? []) tried.push(at);
      }
    }
    tried.sort((a, b) => a - b);
    for (const at of tried) {
      const [phrase, alternatives] = this.phrases[at];
      if (!rest.includes(phrase)) continue;
      found.push({ phrase, alternatives });
      rest = rest.split(phrase).join("\u0000");
    }
    return found;
  }

  /** How documents say one public phrase, matched whole (骗子 → 电信诈骗…); none for a word no entry asks with. */
  alternativesOf(word: string): string[] | undefined {
    return this.byPhrase.get(word);
  }

  /** True when a word belongs to the policy domain, whether or not these documents use it. */
  knows(word: string): boolean {
    return this.vocabulary.has(word);
  }

  /** Every phrase on either side, for the spelling corrector's vocabulary. */
  words(): Iterable<string> {
    return this.vocabulary;
  }
}

/** Reads every topic file of a thesaurus folder; a malformed file is an error naming it. */
export function loadThesaurus(directory: string): Thesaurus {
  const entries: ThesaurusEntry[] = [];
  for (const name of (existsSync(directory) ? readdirSync(directory) : []).filter((n) => n.endsWith(".json")).sort()) {
    const path = join(directory, name);
    const parsed = topicFile.safeParse(JSON.parse(readFileSync(path, "utf8")));
    if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    for (const entry of parsed.data.entries) entries.push({ topic: parsed.data.topic, ...entry });
  }
  return new Thesaurus(entries);
}

/** The folder shipped with the code. */
export const DEFAULT_THESAURUS_DIR = new URL("./thesaurus/", import.meta.url).pathname;
