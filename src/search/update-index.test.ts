import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SEEDS_DIR, silentLogger, TODAY, temporaryDirectory } from "../../test/helpers.js";
import { createAsk } from "../core/ask.js";
import { buildCorpus, loadSeedFiles } from "../corpus/load-corpus.js";
import { type PublishedSnapshot, seedPart, withPublished } from "../corpus/published-corpus.js";
import { createPublisher } from "../documents/publisher.js";
import type { Corpus } from "../types.js";
import { LocalEmbedder } from "./local-embedder.js";
import { type KnowledgeBase, knowledgeBaseFromCorpus, openKnowledgeBase, updatedKnowledgeBase } from "./open-knowledge-base.js";

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
  const dir = temporaryDirectory();
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const parsed = buildCorpus(loadSeedFiles(dir));
  return { documents: parsed.documents.map((d) => ({ ...d, version })), measures: parsed.measures };
}

/** The same corpus built whole, with the embedder the live index has (in place, the local embedder keeps its idf). */
function rebuilt(corpus: Corpus, live: KnowledgeBase): Promise<KnowledgeBase> {
  const idf = (live.index.embedder as LocalEmbedder).idf;
  return knowledgeBaseFromCorpus(corpus, {
    indexDir: temporaryDirectory(),
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

describe("publishing in place", () => {
  let live: KnowledgeBase;
  beforeAll(async () => {
    live = await openKnowledgeBase({ seedsDir: SEEDS_DIR, indexDir: temporaryDirectory(), logger: silentLogger });
  });

  it("adds, replaces and removes documents with the answers and scores of a full rebuild", async () => {
    const seeds = seedPart(live.corpus);
    const changes: Array<[string, PublishedSnapshot]> = [
      ["two documents added", uploadsOf({ "bees.txt": UPLOADS["bees.txt"], "rent.txt": UPLOADS["rent.txt"] })],
      [
        "one replaced by a new version, one added",
        uploadsOf({ "bees.txt": UPLOADS["bees.txt"].replace("2万元", "3万元"), "rent.txt": UPLOADS["rent.txt"], "power.txt": UPLOADS["power.txt"] }, 2),
      ],
      ["one removed", uploadsOf({ "rent.txt": UPLOADS["rent.txt"], "power.txt": UPLOADS["power.txt"] }, 2)],
    ];
    let current = live;
    for (const [change, snapshot] of changes) {
      const corpus = withPublished(seeds, snapshot);
      const inPlace = await updatedKnowledgeBase(current, corpus, {});
      expect(inPlace, change).toBeDefined();
      const whole = await rebuilt(corpus, live);
      expect(inPlace!.index.keywordIndex.size, change).toBe(corpus.measures.length);
      const terms = whole.index.keywordIndex.data.terms.filter((_, i) => i % 5 === 0);
      expect(keywordScores(inPlace!, terms), change).toEqual(keywordScores(whole, terms));
      expect(await behaviour(inPlace!), change).toEqual(await behaviour(whole));
      current = inPlace!;
    }
    // The uploads are answered from, as published: the replaced version's figure, not the old one's.
    const answer = await createAsk({ knowledgeBase: current, today: () => TODAY })("转供电加价怎么办？");
    expect(answer.citations[0].text).toContain("转供电");
  });

  it("leaves the index it replaced answering as it did", async () => {
    const before = await behaviour(live);
    const next = await updatedKnowledgeBase(live, withPublished(seedPart(live.corpus), uploadsOf(UPLOADS)), {});
    expect(next).toBeDefined();
    expect(await behaviour(live)).toEqual(before);
  });

  it("writes the changed index whole, and a start reads it rather than building again", async () => {
    const documentsDir = temporaryDirectory();
    const indexDir = temporaryDirectory();
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
