import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { SystemMessage } from "@langchain/core/messages";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { ToolNode, toolsCondition } from "@langchain/langgraph/prebuilt";

export const POLICY_AGENT_PROMPT =
  "你是惠企政策助手。只依据工具返回的政策原文回答；每个结论后注明出处：《文件》（文号）条款路径；说明措施按今天是否仍在有效期内。工具没有找到依据时，如实说明并建议拨打12345政务服务便民热线。";

export interface PolicyAgentOptions {
  /** Any chat model that calls tools (ChatOllama, ChatOpenAI …). */
  model: BaseChatModel;
  /** createPolicyTools(…), and any tools of the application's own. */
  tools: StructuredToolInterface[];
  prompt?: string;
}

/**
 * A LangGraph agent that answers with our tools and cites: the model calls a tool, the tool node runs it, and
 * the loop goes on until the model answers without calling one. The README's example, runnable as is.
 */
export function createPolicyAgent({ model, tools, prompt = POLICY_AGENT_PROMPT }: PolicyAgentOptions) {
  if (!model.bindTools) throw new TypeError("the agent's model must support tool calling (bindTools)");
  const withTools = model.bindTools(tools);
  return new StateGraph(MessagesAnnotation)
    .addNode("agent", async (state) => ({ messages: [await withTools.invoke([new SystemMessage(prompt), ...state.messages])] }))
    .addNode("tools", new ToolNode(tools))
    .addEdge(START, "agent")
    .addConditionalEdges("agent", toolsCondition, ["tools", END])
    .addEdge("tools", "agent")
    .compile();
}
