import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { FakeEmbeddings } from "@langchain/core/utils/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { SEEDS_DIR, silentLogger, TODAY, temporaryDirectory } from "../../../test/helpers.js";
import { createAsk } from "../../core/ask.js";
import type { KnowledgeBase } from "../../search/knowledge-base.js";
import { openKnowledgeBase } from "../../search/open-knowledge-base.js";
import { PolicyInputError } from "../input-error.js";
import { createPolicyOperations, type PolicyOperations } from "../policy-operations.js";
import { ScriptedToolCallingModel } from "./__fixtures__/scripted-chat-model.js";
import { createPolicyAgent, createPolicyTools, LangChainEmbedder, PolicyRetriever } from "./index.js";

const QUESTION = "我的企业能减免多少检测费？";
const DOC_NUMBER = "新市监机〔2023〕83号";
let knowledgeBase: KnowledgeBase;
let operations: PolicyOperations;

const operationsAsOf = (today: string) =>
  createPolicyOperations({ ask: createAsk({ knowledgeBase, today: () => today }), knowledgeBase: () => knowledgeBase, today: () => today });

beforeAll(async () => {
  // The index's vectors come from LangChain's fake embeddings (one fixed vector: search is by keywords) through the LangChainEmbedder seam.
  const embedderFactory = () => new LangChainEmbedder(new FakeEmbeddings(), "langchain:fake");
  knowledgeBase = await openKnowledgeBase({
    seedsDir: SEEDS_DIR,
    indexDir: temporaryDirectory(),
    logger: silentLogger,
    embedderFactory,
    embedderId: "langchain:fake",
  });
  operations = operationsAsOf(TODAY);
});

describe("PolicyRetriever", () => {
  it("returns clauses as Documents with their citation and validity as of the injected today", async () => {
    const documents = await new PolicyRetriever({ operations, k: 4 }).invoke("自治区产品质量监督检验研究院 检验检测费用 减免");
    expect(documents.length).toBeGreaterThan(0);
    expect(documents.length).toBeLessThanOrEqual(4);
    const [first] = documents;
    expect(first.pageContent).toContain("检验检测费用");
    expect(first.metadata).toMatchObject({
      docNumber: DOC_NUMBER,
      issuer: expect.stringContaining("市场监督管理局"),
      region: "新疆维吾尔自治区",
      status: "ended",
      validity: expect.stringContaining("现已到期"),
      page: 1705,
    });
    expect(first.metadata.title).toContain("若干措施");
    expect(first.metadata.path).toMatch(/二、.+ › （五）/);
    expect(first.metadata.measureId).toBe(first.id);
    // The same clause, read on a day within its period, is in force: validity is judged by the injected clock.
    const [then] = await new PolicyRetriever({ operations: operationsAsOf("2023-06-01"), k: 1 }).invoke("自治区产品质量监督检验研究院 检验检测费用 减免");
    expect(then.metadata).toMatchObject({ measureId: first.metadata.measureId, status: "active", validity: expect.stringContaining("目前在有效期内") });
  });

  it("keeps to a place: a 哈密市 retriever never returns another city's clauses", async () => {
    const documents = await new PolicyRetriever({ operations, region: "哈密市", k: 20 }).invoke("电价");
    expect(documents.length).toBeGreaterThan(0);
    for (const document of documents) expect(["哈密市", "新疆维吾尔自治区"]).toContain(document.metadata.region);
  });
});

