import type { Logger } from "pino";
import { type AnswerabilityThresholds, type Judgement, judge, misses, nearestTopic } from "../answer/answerability.js";
import { aspectsOf } from "../answer/aspects.js";
import { composeAnswer, fromLibrary } from "../answer/compose.js";
import { documentAnswer, findAskedDocument } from "../answer/document-answer.js";
import { answerInEnglish, isEnglishQuestion } from "../answer/english/index.js";
import { type AnsweredAspect, asksComparison, extractiveAnswer, statesAmount } from "../answer/extractive.js";
import { ledTasks, ledTopic, prepareLedTasks, tasksOnTopic } from "../answer/field-query.js";
import { looksLikeInjection } from "../answer/injection.js";
import { indexHolds, OutOfScopeDetector } from "../answer/out-of-scope.js";
import { clausesSpeakingOf, headingName, namesBenefit, namesGrant, readTopics, type Topic, type TopicSource, withoutTopic } from "../answer/question-topic.js";
import { type RefusalDetail, type RefusalReason, refusalText } from "../answer/refusal.js";
import type { AnswerabilityJudge, AnswerWriter, Ask, AskCallOptions, FollowUpRewriter, LibraryLookup, LibraryMatch, QueryExpander } from "../answer/seams.js";
import { comparedPlaces, prepareHeadings } from "../answer/sides.js";
import { carryOver, hasFollowUpCue, type ResolvedQuestion, understoodTurns } from "../conversation/follow-up.js";
import { asksNothing, framesOf, quotedTerms, stripFrames, unstatedFrame, withoutComparing } from "../conversation/question-frames.js";
import { maskRegions, regionCovers } from "../corpus/regions.js";
import { AppError } from "../errors.js";
import { readWithTaughtQuestions } from "../library/fuse-related.js";
import { verifyLibraryAnswer } from "../library/validate-entry.js";
import { describesAsker, matchAnswer, matchMeasures, needOf, tellsOfAsker, vocabulary, withOtherMeasures } from "../match/index.js";
import { searchText } from "../search/hybrid-retriever.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import { normalizeQuestion } from "../search/normalize.js";
import { analyseQuery, type Concept } from "../search/query.js";
import { taggedWords } from "../search/tokenize.js";
import type { Answer, Citation, SearchHit, Turn } from "../types.js";
import { fuseHits } from "./fuse-hits.js";

export const MAX_QUESTION_CHARS = 2000;

export type {
  AnswerabilityJudge,
  AnswerWriter,
  Ask,
  AskCallOptions,
  FollowUpRewriter,
  GroundedDraft,
  LibraryLookup,
  LibraryMatch,
  QueryExpander,
} from "../answer/seams.js";

export interface AskOptions {
  /** The knowledge base, or a function giving the current one when documents are published while the bot runs. */
  knowledgeBase: KnowledgeBase | (() => KnowledgeBase);
  library?: LibraryLookup;
  today: () => string;
  logger?: Logger;
  writer?: AnswerWriter;
  rewriter?: FollowUpRewriter;
  /** With a model: the question in the documents' terms, several ways (colloquial questions find their clauses). */
  expander?: QueryExpander;
  /** With a model: a second opinion on whether the clauses found answer the question. */
  relevance?: AnswerabilityJudge;
  thresholds?: AnswerabilityThresholds;
}

/** A concept this rare (in at most ~3% of clauses) names a topic of its own, so the question stands alone. */
const SPECIFIC_TOPIC_WEIGHT = 3.5;
/** A concept this rare (in at most ~8% of clauses) is still a topic of the turn's own, if not one that stands alone. */
const OWN_TOPIC_WEIGHT = 2.5;
/**
 * Asking for a sum of money, a rate or a quota, which a clause may not state: a sum named (多少钱), or what one may
 * get or save (能补多少, 少交多少, 能省多少, 有多少补贴), or what one must pay (要交多少保证金, 押金收多少, 手续费是多少).
 */
