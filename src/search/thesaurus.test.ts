import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { temporaryDirectory } from "../../test/helpers.js";
import { DEFAULT_THESAURUS_DIR, loadThesaurus, Thesaurus } from "./thesaurus.js";
import { bigrams } from "./tokenize.js";

describe("thesaurus", () => {
  it("loads every topic file shipped with the code", () => {
    const thesaurus = loadThesaurus(DEFAULT_THESAURUS_DIR);
    const topics = new Set(thesaurus.entries.map((e) => e.topic));
    for (const topic of ["registration", "tax", "fees", "courts-enforcement", "social-security", "transport", "complaints"]) expect(topics).toContain(topic);
    expect(thesaurus.entries.length).toBeGreaterThan(400);
  });

  it("maps how people say it to how documents say it, longest phrase first, without overlaps", () => {
    const thesaurus = new Thesaurus([
      { topic: "t", public: ["执照"], documents: ["营业执照"] },
      { topic: "t", public: ["营业执照丢了"], documents: ["营业执照补领"] },
      { topic: "t", public: ["一趟查完"], documents: ["进一次门、查多项事"] },
    ]);
    expect(thesaurus.expand("营业执照丢了怎么办")).toEqual([{ phrase: "营业执照丢了", alternatives: ["营业执照补领"] }]);
    expect(thesaurus.expand("执照在哪办")).toEqual([{ phrase: "执照", alternatives: ["营业执照"] }]);
    // Documents punctuate a phrase in more than one way: its parts are matched on their own.
    expect(thesaurus.expand("能一趟查完吗")[0].alternatives).toEqual(["进一次门", "查多项事"]);
    expect(thesaurus.knows("营业执照补领")).toBe(true);
    expect(thesaurus.knows("饭馆桌子")).toBe(false);
  });

  it("offers the shorter ways of saying it that the longer phrase asked holds (网上办 in 在网上办)", () => {
    const thesaurus = new Thesaurus([{ topic: "t", public: ["网上办", "在网上办", "线上办"], documents: ["全程网办"] }]);
    const [found] = thesaurus.expand("能在网上办吗");
    expect(found.phrase).toBe("在网上办");
    expect(found.alternatives).toEqual(expect.arrayContaining(["全程网办", "网上办"]));
    expect(found.alternatives).not.toContain("线上办");
  });

  it("matches a phrase with a gap across the few words a caller puts between its parts, within one sentence", () => {
    const thesaurus = new Thesaurus([{ topic: "t", public: ["先关…再开"], documents: ["歇业"] }]);
    expect(thesaurus.expand("小卖部想先关两年，以后再开，要注销吗")).toEqual([{ phrase: "先关两年，以后再开", alternatives: ["歇业"] }]);
    expect(thesaurus.expand("先关了。过了很久很久很久以后再开")).toEqual([]);
    expect(thesaurus.expand("先关一段时间看看情况怎么样然后再开")).toEqual([]);
    // A pattern is no word of the domain.
    expect(thesaurus.knows("先关…再开")).toBe(false);
  });

  it("reads 免抵押贷款 as a loan without collateral, not as a mortgage loan", () => {
    const thesaurus = loadThesaurus(DEFAULT_THESAURUS_DIR);
    const [first] = thesaurus.expand("个体户的小额免抵押贷款还能申请吗");
    expect(first.phrase).toBe("免抵押贷款");
    expect(first.alternatives).toContain("免抵押");
    expect(first.alternatives).not.toContain("抵押登记");
  });

  it("reads 抓人 as the personal coercive measures (逮捕, 羁押), and longer phrases with it as their own ideas", () => {
    const thesaurus = loadThesaurus(DEFAULT_THESAURUS_DIR);
    const arrest = thesaurus.expand("查封财产、抓人这些强制措施").find((e) => e.phrase === "抓人");
    expect(arrest?.alternatives).toEqual(expect.arrayContaining(["逮捕", "羁押"]));
    expect(thesaurus.expand("外地警察跑来异地抓人")[0].alternatives).toContain("协作请求");
  });

  it("reads 倒闭 as 破产 (重整 or 清算)", () => {
    const thesaurus = loadThesaurus(DEFAULT_THESAURUS_DIR);
    const closing = thesaurus.expand("不用直接关门倒闭").find((e) => e.phrase.includes("倒闭"));
    expect(closing?.alternatives).toContain("破产重整");
  });

  it("names the file and the field of a malformed topic file", () => {
    const directory = temporaryDirectory();
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, "broken.json"), JSON.stringify({ topic: "x", entries: [{ public: ["税"], documents: [] }] }));
    expect(() => loadThesaurus(directory)).toThrow(/broken\.json: entries\.0\.public\.0.*entries\.0\.documents/s);
  });

  it("finds what trying every phrase in turn finds, on the eval questions and on texts made of its own phrases", () => {
    const thesaurus = loadThesaurus(DEFAULT_THESAURUS_DIR);
    // Every public phrase in turn, longest first, each taken out of the text once found: expand as it was before
    // it looked only at the phrases starting with two characters the text holds.
    const phrases = [...new Set(thesaurus.entries.flatMap((e) => e.public))].filter((p) => !p.includes("…")).sort((a, b) => b.length - a.length);
    const everyPhrase = (text: string) => {
      let rest = text;
      const found: string[] = [];
      for (const phrase of phrases) {
        if (!rest.includes(phrase)) continue;
        found.push(phrase);
        rest = rest.split(phrase).join("\u0000");
      }
      return found;
    };
    const evalDir = new URL("../../eval/", import.meta.url).pathname;
    const questions = readdirSync(evalDir)
      .filter((name) => name.endsWith(".jsonl"))
      .flatMap((name) => readFileSync(join(evalDir, name), "utf8").split("\n").filter(Boolean))
      .map((line) => JSON.parse(line).question as string)
      .filter((question) => typeof question === "string");
    // Phrases run together, so that longer and shorter ones overlap (营业执照丢了, 执照).
    const joined = phrases.map((phrase, i) => `${phrase}${phrases[(i * 37) % phrases.length]}的${bigrams(phrases[(i * 11) % phrases.length])[0] ?? ""}`);
    expect(questions.length).toBeGreaterThan(300);
    for (const text of [...questions, ...joined]) {
      const gapped = thesaurus.expand(text).filter(({ phrase }) => !phrases.includes(phrase));
      const plain = thesaurus
        .expand(text)
        .map(({ phrase }) => phrase)
        .filter((phrase) => phrases.includes(phrase));
      // A phrase a gapped pattern took first changes what is left: compared on texts no gapped pattern reads.
      if (gapped.length === 0) expect(plain).toEqual(everyPhrase(text));
    }
  });

  it("finds a phrase of one character, which no two characters start", () => {
    const thesaurus = new Thesaurus([
      { topic: "t", public: ["税"], documents: ["税收"] },
      { topic: "t", public: ["交税"], documents: ["缴纳税款"] },
    ]);
    expect(thesaurus.expand("个税怎么算")).toEqual([{ phrase: "税", alternatives: ["税收"] }]);
    expect(thesaurus.expand("交税")).toEqual([{ phrase: "交税", alternatives: ["缴纳税款"] }]);
    expect(thesaurus.expand("税")).toEqual([{ phrase: "税", alternatives: ["税收"] }]);
  });
});
