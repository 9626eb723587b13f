import { readFileSync } from "node:fs";
import { dict } from "@node-rs/jieba/dict.js";

interface SpokenVerbData {
  complements: string[];
  light: string[];
  maxVerbs: number;
}

/** A spoken act in a question: as the caller wrote it (封了, 捆着), and the character that names the act (封, 捆). */
export interface SpokenAct {
  asked: string;
  act: string;
}

let data: { complements: Set<string>; light: Set<string>; maxVerbs: number } | undefined;
const settings = () => {
  if (!data) {
    const raw = JSON.parse(readFileSync(new URL("./spoken-verbs.json", import.meta.url), "utf8")) as SpokenVerbData;
    data = { complements: new Set(raw.complements), light: new Set(raw.light), maxVerbs: raw.maxVerbs };
  }
  return data;
};

const HAN = /^\p{Script=Han}$/u;
/** 了 ends too many words of its own (为了, 除了, 算了) to mark a verb inside one. */
const INSIDE_COMPLEMENT = /^(\p{Script=Han})[着住掉]$/u;
/** The segmenter keeps the passive or disposal mark with the act (被扣, 把封): 被扣着 is 扣. */
const MARKED = /^[被把给](\p{Script=Han})$/u;

/**
 * The acts a question says with one character and a complement: 封 of 厂房封了, 捆 of 捆着卖, 冻 of 冻住了. `words` is
 * the question in the segmenter's precise words, in order.
 */
export function spokenActs(words: readonly string[]): SpokenAct[] {
  const { complements, light } = settings();
  const acts: SpokenAct[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const next = words[i + 1];
    let act: SpokenAct | undefined;
    const alone = HAN.test(word) ? word : MARKED.exec(word)?.[1];
    if (alone && next !== undefined && complements.has(next) && (next !== "了" || doneTo(words, i))) act = { asked: word + next, act: alone };
    else if (INSIDE_COMPLEMENT.test(word)) act = { asked: word, act: word[0] };
    if (act && !light.has(act.act) && !acts.some((a) => a.act === act.act)) acts.push(act);
  }
  return acts;
}

/**
 * 了 after an act done to the asker (被冻了, 把厂房封了, 封了，) rather than one they tell of doing (租了个摊位, 开了家店):
 * the act is marked passive or disposal, or ends its clause.
 */
function doneTo(words: readonly string[], at: number): boolean {
  const after = words[at + 2];
  return MARKED.test(words[at]) || /^[被把]$/.test(words[at - 1] ?? "") || after === undefined || /^[\p{P}\s]/u.test(after);
}

let verbsByCharacter: Map<string, string[]> | undefined;
/** The segmenter dictionary's two-character verbs by character: read on first use (a few MB), not at import. */
function dictionaryVerbs(): Map<string, string[]> {
  if (verbsByCharacter) return verbsByCharacter;
  verbsByCharacter = new Map();
  for (const line of Buffer.from(dict).toString("utf8").split("\n")) {
    const [word, , tag] = line.split(" ");
    if (word?.length !== 2 || !tag?.startsWith("v") || !HAN.test(word[0]) || !HAN.test(word[1])) continue;
    for (const character of new Set(word)) {
      const list = verbsByCharacter.get(character);
      if (list) list.push(word);
      else verbsByCharacter.set(character, [word]);
    }
  }
  return verbsByCharacter;
}

/**
 * The documents' verbs an act may be written as (封 → 查封, 封闭): the dictionary's two-character verbs holding its
 * character that some clause uses. None when too many do, for then the character alone does not say which act.
 */
export function documentVerbs(act: string, usedByClauses: (word: string) => boolean): string[] {
  const verbs = (dictionaryVerbs().get(act) ?? []).filter(usedByClauses);
  return verbs.length <= settings().maxVerbs ? verbs : [];
}