const ASKS_AMOUNT =
  /(多少钱|多少万|几万|多少元|额度|金额|比例|几个点|多少个点|百分之几|几成|费率|利率|贴息|补贴|补助|奖励).{0,8}(多少|几|怎么算)|(最多|最高|能)(能|可以)?(贷|借|补|领|拿|减|免).{0,4}(多少|几)|(贷|借|补|领)(款)?.{0,2}多少|多少钱|(少交|少缴|少付|少花|节省|省下|省|便宜|减掉|退|返)(了|下|回)?多少|多少(钱的?)?(补贴|补助|奖励|奖补|贴息|扶持资金|资金|保证金|押金)|(交|缴|付|收|押)[^，,。？?]{0,2}多少|费用?(标准)?[是要收为大概约]{0,2}(多少|几)/;

/** Two place names (自治区 counting as one) with only a few characters and a conjunction between them: 自治区方案和哈密方案. */
const JOINED = /\uE000[^\uE000，,。；？?]{0,4}(和|与|跟|及|、|同|对比|相比)[^\uE000，,。；？?]{0,4}\uE000/;
const placesJoined = (question: string) => JOINED.test(maskRegions(question.replace(/自治区|全区|全疆/g, "新疆"), "\uE000"));

/** A run this long shared with the question names its topic (规范监管执法), not just its vocabulary (信用监管). */
const TOPIC_PHRASE = 5;

/** The length of the longest run of characters two texts share. */
function sharedPhrase(a: string, b: string): number {
  let longest = 0;
  for (let i = 0; i < a.length; i++) {
    for (let length = longest + 1; i + length <= a.length && b.includes(a.slice(i, i + length)); length++) longest = length;
  }
  return longest;
}

const round = (value: number) => Math.round(value * 100) / 100;

/** Each knowledge base's clauses and the documents' vocabulary, read once, for the topic check. */
const topicSources = new WeakMap<KnowledgeBase, TopicSource>();
function topicSource(kb: KnowledgeBase): TopicSource {
  let source = topicSources.get(kb);
  if (!source) {
    const clauses = kb.corpus.measures.map((m) => searchText(m, kb.documentOf(m)));
    const namesAsker = (word: string) => vocabulary.entityTypes.some((type) => type.patterns.some((p) => p.exec(word)?.[0] === word));
    // The keyword index was built from these same texts, in this order: its postings narrow a search of them.
    const mayContain = (text: string) => kb.index.keywordIndex.mayContain(text);
    source = { clauses, mayContain, documentTerms: new Set(kb.lexicon.thesaurus.entries.flatMap((e) => e.documents)), namesAsker, tellsOfAsker };
    topicSources.set(kb, source);
  }
  return source;
}

/**
 * Asked of a place, a grant or charge only other places' documents speak of (贴息 asked of 哈密, which only 克拉玛依
 * writes) is absent from the documents that apply there: each place decides what it grants, so a clause of the place
 * on something else is no answer, and the refusal says where the grant is written. A matter (中介超市) is not read
 * so: a place's general clause may still cover it.
 */
/** Whether a clause of `region` applies in one of `places`: the place itself, its province, or a city within it. */
const appliesIn = (places: string[]) => (region: string) => places.some((place) => regionCovers(region, place) || regionCovers(place, region));

function inPlaces(kb: KnowledgeBase, topics: Topic[], places: string[]): Topic[] {
  if (!places.length) return topics;
  const applies = appliesIn(places);
  return topics.map((topic) => {
    if (topic.absent || !(namesGrant(topic.label) || namesBenefit(topic.label))) return topic;
    const regions = new Set<string>();
    for (const at of clausesSpeakingOf(topic, topicSource(kb))) {
      const region = kb.documentOf(kb.corpus.measures[at]).region;
      if (applies(region)) return topic;
      regions.add(region);
    }
    return { ...topic, absent: true, elsewhere: [...regions] };
  });
}

/** A sibling city's clause covering this much of a question asked of another place, */
const SIBLING_COVERAGE = 0.7;
/** while the clauses that apply there cover at most this share of it and of the sibling's cover, is the measure asked about. */
const HERE_AT_MOST = 0.4;
const SIBLING_MARGIN = 0.6;

/**
 * The hits of the sibling place whose clause covers nearly all of the question, when the clauses that apply where it
 * was asked barely speak of it; undefined otherwise.
 */
