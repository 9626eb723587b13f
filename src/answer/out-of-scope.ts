import { readFileSync } from "node:fs";
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

  /** The kind of question this is, when it is one the bot must decline. */
  detect(question: string): Detected | undefined {
    for (const [kind, patterns] of this.rules) if (patterns.some((p) => p.test(question))) return kind;
    return undefined;
  }
}
