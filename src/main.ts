import { parseArgs } from "node:util";
import type { Logger } from "pino";
import { exitQuietlyOnClosedPipe, renderForTerminal, runInteractive, runJsonl } from "./channels/cli.js";
import { rebuildIndex } from "./channels/rebuild-index.js";
import { type Config, loadConfig } from "./config.js";
import { MAX_QUESTION_CHARS } from "./core/ask.js";
import { createRuntime, type Runtime } from "./core/runtime.js";
import { AppError } from "./errors.js";
import { logDestination } from "./log-destination.js";
import { createLogger } from "./logger.js";

const USAGE = `用法:
  npm run ask -- "问题"                      回答一个问题
  npm run --silent ask -- --jsonl < q.jsonl  批量回答（每行 {"id","question","history"?}）
  npm start                                   启动 HTTP API 与网页控制台
  npm run chat                                终端里的连续问答
  npm run slack                               启动 Slack 助手
  npm run wechat                              启动微信机器人
  npm run eval                                评测项目问题集
  npm run index                               重建索引
  npm run --silent mcp                        以 stdio 启动 MCP 服务（供 Claude Desktop、Dify 等智能体调用）
  加 --help 显示本说明`;

/** A command line the program cannot act on: usage on stderr, exit code 2. */
class UsageError extends Error {}

/** Each command's flags; anything else is a usage error, so a typo is not answered as a question. */
const FLAGS = {
  ask: { jsonl: { type: "boolean" } },
  eval: { answers: { type: "string" }, library: { type: "string" } },
} as const;

