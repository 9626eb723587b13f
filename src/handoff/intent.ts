import phrases from "./phrases.json" with { type: "json" };

/** The line a refusal gains, so the asker knows a person can take it from here. */
export const HANDOFF_OFFER = phrases.offer;

const PUNCTUATION = /[\s\p{P}\p{S}]+/gu;
const polite = new RegExp(`^(?:${phrases.politeWords.join("|")})+`, "u");
const leading = phrases.requests.filter((phrase) => !phrases.aloneOnly.includes(phrase)).sort((a, b) => b.length - a.length);

export interface HandoffRequest {
  /** What followed the request in the same message ("转人工：检测费怎么减免"), if anything. */
  question?: string;
}

/** Whether a message asks for a person (转人工, 人工客服…), and the question that came with it. */
export function handoffRequest(text: string): HandoffRequest | undefined {
  const bare = text.normalize("NFKC").replace(PUNCTUATION, "").replace(polite, "");
  if (phrases.requests.includes(bare)) return {};
  const trimmed = text.trim().replace(polite, "");
  for (const phrase of leading) {
    if (!trimmed.startsWith(phrase)) continue;
    const rest = trimmed.slice(phrase.length);
    // "转人工：…" or "转人工 …": the request, then the question. "转人工服务费" is not a request.
    if (!/^[\s\p{P}]/u.test(rest)) continue;
    const question = rest.replace(/^[\s\p{P}]+/u, "").trim();
    return question ? { question } : {};
  }
  return undefined;
}
