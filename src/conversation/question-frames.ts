import { readFileSync } from "node:fs";

/**
 * What a question asks about its topic: by when, where, whether it costs, on what conditions, with what papers, who is
 * responsible, how to apply. The words are data (question-frames.json); the patterns are built once, at load.
 */
interface FrameData {
  frames: Record<string, { asks: string[]; states?: string[]; statesPattern?: string; label?: string; notAfter?: string[] }>;
  questionMarks: string[];
}

const data = JSON.parse(readFileSync(new URL("./question-frames.json", import.meta.url), "utf8")) as FrameData;

const literal = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Longest first, so 截止到什么时候 is one frame and not 截止 plus 什么时候. */
const alternation = (words: string[]) =>
  [...new Set(words)]
    .sort((a, b) => b.length - a.length)
    .map(literal)
    .join("|");

const kindOf = new Map<string, string>();
for (const [kind, frame] of Object.entries(data.frames)) for (const word of frame.asks) kindOf.set(word, kind);
const ASKS = new RegExp(alternation([...kindOf.keys()]), "g");
const NOT_AFTER = new Map(
  Object.entries(data.frames)
    .filter(([, frame]) => frame.notAfter?.length)
    .map(([kind, frame]) => [kind, new RegExp(`(?:${alternation(frame.notAfter!)})$`)]),
);
const MARKS = new RegExp(alternation(data.questionMarks));
const STATES = new Map(
  Object.entries(data.frames)
    .filter(([, frame]) => (frame.states?.length || frame.statesPattern) && frame.label)
    .map(([kind, frame]) => [kind, { label: frame.label!, states: new RegExp(frame.statesPattern ?? alternation(frame.states!)) }]),
);
const PUNCTUATION = /[\s，,。.！!？?、；;：:“”"'‘’（）()]/g;
/** A turn this short with no question of its own ("农业用电", "个体户") names a topic for the question before. */
const BARE_TOPIC_CHARS = 6;

/** The kinds of frame a question asks, in the order they appear (time, place, cost, …). */
export function framesOf(question: string): string[] {
  const kinds = new Set<string>();
  for (const match of question.matchAll(ASKS)) {
    const kind = kindOf.get(match[0])!;
    if (!NOT_AFTER.get(kind)?.test(question.slice(0, match.index))) kinds.add(kind);
  }
  return [...kinds];
}

/** The question without its frame words: what is left is its topic. */
export function stripFrames(question: string): string {
  return question.replace(ASKS, " ").replace(/ {2,}/g, " ").trim();
}

const COMPARING = new RegExp(alternation(data.frames.compare?.asks ?? []), "g");
/** The question without the words that set sides against each other (有什么不同, 分别): they name no clause. */
export function withoutComparing(question: string): string {
  return question.replace(COMPARING, " ").replace(/ {2,}/g, " ");
}

/** True for a short turn that asks nothing itself, neither a frame nor any question word: "农业用电", "克拉玛依的". */
export function asksNothing(question: string): boolean {
  const bare = question.replace(PUNCTUATION, "");
  return bare.length > 0 && bare.length <= BARE_TOPIC_CHARS && !MARKS.test(question) && !framesOf(question).length;
}

/**
 * The first frame the question asks that a clause would state in words of its own (where to go, whether it costs),
 * when none of the texts uses any of them: the clauses do not say what is asked.
 */
export function unstatedFrame(question: string, texts: string[]): { kind: string; label: string } | undefined {
  for (const kind of framesOf(question)) {
    const frame = STATES.get(kind);
    if (frame && !texts.some((text) => frame.states.test(text))) return { kind, label: frame.label };
  }
  return undefined;
}

/** Words a question sets in quotation marks (收“保护费”, 「管理费」): how someone put it. */
export function quotedTerms(question: string): string[] {
  return Array.from(question.matchAll(/[“「『"]([^”」』"]{1,16})[”」』"]/g), (m) => m[1]);
}
