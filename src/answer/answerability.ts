import { type Concept, conceptWeight } from "../search/query.js";
import { bigrams } from "../search/tokenize.js";
import type { Confidence, SearchHit } from "../types.js";
import { asksForMeasure, namesBenefit, namesGrant, phraseAround, speaksOf, type Topic } from "./question-topic.js";

/** How much of the question's topic the clauses found speak of. */
export interface TopicHold {
  topics: Topic[];
  /** The topics some clause found speaks of. */
  held: Topic[];
  /** Their share of the topics' weight (1 when the question names no rare topic). */
  share: number;
  /** The most weight of the topics one clause found speaks of (beside an absent topic, of those about as specific). */
  nearest: number;
  /** The heaviest topic no clause of the knowledge base speaks of (稳岗返还, 房租), when there is one. */
  absent?: Topic;
}

/** The evidence a retrieval gives that a question can be answered from the clauses found. */
export interface Judgement {
  decision: Confidence;
  /** Share of the question's weighted concepts the best of the top clauses holds (filler words discounted). */
  share: number;
  /** Summed rarity of the question's concepts that clause holds: how much it says, not what share. */
  evidence: number;
  /** Weight of topical words no clause has (房租 where no clause speaks of rent). */
  missingTopic: number;
  /** The best clause's lead over the runner-up, by fused score (0..1). */
  margin: number;
  best?: SearchHit;
  topic: TopicHold;
}

/**
 * Thresholds calibrated with `npm run eval -- --calibrate` on the project's and
 * the shared question sets: answerable questions keep share and evidence well
 * above these, chit-chat and neighbouring topics fall below.
 */
export interface AnswerabilityThresholds {
  /** Answer when the clause holds this share of the question and at least `answerEvidence`… */
  answerShare: number;
  answerEvidence: number;
  /** …or a smaller share of a long question that still names several rare things the clause has. */
  strongShare: number;
  strongEvidence: number;
  /** …or a clause that stands far above the runner-up (margin) while holding a fair share. */
  clearShare: number;
  clearMargin: number;
  /** Below these, refuse; between, a low-confidence answer. */
  lowShare: number;
  lowEvidence: number;
  /**
   * When a topic of the question is absent from the knowledge base, one clause found must speak of at least this
   * multiple of its weight in other topics: 合作社 beside 原棉水分测定仪 is the caller's setting, 房租 beside 国有企业
   * is the question.
   */
  absentTopicRatio: number;
  /**
   * Beside a dictionary word no clause writes (高新技术 in 高新技术企业认定有什么奖励), the clause found must hold at
   * least this evidence: one word of the question (认定, 奖励) is a neighbouring topic, not an answer.
   */
  unlistedEvidence: number;
}

export const DEFAULT_THRESHOLDS: AnswerabilityThresholds = {
  answerShare: 0.45,
  answerEvidence: 3,
  strongShare: 0.35,
  strongEvidence: 8,
  clearShare: 0.3,
  clearMargin: 0.6,
  lowShare: 0.15,
  lowEvidence: 2.5,
  absentTopicRatio: 1,
  unlistedEvidence: 7,
};

/**
 * A clause found touches a topic it speaks of, or one most of whose character pairs it holds (出口退(免)税 for
 * 出口退税): found clauses are judged loosely, so a near miss worded otherwise keeps its low-confidence answer; only
 * whether any clause at all speaks of a topic is judged strictly.
 */
function touches(topic: Topic, text: string): boolean {
  if (speaksOf(topic, text)) return true;
  return (topic.parts.length === 1 ? topic.parts[0] : [topic.label]).some((form) => {
    const pairs = bigrams(form);
    return pairs.length >= 2 && pairs.filter((pair) => text.includes(pair)).length * 3 >= pairs.length * 2;
  });
}

/** How specific, relative to a topic no clause has, a topic must be to count for the clause that speaks of it. */
const SPECIFIC_BESIDE_ABSENT = 0.75;

