import type { Runtime } from "../../core/runtime.js";
import { createPolicyOperations } from "../policy-operations.js";
import { PolicyRetriever } from "./policy-retriever.js";
import { createPolicyTools } from "./policy-tools.js";

export { LangChainEmbedder } from "./langchain-embedder.js";
export { createPolicyAgent, POLICY_AGENT_PROMPT, type PolicyAgentOptions } from "./policy-agent.js";
export { type ClauseMetadata, clauseDocument, PolicyRetriever, type PolicyRetrieverInput } from "./policy-retriever.js";
export { createPolicyTools } from "./policy-tools.js";

/** The retriever and the four tools over a running runtime: its ask, its live knowledge base, its today. */
export function policyToolkit(runtime: Pick<Runtime, "ask" | "knowledgeBase" | "config">, { k, region }: { k?: number; region?: string } = {}) {
  const operations = createPolicyOperations({ ask: runtime.ask, knowledgeBase: () => runtime.knowledgeBase, today: runtime.config.today });
  return { operations, retriever: new PolicyRetriever({ operations, k, region }), tools: createPolicyTools(operations) };
}
