import { describe, expect, it } from "vitest";
import { seedKnowledgeBase } from "../../test/helpers.js";
import { documentFactor, HybridRetriever, regionFactor, searchText } from "./hybrid-retriever.js";
import { KeywordIndex, topK } from "./keyword-index.js";
import { LocalEmbedder } from "./local-embedder.js";

async function topTexts(question: string, limit = 5) {
  const kb = await seedKnowledgeBase();
  const hits = await kb.retriever.search({ text: question, regions: [], limit });
  return hits.map((hit) => kb.measuresById.get(hit.measureId)!.text);
}

describe("keyword index", () => {
  it("finds 检验检测费用 for 检测费 through bigrams", () => {
    const index = KeywordIndex.build(["减免30%的检验检测费用", "优化身份证业务办理", "检测"]);
    const scores = index.scoreAll([
      { term: "b:检测", weight: 1 },
      { term: "b:测费", weight: 1 },
    ]);
    expect(topK(scores, 2)).toEqual([0, 2]);
  });

  it("returns the k best in order and skips zeros", () => {
    expect(topK(Float32Array.from([0, 3, 1, 5, 0, 2]), 3)).toEqual([3, 1, 5]);
  });
});

describe("search text", () => {
  it("is kept per measure, and built again for a corrected document", async () => {
    const kb = await seedKnowledgeBase();
    const measure = kb.corpus.measures[0];
    const document = kb.documentOf(measure);
    expect(searchText(measure, document)).toContain(document.shortTitle);
    const corrected = { ...document, shortTitle: "更正后的标题" };
    expect(searchText(measure, corrected)).toContain("更正后的标题");
    expect(searchText(measure, document)).not.toContain("更正后的标题");
  });
});

describe("local embedder", () => {
  it("puts paraphrases closer than unrelated text", async () => {
    const texts = ["对中小微企业减免检验检测费用", "优化身份证业务办理时限", "专利年费缴纳期限延长"];
    const embedder = LocalEmbedder.fit(texts);
    const [query, near, far] = await embedder.embed(["检验检测费减免", texts[0], texts[1]]);
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i], 0);
    expect(dot(query, near)).toBeGreaterThan(dot(query, far) + 0.2);
  });
});

describe("hybrid retrieval on the seed", () => {
  it("finds the testing-fee institutes for a colloquial question", async () => {
    const texts = await topTexts("我的企业能减免多少检测费？");
    expect(texts.slice(0, 4).some((t) => t.includes("产品质量监督检验研究院"))).toBe(true);
    expect(texts.some((t) => t.includes("计量测试研究院"))).toBe(true);
  });

  it("maps 个体户 and 歇业 to the documents' words", async () => {
    expect((await topTexts("个体户想暂时关门歇业"))[0]).toContain("歇业备案");
  });

  it("prefers the named city's measure over the province's copy", async () => {
    const kb = await seedKnowledgeBase();
    const hits = await kb.retriever.search({ text: "克拉玛依 优化机动车查验服务", regions: ["克拉玛依市"], limit: 3 });
    expect(kb.measuresById.get(hits[0].measureId)!.documentId).toMatch(/-4$/);
    const plain = await kb.retriever.search({ text: "优化机动车查验服务", regions: [], limit: 3 });
    expect(kb.measuresById.get(plain[0].measureId)!.documentId).toMatch(/-2$/);
  });

  it("prefers each search's own place, one after another on the same retriever", async () => {
    const kb = await seedKnowledgeBase();
    const regionOf = (hit: { measureId: string }) => kb.documentOf(kb.measuresById.get(hit.measureId)!).region;
    const text = "完善政策制定实施 听取企业意见";
    for (const place of ["哈密市", "新疆维吾尔自治区", "哈密市", "新疆维吾尔自治区"]) {
      const [top] = await kb.retriever.search({ text, regions: [place], limit: 3 });
      expect(regionOf(top)).toBe(place);
    }
  });
});

describe("place and document preferences", () => {
  it("weigh each document as regionFactor and documentFactor do, whatever the places and documents named", async () => {
    const kb = await seedKnowledgeBase();
    const paths = [
      ["新疆维吾尔自治区"],
      ["哈密市", "新疆维吾尔自治区"],
      ["克拉玛依市", "新疆维吾尔自治区"],
      ["河北省"],
      ["唐山市", "河北省"],
      ["石家庄市", "河北省"],
    ];
    const documents = Array.from({ length: 300 }, (_, i) => {
      const regionPath = paths[(i * 7) % paths.length];
      return { ...kb.corpus.documents[i % kb.corpus.documents.length], id: `doc-${i}`, region: regionPath[0], regionPath };
    });
    const retriever = new HybridRetriever({ corpus: { ...kb.corpus, documents, measures: [] }, keywordIndex: kb.index.keywordIndex, lexicon: kb.lexicon });
    for (const regions of [[], ["哈密市"], ["新疆维吾尔自治区"], ["唐山市", "河北省"], ["北京市"]])
      for (const named of [[], ["doc-3"], ["doc-3", "doc-200", "no-such-document"]]) {
        const expected = Float32Array.from(documents, (d) => regionFactor(d, regions) * documentFactor(d, named));
        expect(retriever.preferenceFactors(regions, named)).toEqual(expected);
      }
  });
});
