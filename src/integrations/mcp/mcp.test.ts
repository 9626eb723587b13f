import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEEDS_DIR, silentLogger, TODAY, temporaryDirectory } from "../../../test/helpers.js";
import { type RunningServer, startHttpServer } from "../../channels/http/server.js";
import { loadConfig } from "../../config.js";
import { createRuntime } from "../../core/runtime.js";
import { openSqliteStore } from "../../store/sqlite-store.js";

const QUESTION = "我的企业能减免多少检测费";
const DOC_NUMBER = "新市监机〔2023〕83号";
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const TOOLS = ["ask", "get_measure", "match_enterprise", "search_measures"];

/** What every client must see from `ask` on the detection-fee question: the four measures, each with its 文号 and validity. */
function expectFourMeasures(result: CallToolResult) {
  expect(result.isError).toBeFalsy();
  const text = (result.content[0] as { text: string }).text;
  const sources = text
    .split("依据：")[1]
    .split("\n")
    .filter((line) => /^\[\d\] 《/.test(line));
  expect(sources).toHaveLength(4);
  for (const line of sources) expect(line).toContain(DOC_NUMBER);
  const citations = (result.structuredContent as { citations: Array<Record<string, unknown>> }).citations;
  expect(citations).toHaveLength(4);
  for (const citation of citations) expect(citation).toMatchObject({ docNumber: DOC_NUMBER, status: "ended", validity: expect.stringContaining("现已到期") });
}

const call = (client: Client, name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args }) as Promise<CallToolResult>;

describe("npm run mcp: the MCP server over stdio, driven by the SDK's own client", () => {
  let client: Client;

  beforeAll(async () => {
    const dir = temporaryDirectory();
    const transport = new StdioClientTransport({
      command: `${ROOT}node_modules/.bin/tsx`,
      args: ["src/main.ts", "mcp"],
      cwd: ROOT,
      // Only what the server needs: no keys from the developer's shell reach it.
      env: {
        ...getDefaultEnvironment(),
        SEEDS_DIR,
        INDEX_DIR: `${dir}/index`,
        DATABASE_PATH: `${dir}/db.sqlite`,
        DOCUMENTS_DIR: `${dir}/documents`,
        AS_OF_DATE: TODAY,
        LOG_LEVEL: "silent",
      },
      stderr: "pipe",
    });
    client = new Client({ name: "relief-test", version: "1.0.0" });
    await client.connect(transport);
  });
  afterAll(() => client?.close());

  it("lists the four tools with input schemas and Chinese descriptions", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
    const ask = tools.find((t) => t.name === "ask")!;
    expect(ask.inputSchema.required).toEqual(["question"]);
    expect(ask.description).toMatch(/文号/);
    expect(ask.annotations?.readOnlyHint).toBe(true);
  });

  it("answers ask on the detection-fee question with the four measures and their 文号", async () => {
    expectFourMeasures(await call(client, "ask", { question: QUESTION }));
  });

  it("offers every document as a resource, read with its 文号 and validity", async () => {
    const { resources } = await client.listResources();
    expect(resources.length).toBeGreaterThan(1);
    const document = resources.find((r) => r.description?.includes(DOC_NUMBER))!;
    const { contents } = await client.readResource({ uri: document.uri });
    const text = (contents[0] as { text: string }).text;
    expect(text).toContain(`文号：${DOC_NUMBER}`);
    expect(text).toMatch(/有效性（按2026-11-27计）/);
    expect(text).toContain("检验检测费用");
  });

  it("turns a bad argument into an MCP error with a Chinese message", async () => {
    const unknown = await call(client, "get_measure", { measureId: "no-such" });
    expect(unknown.isError).toBe(true);
    expect((unknown.content[0] as { text: string }).text).toMatch(/没有编号为“no-such”的措施/);
    const place = await call(client, "match_enterprise", { region: "火星", entityType: "小微企业" });
    expect(place.isError).toBe(true);
    expect((place.content[0] as { text: string }).text).toMatch(/无法识别或知识库未覆盖的地区“火星”/);
    const empty = await call(client, "ask", { question: "" });
    expect(empty.isError).toBe(true);
    expect((empty.content[0] as { text: string }).text).toMatch(/question 不能为空/);
  });
});

describe("the MCP server over streamable HTTP at /mcp on the real server", () => {
  let server: RunningServer;
  let url: URL;

  beforeAll(async () => {
    const dir = temporaryDirectory();
    const config = loadConfig({
      SEEDS_DIR,
      INDEX_DIR: `${dir}/index`,
      DATABASE_PATH: `${dir}/db.sqlite`,
      DOCUMENTS_DIR: `${dir}/documents`,
      AS_OF_DATE: TODAY,
      HOST: "127.0.0.1",
      API_TOKEN: "api-secret",
      ADMIN_TOKEN: "staff-secret",
      RATE_LIMIT_PER_MINUTE: "1000",
    });
    server = await startHttpServer(await createRuntime(config, silentLogger), 0, openSqliteStore(config.databasePath));
    url = new URL(`http://127.0.0.1:${server.port}/mcp`);
  });
  afterAll(() => server?.close());

  const connect = async (token?: string) => {
    const client = new Client({ name: "relief-test", version: "1.0.0" });
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
    return client;
  };

  it("lists the tools and answers ask with the four measures and their 文号, with API_TOKEN", async () => {
    const client = await connect("api-secret");
    try {
      expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(TOOLS);
      expectFourMeasures(await call(client, "ask", { question: QUESTION }));
      const search = await call(client, "search_measures", { query: "检验检测费用 减免", limit: 2 });
      expect((search.structuredContent as { clauses: unknown[] }).clauses).toHaveLength(2);
    } finally {
      await client.close();
    }
  });

  it("takes ADMIN_TOKEN too", async () => {
    const client = await connect("staff-secret");
    await client.close();
  });

  it("refuses a call without a token, or with a wrong one", async () => {
    await expect(connect()).rejects.toThrow(/API_TOKEN_REQUIRED/);
    const initialize = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } },
    };
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    const anonymous = await fetch(url, { method: "POST", headers, body: JSON.stringify(initialize) });
    expect(anonymous.status).toBe(401);
    const wrong = await fetch(url, { method: "POST", headers: { ...headers, authorization: "Bearer guess" }, body: JSON.stringify(initialize) });
    expect(wrong.status).toBe(401);
  });
});
