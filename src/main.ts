import { renderForTerminal, runInteractive, runJsonl } from "./channels/cli.js";
import { type Config, loadConfig } from "./config.js";
import { MAX_QUESTION_CHARS } from "./core/ask.js";
import { createRuntime, type Runtime } from "./core/runtime.js";
import { AppError } from "./errors.js";

const USAGE = `用法:
  npm run ask -- "问题"                      回答一个问题
  npm run --silent ask -- --jsonl < q.jsonl  批量回答（每行 {"id","question","history"?}）
  npm start                                   启动 HTTP API 与网页控制台
  npm run chat                                终端里的连续问答
  npm run slack                               启动 Slack 助手
  npm run wechat                              启动微信机器人
  npm run eval                                评测项目问题集
  npm run index                               重建索引`;

/** Starts a long-running channel, then stops it cleanly on SIGINT or SIGTERM. */
async function serveUntilSignal(config: Config, start: (runtime: Runtime) => Promise<() => Promise<void>>): Promise<number> {
  const stop = await start(await createRuntime(config));
  await new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
  });
  await stop();
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command = "serve", ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case "ask": {
      const jsonl = rest.includes("--jsonl");
      const question = rest
        .filter((a) => a !== "--jsonl")
        .join(" ")
        .trim();
      if (!jsonl && !question) {
        process.stderr.write(`${USAGE}\n`);
        return 2;
      }
      const runtime = await createRuntime(config);
      if (jsonl) {
        await runJsonl(runtime.ask, process.stdin, (line) => process.stdout.write(`${line}\n`));
        return 0;
      }
      if (question.length > MAX_QUESTION_CHARS) process.stderr.write(`问题超过${MAX_QUESTION_CHARS}字。\n`);
      process.stdout.write(`${renderForTerminal(await runtime.ask(question))}\n`);
      return 0;
    }
    case "index": {
      const { rmSync } = await import("node:fs");
      rmSync(config.indexDir, { recursive: true, force: true });
      const runtime = await createRuntime(config);
      process.stdout.write(`${JSON.stringify(runtime.knowledgeBase.index.manifest, null, 2)}\n`);
      return 0;
    }
    case "eval": {
      const { runEval } = await import("./eval/run-eval.js");
      return runEval(config, rest);
    }
    case "serve":
      return serveUntilSignal(config, async (runtime) => {
        const { startHttpServer } = await import("./channels/http/server.js");
        const { openSqliteStore } = await import("./store/sqlite-store.js");
        const running = await startHttpServer(runtime, config.http.port, openSqliteStore(config.databasePath, runtime.logger));
        process.stderr.write(`惠企政策问答工作台：http://localhost:${running.port}\n`);
        return () => running.close();
      });
    case "slack":
      return serveUntilSignal(config, async (runtime) => (await (await import("./channels/slack/start.js")).startSlack(runtime)).stop);
    case "wechat":
      return serveUntilSignal(config, async (runtime) => (await (await import("./channels/wechat/start.js")).startWechat(runtime)).stop);
    case "chat": {
      const runtime = await createRuntime(config);
      await runInteractive(runtime.ask);
      return 0;
    }
    default:
      process.stderr.write(`未知命令：${command}\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    // The operator reads this, so the full message (a path, a variable name), not the user-facing one.
    process.stderr.write(`${AppError.wrap(error).message}\n`);
    process.exitCode = 1;
  },
);