function siblingsOnly(kb: KnowledgeBase, hits: SearchHit[], applies: (region: string) => boolean): SearchHit[] | undefined {
  const regionOf = (hit: SearchHit) => kb.documentOf(kb.measuresById.get(hit.measureId)!).region;
  let sibling: SearchHit | undefined;
  let here = 0;
  for (const hit of hits) {
    if (applies(regionOf(hit))) here = Math.max(here, hit.coverage);
    else sibling ??= hit;
  }
  if (!sibling || sibling.coverage < SIBLING_COVERAGE || here > Math.min(HERE_AT_MOST, SIBLING_MARGIN * sibling.coverage)) return undefined;
  const region = regionOf(sibling);
  return hits.filter((hit) => regionOf(hit) === region);
}

const DECISION_RANK = { refuse: 0, low: 1, answer: 2 } as const;
const better = (a: Judgement, b: Judgement) => DECISION_RANK[a.decision] > DECISION_RANK[b.decision] || (a.decision === b.decision && a.evidence > b.evidence);

function refuse(reason: RefusalReason, resolvedQuestion: string, detail?: RefusalDetail): Answer {
  return composeAnswer(
    { body: refusalText(reason, detail), citations: [], confidence: "refuse", mode: "refusal", resolvedQuestion, refusal: { reason } },
    new Map(),
  );
}

/**
 * Builds now what the first questions would otherwise build on the way (the topic check's clauses, the lead units,
 * documents' titles, headings, the spelling patterns, jieba's tagger): a server calls it once it has opened its
 * knowledge base, so no caller waits for them. Answers are the same with or without it.
 */
export function warmUp(kb: KnowledgeBase): void {
  topicSource(kb);
  prepareLedTasks(kb.corpus.measures);
  prepareHeadings(kb);
  kb.documentNames.prepare();
  kb.lexicon.spelling.prepare();
  taggedWords("预热");
}