function parseCommandLine(command: string, rest: string[]) {
  const options = { help: { type: "boolean", short: "h" }, ...(FLAGS[command as keyof typeof FLAGS] ?? {}) } as const;
  try {
    const parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
    return { values: parsed.values as { help?: boolean; jsonl?: boolean; answers?: string }, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * The store (SQLite, or PostgreSQL with DATABASE_URL), the state shared with other instances (Redis with
 * REDIS_URL), the change feed that keeps every instance current, and the question library `ask` consults
 * (issue 12): opened once and migrated before anything answers. The channel closes the store; `close` the rest.
 */
async function openStoreAndLibrary(config: Config, logger: Logger) {
  const { openConfiguredStore } = await import("./store/open-configured-store.js");
  const { openSharedState } = await import("./cluster/shared-state.js");
  const { openChangeFeed } = await import("./cluster/change-feed.js");
  const { QuestionLibrary } = await import("./library/question-library.js");
  const store = await openConfiguredStore(config, logger);
  const shared = openSharedState({ redis: config.redis, logger });
  const changes = await openChangeFeed({
    db: store.db,
    redis: shared.redis,
    postgresUrl: config.database.url,
    checkIntervalMs: config.changeCheckIntervalMs,
    logger,
  });
  const library = await QuestionLibrary.open({
    db: store.db,
    sqlite: store.sqlite,
    logger,
    // On PostgreSQL the change feed tells the library of other instances' writes; its own poll is only the safety net.
    pollMs: config.changeCheckIntervalMs,
    // Publishing never fails a write: a lost notice is caught by the other instances' periodic check.
    onChange: (revision) =>
      void changes.publish("library", String(revision)).catch((error) => logger.warn({ err: error }, "could not publish a library change")),
  });
  changes.subscribe(({ kind }) => (kind === "library" ? library.reload() : undefined));
  const close = async () => {
    await changes.close();
    library.close();
    await shared.close();
  };
  return { store, library, shared, changes, close };
}

/**
 * The Slack and WeChat processes serve no document routes, but answer from the published documents too:
 * a publish or retirement on any instance rebuilds their knowledge base (the HTTP server does this itself).
 */
async function followDocuments(runtime: Runtime): Promise<void> {
  const { followPublished } = await import("./documents/follow-published.js");
  const { indexDir, documentsDir } = runtime.config;
  const follow = followPublished({ target: runtime, indexDir, documentsDir, logger: runtime.logger });
  runtime.changes?.subscribe(({ kind }) => (kind === "document" ? follow() : undefined));
}

/** Starts a long-running channel, then stops it cleanly on SIGINT or SIGTERM. */
async function serveUntilSignal(runtime: Runtime, start: (runtime: Runtime) => Promise<() => Promise<void>>): Promise<number> {
  const stop = await start(runtime);
  await new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
  });
  await stop();
  return 0;
}

async function main(argv: string[], config: Config): Promise<number> {
  const [command = "serve", ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { values, positionals } = parseCommandLine(command, rest);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command !== "ask" && command !== "eval" && positionals.length) throw new UsageError(`${command} takes no arguments: ${positionals.join(" ")}`);
  const logger = createLogger(config.logLevel, logDestination());
  switch (command) {
    case "ask": {
      const question = positionals.join(" ").trim();
      if (values.jsonl && question) throw new UsageError("--jsonl reads questions from standard input; give no question on the command line");
      if (!values.jsonl && !question) throw new UsageError("no question given");
      exitQuietlyOnClosedPipe(process.stdout);
      const runtime = await createRuntime(config, logger);
      if (values.jsonl) {
        await runJsonl(runtime.ask, process.stdin, (line) => process.stdout.write(`${line}\n`));
        return 0;
      }
      if (question.length > MAX_QUESTION_CHARS) process.stderr.write(`问题超过${MAX_QUESTION_CHARS}字。\n`);
      process.stdout.write(`${renderForTerminal(await runtime.ask(question))}\n`);
      return 0;
    }
    case "index": {
      const manifest = await rebuildIndex(config, logger);
      process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
      return 0;
    }
    case "eval": {
      const { runEval } = await import("./eval/run-eval.js");
      return runEval(config, rest);
    }
    case "serve": {
      const { store, library, shared, changes, close } = await openStoreAndLibrary(config, logger);
      return serveUntilSignal(await createRuntime(config, logger, { library, changes }), async (runtime) => {
        const { httpChannel } = await import("./channels/http/server.js");
        const channel = httpChannel(runtime, config.http.port, store, { shared });
        await channel.start();
        process.stderr.write(`惠企政策问答工作台：http://localhost:${channel.running?.port}\n`);
        return async () => {
          await channel.stop();
          await close();
        };
      });
    }
    case "slack": {
      const { store, library, shared, changes, close } = await openStoreAndLibrary(config, logger);
      return serveUntilSignal(await createRuntime(config, logger, { library, changes }), async (runtime) => {
        await followDocuments(runtime);
        const running = await (await import("./channels/slack/start.js")).startSlack(runtime, undefined, store, shared);
        return async () => {
          await running.stop();
          await close();
        };
      });
    }
    case "wechat": {
      // Before wechaty loads: it and wechat4u would install handlers that print and swallow every uncaught error.
      const { containLibraryFaults } = await import("./channels/wechat/library-faults.js");
      containLibraryFaults({ logger });
      const { store, library, shared, changes, close } = await openStoreAndLibrary(config, logger);
      return serveUntilSignal(await createRuntime(config, logger, { library, changes }), async (runtime) => {
        await followDocuments(runtime);
        const running = await (await import("./channels/wechat/start.js")).startWechat(runtime, { store, shared });
        return async () => {
          await running.stop();
          await store.close();
          await close();
        };
      });
    }
    case "mcp": {
      const { store, library, close } = await openStoreAndLibrary(config, logger);
      const runtime = await createRuntime(config, logger, { library });
      await (await import("./integrations/mcp/stdio.js")).serveMcpOverStdio(runtime);
      await store.close();
      await close();
      return 0;
    }
    case "chat": {
      const runtime = await createRuntime(config, logger);
      await runInteractive(runtime.ask);
      return 0;
    }
    default:
      throw new UsageError(`未知命令：${command}`);
  }
}

/**
 * The operator reads this: the full message (a path, a variable name) once;
 * the stack too when the error is not one of ours, or at LOG_LEVEL=debug.
 */
function reportFailure(error: unknown, debug: boolean): number {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  const known = error instanceof AppError && error.code !== "UNKNOWN";
  process.stderr.write(`${AppError.wrap(error).message}\n`);
  if (!known || debug) {
    const stack = error instanceof Error ? error.stack : undefined;
    if (stack) process.stderr.write(`${stack}\n`);
  }
  return 1;
}

let debug = false;
try {
  const config = loadConfig();
  debug = config.logLevel === "debug" || config.logLevel === "trace";
  process.exitCode = await main(process.argv.slice(2), config);
} catch (error) {
  process.exitCode = reportFailure(error, debug);
}