/** Which topics the texts speak of, and the heaviest one no clause of the knowledge base does. */
export function holdTopic(topics: Topic[], texts: string[]): TopicHold {
  const weigh = (list: Topic[]) => list.reduce((sum, t) => sum + t.weight, 0);
  const present = topics.filter((t) => !t.absent);
  const held = present.filter((t) => texts.some((text) => touches(t, text)));
  const absent = topics.filter((t) => t.absent && !t.unlisted).sort((a, b) => b.weight - a.weight)[0];
  // Beside a topic no clause has, only topics about as specific count: 享受 and 税收优惠 do not make up for 退役军人.
  const specific = absent ? present.filter((t) => t.weight >= absent.weight * SPECIFIC_BESIDE_ABSENT) : present;
  const nearest = Math.max(0, ...texts.map((text) => weigh(specific.filter((t) => touches(t, text)))));
  return { topics, held, share: topics.length ? weigh(held) / weigh(topics) : 1, nearest, absent };
}

/**
 * The question names a topic no clause has (稳岗返还, 房租) and no clause found speaks of as much of the rest: the
 * documents contain no such measure, whatever words the clauses share with the question.
 */
export function misses(topic: TopicHold, thresholds = DEFAULT_THRESHOLDS): boolean {
  return topic.absent !== undefined && topic.nearest < topic.absent.weight * thresholds.absentTopicRatio;
}

export function judge(
  concepts: Concept[],
  hits: SearchHit[],
  textOf: (hit: SearchHit) => string,
  thresholds = DEFAULT_THRESHOLDS,
  topics: Topic[] = [],
  asked = "",
): Judgement {
  const top = hits.slice(0, 3);
  let best: SearchHit | undefined;
  let evidence = 0;
  let share = 0;
  for (const hit of top) {
    const text = textOf(hit);
    let matched = 0;
    for (const concept of concepts) if (concept.known && concept.forms.some((f) => text.includes(f))) matched += concept.weight;
    if (hit.coverage > share || (hit.coverage === share && matched > evidence)) [best, share, evidence] = [hit, hit.coverage, matched];
  }
  const missingTopic = concepts.filter((c) => c.topical && !c.known).reduce((sum, c) => sum + conceptWeight(c), 0);
  const margin = hits.length > 1 && hits[0].score > 0 ? (hits[0].score - hits[1].score) / hits[0].score : 1;
  let decision: Confidence = "refuse";
  const enough = share >= thresholds.answerShare && evidence >= thresholds.answerEvidence;
  const strong = share >= thresholds.strongShare && evidence >= thresholds.strongEvidence;
  // A long colloquial question holds many words of the caller's own; one clause far above the rest still answers it.
  const clear = share >= thresholds.clearShare && margin >= thresholds.clearMargin && evidence >= thresholds.answerEvidence;
  if (enough || strong || clear) decision = "answer";
  else if (share >= thresholds.lowShare && evidence >= thresholds.lowEvidence) decision = "low";
  const topic = holdTopic(topics, top.map(textOf));
  // The low band is for near misses whose clause speaks of the topic, not for clauses that share only common words.
  if (misses(topic, thresholds) || (decision === "low" && topic.topics.length > 0 && topic.nearest === 0)) decision = "refuse";
  // Words staff taught a clause with (饭店老被查怎么办 → 进一次门) are its words too.
  const unlisted = topics.find((t) => t.unlisted && !top.some((hit) => speaksOf(t, textOf(hit))));
  // A clause on a matter the thesaurus knows in the documents' words (拖欠货款 → 拖欠账款) answers it, whoever the
  // question names beside it (客户); a benefit word (扶持资金 → 补贴) says only what is asked for, not for what.
  const onMatter = topic.held.some((t) => t.parts.length === 1 && t.parts[0].length > 1 && !t.parts[0].some(namesBenefit));
  // Low or confident alike: a benefit asked for a thing no clause names is no near miss (出口退(免)税 for 纸质材料
  // asks for no benefit, and keeps its low answer).
  // Read from the words as asked too: the frame that asks for a measure (有什么奖补政策) is not among the concepts.
  const forMeasure = asksForMeasure([...concepts.map((c) => c.forms[0]), asked]);
  if (unlisted && forMeasure && !onMatter && decision !== "refuse" && evidence < thresholds.unlistedEvidence) {
    decision = "refuse";
    return { decision, share, evidence, missingTopic, margin, best, topic: { ...topic, absent: topic.absent ?? unlisted } };
  }
  const apart = grantApart(topic, top.map(textOf), asked);
  if (apart && decision !== "refuse") return { decision: "refuse", share, evidence, missingTopic, margin, best, topic: { ...topic, absent: apart } };
  return { decision, share, evidence, missingTopic, margin, best, topic };
}

