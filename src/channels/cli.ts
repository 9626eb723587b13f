import { createInterface, type Interface } from "node:readline";
import { z } from "zod";
import { answerJson } from "../answer/answer-json.js";
import { citationLine } from "../answer/citations.js";
import { namedConversations } from "../conversation/conversations.js";
import type { Ask } from "../core/ask.js";
import type { Channel } from "../core/channel.js";
import { createDispatcher, type DispatchResult } from "../core/dispatch.js";
import { AppError } from "../errors.js";
import type { Store } from "../store/store.js";
import type { Answer, Turn } from "../types.js";
import { loadExampleQuestions } from "./examples.js";

const lineSchema = z.object({
  id: z.union([z.string(), z.number()]),
  question: z.string(),
  history: z.array(z.string()).optional(),
});

/** Reads question lines and writes one JSON line each; a bad line gets an error line and the batch goes on. */
export async function runJsonl(ask: Ask, input: NodeJS.ReadableStream, write: (line: string) => void): Promise<number> {
  let lineNumber = 0;
  let failures = 0;
  for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (!raw.trim()) continue;
    let id: string | number = `line-${lineNumber}`;
    try {
      const json = JSON.parse(raw) as unknown;
      if (json && typeof json === "object" && "id" in json) id = (json as { id: string | number }).id ?? id;
      const parsed = lineSchema.safeParse(json);
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join(".") || "line"}: ${i.message}`).join("; "));
      const history: Turn[] = (parsed.data.history ?? []).map((question) => ({ question }));
      write(JSON.stringify(answerJson(parsed.data.id, await ask(parsed.data.question, history))));
    } catch (error) {
      failures++;
      const message = error instanceof AppError ? error.userMessage : `line ${lineNumber}: ${(error as Error).message}`;
      write(JSON.stringify({ id, error: message, answer: "", refused: true, citations: [] }));
    }
  }
  return failures;
}

/** A readable answer for a terminal. */
export function renderForTerminal(answer: Answer): string {
  if (answer.refused) return answer.text;
  const clauses = answer.citations.map((c) => `${citationLine(c)}\n    ${c.text.replace(/\n/g, "\n    ")}`);
  return [answer.text, "", "—— 引用条款原文 ——", ...clauses].join("\n");
}

/** The terminal's conversation: kept in memory for the session, never stored. */
function sessionStore(): Pick<Store, "history" | "recordTurn"> {
  const turns = new Map<string, Turn[]>();
  return {
    history: async (conversationId) => turns.get(conversationId) ?? [],
    async recordTurn({ conversationId = "cli", question, answer }) {
      const turn = { question, resolvedQuestion: answer.resolvedQuestion, answer: answer.text };
      turns.set(conversationId, [...(turns.get(conversationId) ?? []), turn]);
      return { conversationId, answerId: "", stored: false };
    },
  };
}

/** A dispatch result as the terminal shows it: an answer with its clauses quoted, any other reply as its text. */
export function renderTerminal(result: DispatchResult): string | undefined {
  if (result.kind === "answer") return `${renderForTerminal(result.answer)}\n\n`;
  if (result.kind !== "silent") return `${result.text}\n`;
  return undefined;
}

export interface CliChannel extends Channel<string | undefined> {
  /** Settles when the input ends (Ctrl+D) or `stop` closes it. */
  readonly finished: Promise<void>;
}

/**
 * The terminal prompt as a `Channel` (core/channel.ts), through the same dispatcher as every channel: `start`
 * prints the banner and answers each line of `input` on `output`, `stop` closes the prompt.
 */
export function cliChannel({
  ask,
  input = process.stdin,
  output = process.stdout,
  examples = loadExampleQuestions(),
}: {
  ask: Ask;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  examples?: readonly string[];
}): CliChannel {
  let rl: Interface | undefined;
  let finished = Promise.resolve();
  return {
    names: ["cli"],
    get finished() {
      return finished;
    },
    async start() {
      if (rl) return;
      const prompt = createInterface({ input, output, prompt: "问> " });
      rl = prompt;
      const dispatch = createDispatcher({ ask, store: sessionStore(), conversations: namedConversations(), examples });
      output.write("惠企政策问答（输入问题回车；“帮助”看示例；“重新开始”清空对话；Ctrl+D 退出）\n");
      prompt.prompt();
      finished = (async () => {
        for await (const line of prompt) {
          if (line.trim()) {
            const shown = renderTerminal(await dispatch({ text: line }, { channel: "cli", userId: "terminal", conversationKey: "cli" }));
            if (shown !== undefined) output.write(shown);
          }
          prompt.prompt();
        }
      })();
    },
    async stop() {
      rl?.close();
      await finished;
    },
    render: renderTerminal,
  };
}

/** An interactive prompt that keeps the conversation, for `npm run chat` in a terminal, until the input ends. */
export async function runInteractive(ask: Ask, input = process.stdin, output = process.stdout, examples = loadExampleQuestions()): Promise<void> {
  const channel = cliChannel({ ask, input, output, examples });
  await channel.start();
  await channel.finished;
}

/**
 * A reader that stops early (`… | head -1`) closes the pipe: stop quietly
 * instead of dying on EPIPE with a stack; other write errors still surface.
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream, exit: (code: number) => void = process.exit): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") exit(0);
    else throw error;
  });
}
