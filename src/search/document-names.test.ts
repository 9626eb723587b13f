import { describe, expect, it } from "vitest";
import { seedKnowledgeBase } from "../../test/helpers.js";
import type { PolicyDocument } from "../types.js";
import { DocumentNames, namesOf } from "./document-names.js";

describe("documents named by what they are", () => {
  it("finds a document by its issuer or by a title phrase followed by what it is", async () => {
    const { corpus } = await seedKnowledgeBase();
    const names = DocumentNames.of(corpus.documents);
    const fifty = corpus.documents.find((d) => d.shortTitle.includes("50条措施"))!;
    expect(names.find("政法委的50条措施里有哪些化解纠纷的办法？").documents[0]).toBe(fifty);
    const plan = corpus.documents.find((d) => d.shortTitle.includes("放管服"))!;
    expect(names.find("克拉玛依的放管服要点怎么安排的？").documents).toEqual([plan]);
  });

  it("does not take a title's words used as the topic for a reference to the document", async () => {
    const { corpus } = await seedKnowledgeBase();
    const rent = {
      ...corpus.documents[0],
      id: "rent",
      shortTitle: "关于进一步减免小微企业和个体工商户房屋租金的通知",
      issuer: "哈密市人民政府办公室",
    } as PolicyDocument;
    const names = DocumentNames.of([...corpus.documents, rent]);
    expect(names.find("个体工商户能免收几个月房屋租金？").documents).toEqual([]);
    expect(names.find("那份减免房屋租金的通知是谁发的？").documents).toEqual([rent]);
  });

  it("takes a unit said to lead tasks for the unit, not for the document it issued", async () => {
    const { corpus } = await seedKnowledgeBase();
    const names = DocumentNames.of(corpus.documents);
    expect(names.find("克拉玛依市市场监管局牵头的简易注销方面的任务都有哪些？").documents).toEqual([]);
    const measures = corpus.documents.find((d) => d.issuer.includes("市场监督管理局"))!;
    expect(names.find("自治区市场监督管理局的纾困措施里有哪些减免？").documents[0]).toBe(measures);
  });

  it("finds a document by its place and kind, or by a short name and kind", async () => {
    const { corpus } = await seedKnowledgeBase();
    const names = DocumentNames.of(corpus.documents);
    const ordinal = (question: string) => names.find(question).documents.map((d) => d.ordinal);
    const [market, , province, karamay, hami] = corpus.documents;
    expect(ordinal("哈密方案对行业协会商会收费怎么管？")).toEqual([hami.ordinal]);
    expect(ordinal("克拉玛依那个要点里有什么？")).toEqual([karamay.ordinal]);
    // 自治区 is the province of the cities named beside it; joined places name both plans.
    expect(ordinal("自治区方案里行政许可清单怎么说？")).toEqual([province.ordinal]);
    expect(ordinal("自治区和哈密的方案有什么不同？").sort()).toEqual([province.ordinal, hami.ordinal].sort());
    // A short name keeps some of the title's characters in order: 降成本 of 降低……交易成本, 市监局 of 市场监督管理局.
    expect(ordinal("我想问下降成本方案里的中介收费").sort()).toEqual([province.ordinal, hami.ordinal].sort());
    expect(ordinal("市监局的措施里，对企业开办有什么规定？")).toEqual([market.ordinal]);
    // The words after the place are the name the question is searched without; the place stays.
    expect(names.find("哈密方案对行业协会商会收费怎么管？").names).toEqual(["方案"]);
  });

  it("prefers the province's own documents for 自治区 alone, naming none, and nothing beside a city", async () => {
    const { corpus } = await seedKnowledgeBase();
    const names = DocumentNames.of(corpus.documents);
    const provincial = corpus.documents.filter((d) => d.regionPath.length === 1);
    expect(provincial.length).toBeGreaterThan(0);
    expect(new Set(names.provinceOwn("自治区对银行收费有什么要求？"))).toEqual(new Set(provincial));
    expect(names.find("自治区对银行收费有什么要求？").documents).toEqual([]);
    expect(names.provinceOwn("哈密配合自治区开展的收费整治什么时候完成？")).toEqual([]);
    expect(names.provinceOwn("银行收费有什么要求？")).toEqual([]);
  });

  it("takes no kind word for a document when the words before it name none", async () => {
    const { corpus } = await seedKnowledgeBase();
    const names = DocumentNames.of(corpus.documents);
    expect(names.find("哈密有什么减税措施？").documents).toEqual([]);
    expect(names.find("有什么优惠措施？").documents).toEqual([]);
    expect(names.find("自治区出台了哪些措施？").documents).toEqual([]);
    // Two characters (工作) of another document's name (数据治理工作要点) say too little.
    expect(names.find("克拉玛依2023年数据治理工作要点中，政务数据资源目录要覆盖多少家市级部门？").documents).toEqual([]);
  });

  it("after a publish names documents as names built from the new documents would", async () => {
    const { corpus } = await seedKnowledgeBase();
    const [first, second, ...rest] = corpus.documents;
    // A re-issue of the first document placed before it, the second read again as another object, and a new one.
    const reissue = { ...first, id: "reissue" };
    const reread = { ...second };
    const bees = { ...first, id: "bees", shortTitle: "关于支持养蜂合作社发展的通知", issuer: "示例市农业农村局" };
    const documents = [reissue, first, reread, ...rest, bees];
    const built = DocumentNames.of(documents);
    // Changed from the whole seed, and from its first document alone: more changed names than built ones, built again.
    for (const changed of [
      DocumentNames.of(corpus.documents).changed(documents, [second], [reissue, reread, bees]),
      DocumentNames.of([first]).changed(documents, [], [reissue, reread, ...rest, bees]),
    ]) {
      for (const name of new Set([...documents, second].flatMap((d) => [...namesOf(d)]))) {
        const [carried, fresh] = [changed.named(name), built.named(name)];
        expect(carried.length === fresh.length && carried.every((d, i) => d === fresh[i]), name).toBe(true);
      }
      expect(changed.find("政法委的50条措施里有哪些化解纠纷的办法？")).toEqual(built.find("政法委的50条措施里有哪些化解纠纷的办法？"));
    }
  });
});
