import type { BaseChatModelParams } from "@langchain/core/language_models/chat_models";
import type { AIMessage, BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { FakeListChatModel } from "@langchain/core/utils/testing";

/** One model turn: what the model says, given everything said so far (the tools' results included). */
export type ScriptedTurn = (messages: BaseMessage[]) => AIMessage;

/**
 * @langchain/core's FakeListChatModel answers only with text; an agent loop needs tool calls. This one plays
 * a script, one turn per call, and a turn may read the conversation, so the final answer can quote what our
 * tool returned. It records the tools bound and every call.
 */
export class ScriptedToolCallingModel extends FakeListChatModel {
  readonly calls: BaseMessage[][] = [];
  boundTools: string[] = [];

  constructor(
    private readonly turns: ScriptedTurn[],
    params: BaseChatModelParams = {},
  ) {
    super({ ...params, responses: [] });
  }

  override bindTools(tools: Array<StructuredToolInterface | { name: string }>) {
    this.boundTools = tools.map((t) => t.name);
    return this as unknown as ReturnType<FakeListChatModel["bindTools"]>;
  }

  override async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const turn = this.turns[this.calls.length];
    if (!turn) throw new Error(`the script has ${this.turns.length} turns; call ${this.calls.length + 1} was not expected`);
    this.calls.push(messages);
    const message = turn(messages);
    return { generations: [{ text: typeof message.content === "string" ? message.content : "", message }] };
  }
}
