import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEEDS_DIR, silentLogger, TODAY, temporaryDirectory } from "../../test/helpers.js";
import { createAsk } from "../core/ask.js";
import { buildCorpus, loadSeedFiles } from "../corpus/load-corpus.js";
import { type PublishedSnapshot, seedPart, withPublished } from "../corpus/published-corpus.js";
import { createPublisher } from "../documents/publisher.js";
import type { Corpus } from "../types.js";
import { layoutOf } from "./corpus-layout.js";
import { namesOf } from "./document-names.js";
import { LocalEmbedder } from "./local-embedder.js";
import { type KnowledgeBase, knowledgeBaseFromCorpus, openKnowledgeBase, updatedKnowledgeBase } from "./open-knowledge-base.js";

/** This file's temporary folders (uploads, indexes), removed when its tests end. */
const folders: string[] = [];
function temporary(): string {
  const folder = temporaryDirectory();
  folders.push(folder);
  return folder;
}
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** Uploads as staff would publish them: plain policies of a few clauses each, parsed by the real parser. */
const UPLOADS: Record<string, string> = {
  "bees.txt":
    "关于支持养蜂合作社发展的通知\n一、对养蜂专业合作社新建标准化蜂场的，每个蜂场给予2万元一次性补助。\n二、养蜂合作社购置蜂机具的，按购置价格的30%给予补贴，最高不超过5万元。\n三、蜂产品加工企业新增贷款的，给予1个百分点的贴息。\n",
  "rent.txt":
    "关于减免小微企业房屋租金的通知\n一、承租国有房屋的小微企业和个体工商户，2026年减免3个月租金。\n二、出租人减免租金的，可按规定减免当年房产税、城镇土地使用税。\n三、鼓励非国有房屋出租人减免租金，各地给予适当补贴。\n",
  "power.txt":
    "关于降低转供电环节电价的通知\n一、转供电主体不得在电费中加收其他费用，商户电价按目录电价执行。\n二、对违规加价的转供电主体，由市场监管部门依法查处，退还多收电费。\n",
};

const QUESTIONS = [
  "养蜂合作社新建蜂场有补助吗？",
  "蜂机具补贴最高多少？",
  "国有房屋租金能减免几个月？",
  "房东减免租金有什么税收优惠？",
  "转供电加价怎么办？",
  "我的企业能减免多少检测费？",
  "个体工商户有哪些优惠政策？",
  "稳岗返还今年还能申请吗",
  "哈密市的企业融资有什么支持？",
  "贷款贴息怎么申请？",
  "都有哪些关于电费的措施？",
  "企业开办要多久？",
];

function uploadsOf(files: Record<string, string>, version = 1): PublishedSnapshot {
  const dir = temporary();
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const parsed = buildCorpus(loadSeedFiles(dir));
  return { documents: parsed.documents.map((d) => ({ ...d, version })), measures: parsed.measures };
}

/** The same corpus built whole, with the embedder the live index has (in place, the local embedder keeps its idf). */
function rebuilt(corpus: Corpus, live: KnowledgeBase): Promise<KnowledgeBase> {
  const idf = (live.index.embedder as LocalEmbedder).idf;
  return knowledgeBaseFromCorpus(corpus, {
    indexDir: temporary(),
    logger: silentLogger,
    buildIn: "main",
    embedderFactory: () => LocalEmbedder.fromIdf(idf),
    embedderId: live.index.embedder.id,
  });
}

/** Everything a caller sees that the indexes decide: each question's hits with their scores, and its answer. */
async function behaviour(knowledgeBase: KnowledgeBase) {
  const ask = createAsk({ knowledgeBase, today: () => TODAY });
  const seen = [];
  for (const question of QUESTIONS) {
    const hits = await knowledgeBase.retriever.search({ text: question, regions: [], limit: 20 });
    const answer = await ask(question);
    seen.push({ question, hits, text: answer.text, citations: answer.citations.map((c) => c.measureId) });
  }
  return seen;
}

/** Each sampled term's document frequency and BM25 scores over the whole corpus. */
function keywordScores(knowledgeBase: KnowledgeBase, terms: string[]) {
  const index = knowledgeBase.index.keywordIndex;
  return terms.map((term) => ({ term, df: index.documentFrequency(term), scores: Array.from(index.scoreAll([{ term, weight: 1 }])) }));
}