/** What may follow the grant a question asks for: only the asking (有没有补贴, 能减免吗, 给不给奖励政策, 能减免多少). */
const ASKING_TAIL = /^(?:政策|措施|吗|呢|吧|啊|么|多少|几成|没有|[？?！!。，,\s])*$/;

/**
 * A grant asked for a matter (刻章店能拿到补贴吗, 二手车行有没有税收减免) that no clause found names together with most
 * of the matter: one clause on the matter and another on grants for something else make no such measure. Only a grant
 * the question ends by asking for counts, with the matters named before it (出口退税 in 出口退税能不能不交纸质材料 is
 * the matter, not what is asked for). The grant for the matter is then the absent topic, named so (二手车的减免).
 */
function grantApart(topic: TopicHold, texts: string[], asked: string): Topic | undefined {
  const weigh = (list: Topic[]) => list.reduce((sum, t) => sum + t.weight, 0);
  const at = (t: Topic) => Math.max(-1, ...[t.label, ...t.parts.flat()].map((form) => asked.indexOf(form)));
  // Where the grant's words end in the question: after its label when written whole, else after a form of it.
  const end = (t: Topic) => {
    const whole = asked.indexOf(t.label);
    return whole >= 0 ? whole + t.label.length : at(t) + 1;
  };
  const grant = topic.held.find((t) => namesGrant(t.label) && at(t) >= 0 && ASKING_TAIL.test(asked.slice(end(t))));
  if (!grant) return undefined;
  const named = topic.held.filter((t) => !namesGrant(t.label) && at(t) >= 0 && at(t) < at(grant));
  // Who asks is the matter only when nothing else is named (我们是做装修的，有没有奖励): 我们是个小作坊，检测费能减免吗
  // asks a relief of the fee.
  const notAsker = named.filter((t) => !t.ofAsker);
  const matters = notAsker.length ? notAsker : named;
  if (!matters.length) return undefined;
  const together = (text: string) => touches(grant, text) && 2 * weigh(matters.filter((m) => touches(m, text))) >= weigh(matters);
  if (texts.some(together)) return undefined;
  const [matter] = [...matters].sort((a, b) => b.weight - a.weight);
  return { label: `${matter.label}的${grant.label}`, parts: [...matter.parts, ...grant.parts], weight: weigh(matters) + grant.weight, absent: true };
}

/** A clause found, as the nearest topic is named from it: its text and the heading it stands under. */
export interface FoundClause {
  text: string;
  heading?: string;
}

/**
 * The nearest topic the documents do have, to name in a refusal: where a compound is absent, the words around its
 * named part in the clause that has it (稳岗返还 → 稳岗扩岗); otherwise the heading of the clause found that speaks
 * of most of the question's topic.
 */
export function nearestTopic(topic: TopicHold, found: FoundClause[], clauses: readonly string[]): string | undefined {
  if (topic.absent && topic.absent.parts.length > 1) {
    // The parts before the head name the kind (稳岗 of 稳岗返还); the head alone (返还) names too little.
    for (const forms of topic.absent.parts.slice(0, -1)) {
      for (const form of forms) {
        const clause = clauses.find((c) => c.includes(form));
        const phrase = clause && phraseAround(form, clause, 8);
        if (phrase) return phrase;
      }
    }
  }
  const weightIn = (clause: FoundClause) => topic.held.filter((t) => touches(t, clause.text)).reduce((sum, t) => sum + t.weight, 0);
  const nearest = found.filter((c) => c.heading && weightIn(c) > 0).sort((a, b) => weightIn(b) - weightIn(a))[0];
  return nearest?.heading;
}
