import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { type CallToolResult, ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "pino";
import { AppError } from "../../errors.js";
import { clauseText } from "../clause-view.js";
import { PolicyInputError } from "../input-error.js";
import { answerView, type PolicyOperations } from "../policy-operations.js";
import { askInput, descriptions, getMeasureInput, matchEnterpriseInput, searchMeasuresInput } from "../tool-schemas.js";

export const DOCUMENT_URI = "policy://documents/{documentId}";
const documentUri = (id: string) => `policy://documents/${encodeURIComponent(id)}`;

const INSTRUCTIONS =
  "惠企政策知识库。回答时请以工具返回的政策原文为准，并保留引用（文件标题、文号、条款路径、页码）和有效性说明；工具拒答时如实转告，不要自行补充政策内容。";

/** Nothing here changes anything, and everything is in our knowledge base: clients may call freely. */
const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

export interface PolicyMcpServerOptions {
  operations: PolicyOperations;
  logger?: Logger;
}

/**
 * The knowledge base over the Model Context Protocol (Dify, MaxKB, RAGFlow, Claude Desktop …): the four tools,
 * each answer's text with its 依据 and validity for the model to read and the same as structured content, and
 * every document as a resource. A bad argument is an MCP error with a Chinese message naming it.
 */
export function createPolicyMcpServer({ operations, logger }: PolicyMcpServerOptions): McpServer {
  const server = new McpServer({ name: "relief-policy-bot", title: "惠企政策问答", version: "0.1.0" }, { instructions: INSTRUCTIONS });

  /** Our errors as MCP errors: an argument's problem as InvalidParams, anything else as the message users see. */
  const run = async (tool: string, handler: () => Promise<CallToolResult>): Promise<CallToolResult> => {
    try {
      return await handler();
    } catch (error) {
      if (error instanceof PolicyInputError) throw new McpError(ErrorCode.InvalidParams, error.message, { field: error.field });
      logger?.error({ err: error, tool }, "MCP tool failed");
      throw new McpError(ErrorCode.InternalError, AppError.wrap(error).userMessage);
    }
  };
  const result = (text: string, structured: object): CallToolResult => ({
    content: [{ type: "text", text }],
    structuredContent: structured as Record<string, unknown>,
  });

  server.registerTool("ask", { title: "政策问答", description: descriptions.ask, inputSchema: askInput, annotations: READ_ONLY }, ({ question, history }) =>
    run("ask", async () => {
      const answer = await operations.ask(question, history ?? []);
      return result(answer.text, answerView(answer));
    }),
  );

  server.registerTool(
    "search_measures",
    { title: "检索条款", description: descriptions.searchMeasures, inputSchema: searchMeasuresInput, annotations: READ_ONLY },
    (input) =>
      run("search_measures", async () => {
        const clauses = await operations.searchMeasures(input);
        const text = clauses.length ? clauses.map((clause, i) => clauseText(clause, i + 1)).join("\n\n") : "知识库中没有找到相关条款。";
        return result(text, { clauses });
      }),
  );

  server.registerTool(
    "get_measure",
    { title: "查看条款", description: descriptions.getMeasure, inputSchema: getMeasureInput, annotations: READ_ONLY },
    ({ measureId }) =>
      run("get_measure", async () => {
        const clause = operations.getMeasure(measureId);
        return result(clauseText(clause, 1), clause);
      }),
  );

  server.registerTool(
    "match_enterprise",
    { title: "政策匹配", description: descriptions.matchEnterprise, inputSchema: matchEnterpriseInput, annotations: READ_ONLY },
    (input) =>
      run("match_enterprise", async () => {
        const { result: matched, answer } = await operations.matchEnterprise(input);
        return result(answer.text, matched);
      }),
  );

  server.registerResource(
    "documents",
    new ResourceTemplate(DOCUMENT_URI, {
      list: () => ({
        resources: operations.documents().map((document) => ({
          uri: documentUri(document.id),
          name: document.shortTitle,
          title: document.title,
          description: [document.docNumber, document.issuer, document.date, document.region, `${document.measures}条措施`].filter(Boolean).join("；"),
          mimeType: "text/plain",
        })),
      }),
    }),
    { title: "政策文件", description: "知识库中的政策文件全文，文首注明文号、发文机关、日期和按今天计的有效性。", mimeType: "text/plain" },
    (uri, { documentId }) => {
      try {
        const { text } = operations.documentText(decodeURIComponent(String(documentId)));
        return { contents: [{ uri: uri.href, mimeType: "text/plain", text }] };
      } catch (error) {
        if (error instanceof PolicyInputError) throw new McpError(ErrorCode.InvalidParams, error.message);
        throw error;
      }
    },
  );
  return server;
}