/** Questions that name a document by what it is, and questions with a pinyin slip (带款, 蜂厂, 转供店). */
const NAMING = ["政法委的50条措施里有哪些化解纠纷的办法？", "养蜂合作社的那份通知说了什么？", "减免房屋租金的通知是谁发的？", "转供电的文件里有哪些规定？"];
const SLIPS = ["申请带款有贴息吗", "养蜂合做社有补助吗", "新建蜂厂有补助吗", "转供店加价怎么办", "房物租金能减免吗", "蜂机具补帖最高多少"];

/**
 * What a knowledge base derives from its corpus besides the indexes: its lookups by id, the documents each name
 * singles out, the spelling vocabulary and the manifest. Clauses and documents are given as their positions in
 * the corpus, so one carried over from the live corpus (equal, but not the one now published) shows as -1.
 * `others` are knowledge bases whose documents' names and words are looked up too (those of removed ones).
 */
function derived(knowledgeBase: KnowledgeBase, others: KnowledgeBase[]) {
  const { corpus, lexicon, documentNames } = knowledgeBase;
  const measureAt = new Map<unknown, number>(corpus.measures.map((m, i) => [m, i]));
  const documentAt = new Map<unknown, number>(corpus.documents.map((d, i) => [d, i]));
  const positions = <V>(map: ReadonlyMap<string, V>, at: Map<unknown, number>) =>
    [...map].map(([id, value]) => [id, at.get(value) ?? -1] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const all = [knowledgeBase, ...others];
  const names = [...new Set(all.flatMap((kb) => kb.corpus.documents.flatMap((d) => [...namesOf(d)])))].sort();
  const words = new Set([
    ...all
      .flatMap((kb) => [...kb.index.keywordIndex.terms()])
      .filter((t) => t.startsWith("w:"))
      .map((t) => t.slice(2)),
    ...lexicon.thesaurus.words(),
  ]);
  const patterns = [...new Set([...words].flatMap((w) => Array.from(w, (_, i) => `${w.slice(0, i)}?${w.slice(i + 1)}`)))].sort();
  return {
    measuresById: { size: knowledgeBase.measuresById.size, entries: positions(knowledgeBase.measuresById, measureAt) },
    documentsById: { size: knowledgeBase.documentsById.size, entries: positions(knowledgeBase.documentsById, documentAt) },
    documentOf: corpus.measures.map((m) => documentAt.get(knowledgeBase.documentOf(m)) ?? -1),
    named: names.map((name) => [name, documentNames.named(name).map((d) => documentAt.get(d) ?? -1)]),
    found: NAMING.map((question) => {
      const { documents, names } = documentNames.find(question);
      return { question, documents: documents.map((d) => documentAt.get(d) ?? -1), names };
    }),
    spelling: patterns.map((pattern) => [pattern, [...lexicon.spelling.wordsLike(pattern)].sort()]).filter(([, found]) => found.length),
    corrected: SLIPS.map((slip) => lexicon.spelling.correct(slip)),
    manifest: knowledgeBase.index.manifest.documents,
  };
}

/** A corpus's layout as plain arrays, to compare the one a publish worked out with one worked out afresh. */
function layout(corpus: Corpus) {
  const { documentIndex, documentOf, offsets, clausePositions } = layoutOf(corpus);
  return { documentIndex: [...documentIndex], documentOf: [...documentOf], offsets: [...offsets], clausePositions: [...clausePositions] };
}

describe("publishing in place", () => {
  let live: KnowledgeBase;
  beforeAll(async () => {
    live = await openKnowledgeBase({ seedsDir: SEEDS_DIR, indexDir: temporary(), logger: silentLogger });
  });

  it("adds, replaces, retires and removes documents with the answers, scores and lookups of a full rebuild", async () => {
    const seeds = seedPart(live.corpus);
    const bees = UPLOADS["bees.txt"].replace("2万元", "3万元");
    const retired = (snapshot: PublishedSnapshot, title: string): PublishedSnapshot => ({
      ...snapshot,
      documents: snapshot.documents.map((d) => (d.title.includes(title) ? { ...d, retired: { kind: "repealed", date: "2026-06-01" } } : d)),
    });
    // Each upload is parsed again at every step, as the documents service writes the set again: a document kept
    // is the same text in new objects, which the lookups must give rather than the live ones.
    const changes: Array<[string, PublishedSnapshot]> = [
      ["one added", uploadsOf({ "bees.txt": UPLOADS["bees.txt"], "rent.txt": UPLOADS["rent.txt"] })],
      ["one replaced by a new version, one added", uploadsOf({ "bees.txt": bees, "rent.txt": UPLOADS["rent.txt"], "power.txt": UPLOADS["power.txt"] }, 2)],
      ["one retired", retired(uploadsOf({ "bees.txt": bees, "rent.txt": UPLOADS["rent.txt"], "power.txt": UPLOADS["power.txt"] }, 2), "租金")],
      ["one removed", retired(uploadsOf({ "rent.txt": UPLOADS["rent.txt"], "power.txt": UPLOADS["power.txt"] }, 2), "租金")],
      ["all removed", { documents: [], measures: [] }],
      ["one added back", uploadsOf({ "bees.txt": bees }, 3)],
    ];
    // From a full build that holds an upload: what a build made is changed, not only what publishes added.
    let current = await rebuilt(withPublished(seeds, uploadsOf({ "rent.txt": UPLOADS["rent.txt"] })), live);
    for (const [step, [change, snapshot]] of changes.entries()) {
      // Spelling patterns are built when a question first needs them: carried when built, built afresh when not.
      if (step % 3 !== 2) current.lexicon.spelling.correct("申请带款");
      const corpus = withPublished(seeds, snapshot);
      const inPlace = await updatedKnowledgeBase(current, corpus, {});
      expect(inPlace, change).toBeDefined();
      const whole = await rebuilt(corpus, live);
      expect(inPlace!.index.keywordIndex.size, change).toBe(corpus.measures.length);
      const terms = whole.index.keywordIndex.data.terms.filter((_, i) => i % 5 === 0);
      expect(keywordScores(inPlace!, terms), change).toEqual(keywordScores(whole, terms));
      expect(derived(inPlace!, [current, whole]), change).toEqual(derived(whole, [current, whole]));
      // Worked out during the publish from the live corpus's layout (and cached): as it is worked out alone.
      expect(layout(corpus), change).toEqual(layout({ ...corpus }));
      const clauses = (id: string) => corpus.measures.filter((m) => m.documentId === id).length;
      expect(
        inPlace!.index.manifest.documents!.map((d) => d.measures),
        change,
      ).toEqual(corpus.documents.map((d) => clauses(d.id)));
      expect(await behaviour(inPlace!), change).toEqual(await behaviour(whole));
      current = inPlace!;
    }
    // The uploads are answered from, as published: the last version's figure, not an earlier one's.
    const answer = await createAsk({ knowledgeBase: current, today: () => TODAY })("养蜂合作社新建蜂场有补助吗？");
    expect(answer.citations[0].text).toContain("3万元");
  });

  it("leaves the knowledge base it replaced answering as it did, its lookups as they were", async () => {
    live.lexicon.spelling.correct("申请带款");
    const before = { behaviour: await behaviour(live), derived: derived(live, []) };
    const next = await updatedKnowledgeBase(live, withPublished(seedPart(live.corpus), uploadsOf(UPLOADS)), {});
    expect(next).toBeDefined();
    expect({ behaviour: await behaviour(live), derived: derived(live, []) }).toEqual(before);
  });

  it("writes the changed index whole, and a start reads it rather than building again", async () => {
    const documentsDir = temporary();
    const indexDir = temporary();
    let served = await openKnowledgeBase({ seedsDir: SEEDS_DIR, documentsDir, indexDir, logger: silentLogger });
    const publish = createPublisher({
      target: {
        get knowledgeBase() {
          return served;
        },
        swapKnowledgeBase: (next) => {
          served = next;
        },
      },
      indexDir,
      documentsDir,
      logger: silentLogger,
    });
    const published = await publish(uploadsOf(UPLOADS));
    expect(published.index.keywordIndex.layers).toBe(2);
    const restarted = await openKnowledgeBase({ seedsDir: SEEDS_DIR, documentsDir, indexDir, logger: silentLogger });
    expect(restarted.index.rebuilt).toBeUndefined();
    expect(restarted.index.keywordIndex.layers).toBe(1);
    expect(await behaviour(restarted)).toEqual(await behaviour(published));
  });
});
