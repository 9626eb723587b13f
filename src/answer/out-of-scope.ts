import { readFileSync } from "node:fs";
import type { KeywordIndex } from "../search/keyword-index.js";
import { queryWords } from "../search/tokenize.js";
import type { RefusalReason } from "../types.js";

type Detected = Extract<RefusalReason, "personal-matter" | "request-to-act" | "no-match">;

/** Matches questions of the kinds the bot declines outright, from a data file of patterns by kind. */
export class OutOfScopeDetector {
  private constructor(private readonly rules: Array<[Detected, RegExp[]]>) {}

  static load(path = new URL("./out-of-scope.json", import.meta.url)): OutOfScopeDetector {
    const data = JSON.parse(readFileSync(path, "utf8")) as Record<string, { patterns?: string[] }>;
    // Off-topic questions get the plain no-match message: nothing in the knowledge base is near them.
    // Off-topic first: "帮我写一首诗" is chit-chat, not a request to act for the caller.
    const kinds: Array<[Detected, string]> = [
      ["no-match", "off-topic"],
      ["request-to-act", "request-to-act"],
      ["personal-matter", "personal-matter"],
    ];
    return new OutOfScopeDetector(kinds.map(([reason, key]) => [reason, (data[key]?.patterns ?? []).map((p) => new RegExp(p, "i"))]));
  }

  /**
   * The kind of question this is, when it is one the bot must decline. A personal matter the documents themselves
   * speak of (身份证 where a clause shortens its issue time) is theirs to answer: `documentsSpeakOf` says so.
   */
  detect(question: string, documentsSpeakOf: (words: string) => boolean = () => false): Detected | undefined {
    for (const [kind, patterns] of this.rules) {
      for (const pattern of patterns) {
        const found = pattern.exec(question)?.[0];
        if (found === undefined) continue;
        if (kind === "personal-matter" && documentsSpeakOf(found)) continue;
        return kind;
      }
    }
    return undefined;
  }
}

/** True when some clause of the index has one of the words of `text`. */
export const indexHolds = (index: KeywordIndex) => (text: string) => queryWords(text).some((word) => index.documentFrequency(`w:${word}`) > 0);
