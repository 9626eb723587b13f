import type { AnalysedQuery, Concept } from "../search/query.js";

/** One matter of a question that asks about several: its words and the rare topics that are its own. */
export interface Aspect {
  text: string;
  topics: Concept[];
}

/**
 * Where a question's matters part: sentence and clause ends, enumerations (、), and the words callers list matters
 * with (一是…二是…, 另外, 还有, 比如). Each piece is a candidate matter; pieces without a topic of their own join a
 * neighbour.
 */
const BOUNDARY = /[，,。；;？?！!、]|一是|二是|三是|四是|另外|此外|还有|以及|比如|例如|再就是/;
/** A concept this rare (in at most ~5% of clauses) names a matter; commoner words are how it is said. */
const TOPIC_WEIGHT = 3;
/** Words of asking (有什么政策, 怎么规定) and of what the asker is are rare in the clauses but name no matter. */
const ASKING = /政策|措施|规定|优惠|扶持|支持|享受|帮上忙|有没有|怎么|什么|哪些|分别|安排|要求|便利|办法/;
/** Said when a question lists matters: without it, the pieces of a long question are its story, not its matters. */
const LISTS_MATTERS = /分别|各自|各有|各是|这几|几件事|几种情况|几个问题|一是|二是|另外|此外|比如|例如|、[^，,。？?]{1,12}这些/;
/** At most this many matters are answered one clause each; more is an overview, not a list of needs. */
const MAX_ASPECTS = 5;

/**
 * The matters a question asks about, when it asks about more than one ("刻公章、行政许可、联网备案分别有啥便利",
 * "缺流动资金……另外有厂家仿我们的专利"); an empty list when it asks about one. Each matter is searched on its own, so
 * every one gets its clause, not just the one the whole question's words favour.
 */
export function aspectsOf(question: string, analyse: (text: string) => AnalysedQuery): Aspect[] {
  const pieces = question
    .split(BOUNDARY)
    .map((piece) => piece.trim())
    .filter(Boolean);
  if (pieces.length < 2 || !LISTS_MATTERS.test(question)) return [];
  const merged: Aspect[] = [];
  let pending = "";
  for (const piece of pieces) {
    const topics = analyse(piece).concepts.filter((c) => c.known && c.weight >= TOPIC_WEIGHT && !ASKING.test(c.forms[0]));
    if (!topics.length) {
      // A piece with no topic of its own says how or why of its neighbour (一时还不上): it travels with it.
      if (merged.length) merged[merged.length - 1].text += `，${piece}`;
      else pending += `${piece}，`;
      continue;
    }
    const text = `${pending}${piece}`;
    pending = "";
    const known = merged.find((a) => topics.every((t) => a.topics.some((o) => o.forms[0] === t.forms[0])));
    if (known) known.text += `，${text}`;
    else merged.push({ text, topics });
  }
  return merged.length >= 2 && merged.length <= MAX_ASPECTS ? merged : [];
}
