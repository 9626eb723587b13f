import { createInterface } from "node:readline";
import { z } from "zod";
import { answerJson } from "../answer/answer-json.js";
import { citationLine } from "../answer/citations.js";
import type { Ask } from "../core/ask.js";
import { AppError } from "../errors.js";
import type { Answer, Turn } from "../types.js";

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

/** An interactive prompt that keeps the conversation, for `npm start` in a terminal. */
export async function runInteractive(ask: Ask, input = process.stdin, output = process.stdout): Promise<void> {
  const rl = createInterface({ input, output, prompt: "问> " });
  const history: Turn[] = [];
  output.write("惠企政策问答（输入问题回车；“重新开始”清空对话；Ctrl+D 退出）\n");
  rl.prompt();
  for await (const line of rl) {
    const question = line.trim();
    if (question === "重新开始") history.length = 0;
    else if (question) {
      try {
        const answer = await ask(question, history);
        history.push({ question, resolvedQuestion: answer.resolvedQuestion, answer: answer.text });
        output.write(`${renderForTerminal(answer)}\n\n`);
      } catch (error) {
        output.write(`${AppError.wrap(error).userMessage}\n`);
      }
    }
    rl.prompt();
  }
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