/** The one entry point every channel calls. */
export function createAsk({ knowledgeBase, today, logger, writer, rewriter, expander, relevance, thresholds, library }: AskOptions): Ask {
  const current = typeof knowledgeBase === "function" ? knowledgeBase : () => knowledgeBase;
  const outOfScope = OutOfScopeDetector.load();

  return (question, history = [], options = {}) => answer(question, history, options, false);

  /**
   * `part`: this is the rest of a larger question whose other topic the documents lack; it is not split again.
   * `english`: an English lead will stand before the answer, so a clause is not quoted whole beneath it.
   */
  async function answer(rawQuestion: string, history: Turn[], options: AskCallOptions, part: boolean, english = false): Promise<Answer> {
    const question = normalizeQuestion(rawQuestion);
    if (!question) throw new AppError("QUESTION_EMPTY", "The question is empty.", { userMessage: "请输入您的问题。" });
    if (question.length > MAX_QUESTION_CHARS) return refuse("too-long", question.slice(0, 80), { maxChars: MAX_QUESTION_CHARS });
    if (looksLikeInjection(question)) return refuse("injection", question);
    // Asked in English: answered on its Chinese reading, with an English lead (answer/english/).
    if (isEnglishQuestion(question))
      return answerInEnglish({ question, history, knowledgeBase: current(), ask: (q, turns) => answer(q, turns, options, part, true) });
    // One knowledge base for the whole answer, even if a newer one is published meanwhile.
    const kb = current();
    const taught = library?.match(question);
    if (taught) return libraryAnswer(kb, taught, question);
    const declined = outOfScope.detect(question, indexHolds(kb.index.keywordIndex));
    if (declined) return refuse(declined, question);
    // "我是哈密的个体户，开饭馆的，有什么政策？" asks which measures apply to the asker: the matcher answers. With a
    // matter of its own (专利被仿冒, 缺流动资金) the clauses on it answer, and the matcher adds what else may apply.
    const profile = describesAsker(question);
    if (profile && !needOf(analyseQuery(question, kb.index.keywordIndex, kb.lexicon).concepts).length) {
      return matchAnswer(await matchMeasures(profile, kb, today()), kb, { question });
    }
    // What else may apply is ranked by the whole question, so the list stays near the asker's matter.
    // A part's answer is finished by the whole question's, which adds what else may apply once.
    const finish = async (answer: Answer) =>
      profile && !part ? withOtherMeasures(answer, await matchMeasures({ ...profile, needs: question }, kb, today()), kb) : answer;

    const analyse = (text: string) => analyseQuery(text, kb.index.keywordIndex, kb.lexicon);
    const resolved = await resolve(kb, question, history);
    const named = kb.documentNames.find(resolved.text);
    // A document's name says which document, not what about: it is searched as a preference, not as words.
    const withoutNames = named.names.reduce((text, name) => text.split(name).join(" "), resolved.text);
    // Nor do the words that set sides against each other (有什么不同) name any clause: 不同 of 不同所有制 is no answer.
    const analysed = analyse(withoutComparing(withoutNames));
    const asked = analysed.regions;
    const applies = appliesIn(asked);
    if (asked.length && !kb.corpus.documents.some((d) => applies(d.region))) {
      return refuse("other-region", resolved.text, { regions: asked, covered: [...new Set(kb.corpus.documents.map((d) => d.region))] });
    }

    const document = findAskedDocument(question, analyse(resolved.focus).concepts, kb, named.documents);
    if (document) return documentAnswer(document, kb, resolved.text, { question: resolved.focus, today: today() });

    // "市人社局牵头的任务有哪些": every task the unit leads, read from the clauses' fields.
    const led = ledTasks({
      question: resolved.focus,
      measures: kb.corpus.measures,
      documentOf: (m) => kb.documentOf(m),
      regions: asked,
      documents: named.documents.map((d) => d.id),
    });
    if (led.length) {
      // 发改委牵头的信用方面的任务: only the unit's tasks on that topic.
      const topic = ledTopic(resolved.focus);
      const onTopic = topic ? tasksOnTopic(led, analyse(topic).concepts, (m) => searchText(m, kb.documentOf(m))) : led;
      // More tasks than a lead holds, or a question naming some (开标、评标、电子保函): those the question speaks of first.
      const searched = await kb.retriever.search({ text: analysed.text, regions: asked, documents: named.documents.map((d) => d.id), limit: 60 });
      const relevance = new Map(searched.map((h) => [h.measureId, h.score]));
      const ranked = [...onTopic].sort((a, b) => (relevance.get(b.id) ?? 0) - (relevance.get(a.id) ?? 0));
      const hits = ranked.map((m, i) => ({ measureId: m.id, score: 1 - i * 0.001, keywordScore: 1, vectorScore: 0, coverage: 1 }));
      const focus = analyse(resolved.focus).concepts;
      return finish(
        extractiveAnswer({
          question: resolved.focus,
          regions: asked,
          resolvedQuestion: resolved.text,
          hits,
          focus,
          context: focus,
          listed: true,
          knowledgeBase: kb,
          today: today(),
        }),
      );
    }

    const textOf = (hit: SearchHit) => {
      const measure = kb.measuresById.get(hit.measureId)!;
      return searchText(measure, kb.documentOf(measure));
    };
    const documents = (named.documents.length ? named.documents : kb.documentNames.provinceOwn(resolved.text)).map((d) => d.id);
    // What the question is about, compounds kept whole (稳岗返还), frames and places aside: the clauses must speak of it.
    // Read from the words as asked: a spelling correction may join a compound to its neighbour (补助今年 → 补助金年).
    // A follow-up is judged on its own topic (一件事), the earlier turn's on its own turn.
    // What the caller quotes while asking whether it is lawful (收“保护费”，合法吗) is what someone calls a demand, not a
    // measure asked for: no topic, present or absent.
    const soCalled = framesOf(resolved.focus).includes("legality") ? quotedTerms(resolved.text) : [];
    const topicText = [...asked, ...soCalled].reduce(
      (text, word) => text.split(word).join(" "),
      stripFrames(resolved.carried ? resolved.focus : resolved.text),
    );
    // The concepts already read, less those only the frame named (申请 of 怎么申请) or only the quoted words.
    const reading = resolved.carried ? analyse(resolved.focus) : analysed;
    const unframed = stripFrames(reading.text);
    const quoted = (form: string) => soCalled.some((term) => term.includes(form) || form.includes(term));
    const topics = inPlaces(
      kb,
      readTopics(
        topicText,
        reading.concepts.filter((c) => unframed.includes(c.forms[0]) && !quoted(c.forms[0])),
        topicSource(kb),
      ),
      asked,
    );
    const read = async (text: string) => {
      const reading = analyse(text);
      const searched = await kb.retriever.search({ text: reading.text, regions: asked.length ? asked : reading.regions, documents, limit: 12 });
      // Question library (issue 12): questions staff linked to a measure are extra searchable text of it, so a
      // related phrasing finds and is judged on that measure too (library/fuse-related.ts). No library: unchanged.
      const taught = readWithTaughtQuestions(kb, reading.concepts, searched, library?.related?.(reading.text) ?? [], textOf);
      return { reading, hits: taught.hits, judgement: judge(taught.concepts, taught.hits, taught.textOf, thresholds, topics, topicText) };
    };
    const readings = [await read(analysed.text)];
    // A model's rewrites in the documents' terms are read the same way; the best reading decides, their hits are fused.
    if (expander) for (const rewrite of await expander(resolved.text, history)) readings.push(await read(rewrite));
    const hits = fuseHits(
      readings.map((r) => r.hits),
      readings.map((r) => DECISION_RANK[r.judgement.decision] + r.judgement.share),
    );
    let judgement = readings.map((r) => r.judgement).reduce((best, next) => (better(next, best) ? next : best));
    if (relevance && judgement.decision !== "refuse") judgement = await secondOpinion(judgement, resolved.text, hits.slice(0, 3).map(textOf));
    logger?.debug({ question, ...judgement, best: judgement.best?.measureId }, "answerability");
    const evidence = { share: round(judgement.share), evidence: round(judgement.evidence), margin: round(judgement.margin) };
    if (judgement.decision === "refuse") {
      // A question with several needs, one of them a topic no clause has (退役军人 beside 专利质押登记): the rest is
      // answered, and the answer says plainly that the documents have nothing on that one.
      const absent = judgement.topic?.absent;
      // A follow-up's rest would be the earlier turn's question, already answered: only the asker's own words split.
      const left = absent && !part && !resolved.carried ? withoutTopic(resolved.text, absent) : undefined;
      // What is left must name a topic of its own: 分别怎么申请 asks only the frame of the topics taken out.
      const rest = left && analyse(stripFrames(left)).concepts.some((c) => c.known && c.topical) ? left : undefined;
      const partial = rest ? await answer(rest, history, options, true) : undefined;
      if (absent && partial && !partial.refused && partial.confidence === "answer") return finish(uncovered(kb, partial, absent.label));
      return { ...refuse("no-match", resolved.text, noSuchMeasure(kb, judgement, hits.slice(0, 3))), evidence };
    }

    const focus = resolved.carried ? analyse(resolved.focus).concepts : analysed.concepts;
    const aspects = resolved.carried ? [] : await answeredAspects(withoutNames, analyse, read, textOf);
    // Asked of a place about one matter, a sibling city's clause says nearly all the question does while the place's own
    // and its province's clauses barely speak of it: the measure asked about is that city's, not a weak match here.
    const theirs = asked.length && !resolved.carried && !aspects.length ? siblingsOnly(kb, hits, applies) : undefined;
    if (theirs) {
      const quoted = extractiveAnswer({
        question: resolved.focus,
        resolvedQuestion: resolved.text,
        hits: theirs,
        focus,
        context: focus,
        knowledgeBase: kb,
        today: today(),
      });
      return { ...onlyElsewhere(kb, quoted, resolved.text, asked, applies), evidence };
    }
    // Two places are compared only when the question sets them side by side; 从奎屯过来……在克拉玛依 names two places
    // and compares nothing.
    // Two documents by two names: one name several documents answer to (降成本方案, the province's and a city's) compares nothing.
    const named2 = named.documents.length > 1 && named.names.length > 1;
    const places = asksComparison(resolved.focus) || named2 || placesJoined(resolved.focus) ? comparedPlaces(resolved.focus, asked) : [];
    // Two documents of two places named (政法委50条和克拉玛依放管服要点) compare those places.
    for (const region of named.documents.map((d) => d.region)) if (named2 && !places.includes(region)) places.push(region);
    const sides = places.length > 1 && asksComparison(resolved.focus) ? await sidesOf(kb, analysed.text, places, documents) : [];
    const extractive = extractiveAnswer({
      wholeClause: !english,
      aspects,
      sides,
      places,
      question: resolved.focus,
      regions: asked,
      resolvedQuestion: resolved.text,
      hits,
      focus,
      context: readings.flatMap((r) => r.reading.concepts),
      carried: resolved.carried,
      confidence: judgement.decision,
      knowledgeBase: kb,
      today: today(),
    });
    // Asked of a place, and only another place's clauses speak of it (a sibling city's measure): that is no measure
    // there. Said plainly, with the other place's clause quoted for reference, not answered as if it applied.
    if (asked.length && places.length < 2 && extractive.citations[0] && !applies(extractive.citations[0].region)) {
      return { ...onlyElsewhere(kb, extractive, resolved.text, asked, applies), evidence };
    }
    // Asked how much, a figure only another city's clause states (哈密's 0.39元 asked of 克拉玛依) is no amount here.
    const stating = extractive.citations.slice(0, 2).filter((c) => !asked.length || places.length > 1 || applies(c.region));
    if (ASKS_AMOUNT.test(resolved.focus) && !stating.some((c) => c.measureId && statesAmount(kb.measuresById.get(c.measureId)!))) {
      return { ...notStated(kb, extractive, resolved.text, "amount-not-stated"), evidence };
    }
    // Asked where to go or whether it costs, and the answered clauses say nothing of it: say so, then what they say.
    const unstated = unstatedFrame(
      resolved.focus,
      extractive.citations.slice(0, 2).flatMap((c) => (c.measureId ? [kb.measuresById.get(c.measureId)!.text] : [])),
    );
    if (unstated) return { ...notStated(kb, extractive, resolved.text, "not-stated", unstated.label), evidence };
    if (!writer || judgement.decision !== "answer") return finish({ ...extractive, evidence });
    const written = await writer({
      knowledgeBase: kb,
      question,
      resolvedQuestion: resolved.text,
      history,
      extractive,
      hits,
      onToken: options.onToken,
      signal: options.signal,
    });
    return finish({ ...(written ?? extractive), evidence });
  }

  /**
   * A question about several matters (刻公章、行政许可、联网备案): each matter searched alone, kept when its own
   * clause is judged to answer it and differs from the others'. Fewer than two such: none, the question is one matter.
   */
  async function answeredAspects(
    text: string,
    analyse: (text: string) => ReturnType<typeof analyseQuery>,
    read: (text: string) => Promise<{ hits: SearchHit[]; judgement: Judgement }>,
    textOfHit: (hit: SearchHit) => string,
  ): Promise<AnsweredAspect[]> {
    const answered: AnsweredAspect[] = [];
    for (const aspect of aspectsOf(text, analyse)) {
      const { hits, judgement } = await read(aspect.text);
      const [top] = hits;
      if (!top || judgement.decision !== "answer" || answered.some((a) => a.hit.measureId === top.measureId)) continue;
      // The clause must speak of the matter itself, not only of the words around it.
      const clause = textOfHit(top);
      if (!aspect.topics.some((t) => t.forms.some((f) => clause.includes(f)))) continue;
      answered.push({ question: aspect.text, focus: analyse(aspect.text).concepts, hit: top });
    }
    return answered.length > 1 ? answered : [];
  }

  /** Each compared place's best clause on the topic, searched for that place alone. */
  async function sidesOf(kb: KnowledgeBase, text: string, places: string[], documents: string[]): Promise<SearchHit[]> {
    const sides: SearchHit[] = [];
    // Each place is searched on the topic alone: how the sides are set against each other (有什么不同, 分别) names no
    // clause, and a clause that happens to say 不同 (不同所有制) is no side of the comparison.
    const topic = stripFrames(text);
    for (const place of places) {
      const hits = await kb.retriever.search({ text: topic, regions: [place], documents, limit: 12 });
      const own = hits.filter((h) => kb.documentOf(kb.measuresById.get(h.measureId)!).region === place);
      if (!own.length) continue;
      // Of the place's clauses scoring near its best, the one that names the topic in the question's own words
      // (规范监管执法 in 严格规范监管执法行为) is that place's clause on it; the others only share its vocabulary.
      const near = own.filter((h) => h.score >= 0.6 * own[0].score);
      const named = (h: SearchHit) => sharedPhrase(text, kb.measuresById.get(h.measureId)!.text);
      const best = near.reduce((top, h) => (named(h) > named(top) && named(h) >= TOPIC_PHRASE ? h : top), own[0]);
      // The place's next clauses follow its best: where sides copy each other, the difference is in them.
      sides.push(best, ...near.filter((h) => h !== best).slice(0, 2));
    }
    return sides;
  }

  /** When the clauses found do not speak of the question's topic: that topic, and the nearest one the documents have. */
  function noSuchMeasure(kb: KnowledgeBase, judgement: Judgement, hits: SearchHit[]): RefusalDetail | undefined {
    const heaviest = (topics: Topic[]) => topics.filter((t) => !t.unlisted).sort((a, b) => b.weight - a.weight)[0];
    const topic = misses(judgement.topic, thresholds) ? judgement.topic.absent : judgement.topic.nearest === 0 ? heaviest(judgement.topic.topics) : undefined;
    if (!topic) return undefined;
    const found = hits.map((hit) => {
      const measure = kb.measuresById.get(hit.measureId)!;
      return { text: searchText(measure, kb.documentOf(measure)), heading: headingName(measure.heading ?? measure.path.at(-2)) };
    });
    return { topic: topic.label, nearest: nearestTopic(judgement.topic, found, topicSource(kb).clauses), elsewhere: topic.elsewhere };
  }

  /** The model's view moves the decision one step at most: it can neither invent clauses nor refuse alone. */
  async function secondOpinion(judgement: Judgement, question: string, clauses: string[]): Promise<Judgement> {
    const verdict = await relevance!(question, clauses);
    if (verdict === "none" && judgement.decision === "answer") return { ...judgement, decision: "low" };
    if (verdict === "answer" && judgement.decision === "low") return { ...judgement, decision: "answer" };
    return judgement;
  }

  /** The topics a text names at least this rare. */
  function topics(kb: KnowledgeBase, text: string, weight: number): Concept[] {
    return analyseQuery(text, kb.index.keywordIndex, kb.lexicon).concepts.filter((c) => c.known && c.weight >= weight);
  }

  /**
   * How a turn leans on the conversation. It stands alone when it names a rare topic of its own, and leans on it when
   * it points back or names none; what it asks about a topic (截止到什么时候, 在哪里办: its frame) is no topic, however
   * rare the word. Two kinds of turn lean only if related: a bare topic asking nothing ("农业用电"), and one whose only
   * rare words are its frame's but that names a lesser topic of its own (企业开办需要什么材料).
   */
  function leaning(kb: KnowledgeBase, question: string): "yes" | "no" | "if-related" {
    if (hasFollowUpCue(question)) return "yes";
    const topic = stripFrames(question);
    if (topics(kb, topic, SPECIFIC_TOPIC_WEIGHT).length) return asksNothing(question) ? "if-related" : "no";
    if (!topics(kb, question, SPECIFIC_TOPIC_WEIGHT).length) return "yes";
    return topics(kb, topic, OWN_TOPIC_WEIGHT).length ? "if-related" : "yes";
  }

  /**
   * A turn that leans only if related narrows the earlier question when the clause found for both speaks of both
   * (农业 in the 非电网直供电 clause); one the earlier topic's clauses do not speak of ("检验检测费" after 电价,
   * "企业开办需要什么材料" after 专利年费) is a new question. One search, for such turns only.
   */
  async function narrows(kb: KnowledgeBase, question: string, earlier: string): Promise<boolean> {
    const own = topics(kb, stripFrames(question), OWN_TOPIC_WEIGHT);
    const before = topics(kb, stripFrames(earlier), SPECIFIC_TOPIC_WEIGHT).filter((c) => !own.some((o) => o.forms[0] === c.forms[0]));
    const reading = analyseQuery(carryOver(question, earlier).text, kb.index.keywordIndex, kb.lexicon);
    const [top] = await kb.retriever.search({ text: reading.text, regions: reading.regions, limit: 1 });
    if (!top) return false;
    const measure = kb.measuresById.get(top.measureId)!;
    const text = searchText(measure, kb.documentOf(measure));
    const speaksOf = (c: Concept) => c.forms.some((f) => text.includes(f));
    return own.some(speaksOf) && before.some(speaksOf);
  }

  async function resolve(kb: KnowledgeBase, question: string, history: Turn[]): Promise<ResolvedQuestion> {
    // Earlier turns that arrive without their resolution (batch files) lean only when they plainly do.
    const earlier = understoodTurns(history, (q) => leaning(kb, q) === "yes").at(-1);
    const leans = earlier ? leaning(kb, question) : "no";
    if (!earlier || leans === "no" || (leans === "if-related" && !(await narrows(kb, question, earlier)))) return { text: question, focus: question };
    const resolved = carryOver(question, earlier);
    if (rewriter) {
      const rewritten = await rewriter(question, history);
      if (rewritten) resolved.text = `${rewritten} ${resolved.focus}`;
    }
    return resolved;
  }

  /** Answers from what staff linked to this question: its refusal, its reviewed answer, or its clauses quoted. */
  function libraryAnswer(kb: KnowledgeBase, taught: LibraryMatch, question: string): Answer {
    if (taught.refusal) return fromLibrary(refuse(taught.refusal, question), taught.entryId);
    const measures = taught.measureIds.map((id) => kb.measuresById.get(id)).filter((m) => m !== undefined);
    // A linked clause that was removed or repealed is never answered from silently.
    if (!measures.length) return fromLibrary(refuse("no-match", question), taught.entryId);
    const hits = measures.map((m, i) => ({ measureId: m.id, score: 1 - i * 0.01, keywordScore: 1, vectorScore: 0, coverage: 1 }));
    const concepts = analyseQuery(question, kb.index.keywordIndex, kb.lexicon).concepts;
    const extractive = extractiveAnswer({ question, resolvedQuestion: question, hits, focus: concepts, context: concepts, knowledgeBase: kb, today: today() });
    if (!taught.answer) return fromLibrary(extractive, taught.entryId);
    // Checked again as served: an entry saved under older checks, or whose clause has changed, quotes its clauses instead.
    const verification = verifyLibraryAnswer(taught.answer, taught.measureIds, kb);
    if (!verification.ok) {
      logger?.warn({ entryId: taught.entryId, problems: verification.problems }, "reviewed answer failed verification; quoting its clauses");
      return fromLibrary(extractive, taught.entryId);
    }
    const reviewed = composeAnswer(
      {
        body: taught.answer,
        notices: extractive.notices,
        citations: extractive.citations,
        confidence: "answer",
        mode: "extractive",
        resolvedQuestion: question,
      },
      kb.documentsById,
    );
    return fromLibrary(reviewed, taught.entryId);
  }

  /** The documents speak of the measure but do not state what is asked (a figure, where, whether it costs): say so, and quote what they do say. */
  /** An answer to the rest of a question, with a first line saying the documents have nothing on one of its topics. */
  function uncovered(kb: KnowledgeBase, answer: Answer, topic: string): Answer {
    const body = `知识库收录的政策文件中没有关于“${topic}”的规定；您问题中的其他部分，文件是这样规定的：\n${answer.body}`;
    return composeAnswer(
      {
        body,
        notices: answer.notices,
        citations: answer.citations,
        suggestions: answer.suggestions,
        outcome: answer.outcome,
        confidence: answer.confidence,
        mode: answer.mode,
        resolvedQuestion: answer.resolvedQuestion,
      },
      kb.documentsById,
    );
  }

  function onlyElsewhere(kb: KnowledgeBase, extractive: Answer, resolvedQuestion: string, asked: string[], applies: (region: string) => boolean): Answer {
    const citations: Citation[] = extractive.citations.slice(0, 2);
    const elsewhere = [...new Set(citations.map((c) => c.region).filter((region) => !applies(region)))];
    // The refusal says what the answer's hedge and place caveat said; the quote follows it alone.
    const quoted = extractive.body.replace(/^没有找到与您的问题完全对应的规定，最接近的是：\n?/, "").replace(/^知识库中没有找到[^\n]*?仅供参考：\n?/, "");
    const body = `${refusalText("no-match", { places: asked, elsewhere })}${elsewhere.join("、")}的相关条款原文如下，仅供参考：\n${quoted}`;
    return composeAnswer(
      { body, notices: extractive.notices, citations, confidence: "refuse", mode: "refusal", resolvedQuestion, refusal: { reason: "no-match" } },
      kb.documentsById,
    );
  }

  function notStated(kb: KnowledgeBase, extractive: Answer, resolvedQuestion: string, reason: "amount-not-stated" | "not-stated", asked?: string): Answer {
    const citations: Citation[] = extractive.citations.slice(0, 2);
    const more = reason === "amount-not-stated" ? "具体标准" : "具体办理要求";
    const body = `${refusalText(reason, { asked })}相关条款的原文是：\n${extractive.body}\n如需了解${more}，请向主管部门咨询，或拨打12345政务服务便民热线。`;
    return composeAnswer(
      { body, notices: extractive.notices, citations, confidence: "refuse", mode: "refusal", resolvedQuestion, refusal: { reason } },
      kb.documentsById,
    );
  }
}