describe("the tools", () => {
  const tools = () => Object.fromEntries(createPolicyTools(operations).map((t): [string, StructuredToolInterface] => [t.name, t]));

  it("ask_policy gives our verified answer: the text to quote, and the citations as an artifact", async () => {
    const message = (await tools().ask_policy.invoke({ type: "tool_call", id: "call-1", name: "ask_policy", args: { question: QUESTION } })) as ToolMessage;
    expect(message).toBeInstanceOf(ToolMessage);
    expect(message.content).toContain(DOC_NUMBER);
    expect(message.content).toContain("30%-50%");
    expect(message.artifact.citations).toHaveLength(4);
    for (const citation of message.artifact.citations) expect(citation).toMatchObject({ docNumber: DOC_NUMBER, status: "ended" });
  });

  it("search_measures and get_measure hand out clauses with their 文号 and validity", async () => {
    const { search_measures, get_measure } = tools();
    const found = (await search_measures.invoke({
      type: "tool_call",
      id: "c",
      name: "search_measures",
      args: { query: "检验检测费用 减免", limit: 3 },
    })) as ToolMessage;
    expect(found.artifact).toHaveLength(3);
    expect(found.content).toContain("[1] 《");
    const measureId = found.artifact[0].measureId;
    const one = (await get_measure.invoke({ type: "tool_call", id: "g", name: "get_measure", args: { measureId } })) as ToolMessage;
    expect(one.artifact).toMatchObject({ measureId, docNumber: expect.any(String), validity: expect.any(String) });
    expect(one.content).toContain(`编号：${measureId}`);
  });

  it("says in Chinese which argument is wrong", async () => {
    const { get_measure, match_enterprise, ask_policy } = tools();
    await expect(get_measure.invoke({ measureId: "no-such" })).rejects.toThrow(/没有编号为“no-such”的措施/);
    const error = await match_enterprise.invoke({ region: "火星", entityType: "小微企业" }).catch((e) => e);
    expect(error).toBeInstanceOf(PolicyInputError);
    expect(error.message).toMatch(/无法识别或知识库未覆盖的地区“火星”/);
    await expect(ask_policy.invoke({ question: "  " })).rejects.toThrow(/question 不能为空/);
  });

  it("match_enterprise lists what a 哈密 small business can use, each cited", async () => {
    const message = (await tools().match_enterprise.invoke({
      type: "tool_call",
      id: "m",
      name: "match_enterprise",
      args: { region: "哈密", entityType: "小微企业", needs: "想少交点检测费" },
    })) as ToolMessage;
    expect(message.content).toContain("哈密市");
    expect(message.artifact.groups.length).toBeGreaterThan(0);
    expect(message.artifact.groups[0].items[0].citation.document).toBeTruthy();
  });
});

describe("a LangGraph agent with our tools", () => {
  it("calls ask_policy, then answers citing the clauses the tool returned", async () => {
    const model = new ScriptedToolCallingModel([
      () => new AIMessage({ content: "", tool_calls: [{ id: "call-1", name: "ask_policy", args: { question: QUESTION }, type: "tool_call" }] }),
      (messages) => {
        // The model's answer is built from the tool's output: its 依据 lines are what it cites.
        const result = [...messages].reverse().find((m) => m instanceof ToolMessage) as ToolMessage;
        const sources = String(result.content)
          .split("\n")
          .filter((line) => /^\[\d\] 《/.test(line));
        return new AIMessage(`检验检测费用可减免30%-50%等，相关措施已于2023年8月31日到期。\n出处：\n${sources.join("\n")}`);
      },
    ]);
    const agent = createPolicyAgent({ model, tools: createPolicyTools(operations) });
    const { messages } = await agent.invoke({ messages: [new HumanMessage(QUESTION)] });

    expect(model.boundTools).toEqual(["ask_policy", "search_measures", "get_measure", "match_enterprise"]);
    expect(model.calls).toHaveLength(2);
    const toolMessage = messages.find((m) => m instanceof ToolMessage) as ToolMessage;
    expect(toolMessage.name).toBe("ask_policy");
    expect(toolMessage.artifact.citations).toHaveLength(4);
    const final = messages.at(-1)!;
    expect(final).toBeInstanceOf(AIMessage);
    const cited = String(final.content)
      .split("\n")
      .filter((line) => line.includes(DOC_NUMBER));
    expect(cited).toHaveLength(4);
  });
});
