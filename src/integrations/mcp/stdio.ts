import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Runtime } from "../../core/runtime.js";
import { createPolicyOperations } from "../policy-operations.js";
import { createPolicyMcpServer } from "./policy-mcp-server.js";

/**
 * `npm run mcp`: the MCP server on stdin and stdout, for a client that starts it as a child process (Claude
 * Desktop, Dify's plugin, an IDE). Stdout carries only protocol messages: logs go to stderr (log-destination.ts).
 * Resolves when the client closes stdin or the process is told to stop.
 */
export async function serveMcpOverStdio(runtime: Pick<Runtime, "ask" | "knowledgeBase" | "config" | "logger">): Promise<void> {
  const operations = createPolicyOperations({ ask: runtime.ask, knowledgeBase: () => runtime.knowledgeBase, today: runtime.config.today });
  const server = createPolicyMcpServer({ operations, logger: runtime.logger });
  const transport = new StdioServerTransport();
  const ended = new Promise<void>((resolve) => {
    process.stdin.once("end", resolve);
    process.stdin.once("close", resolve);
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, resolve);
  });
  await server.connect(transport);
  runtime.logger.info({ tools: 4 }, "MCP server on stdio");
  await ended;
  await server.close();
}
