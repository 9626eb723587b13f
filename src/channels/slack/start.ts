import type { App } from "@slack/bolt";
import { required } from "../../config.js";
import type { Runtime } from "../../core/runtime.js";
import { openSqliteStore, type Store } from "../../store/sqlite-store.js";
import { createSlackApp } from "./slack-app.js";

export interface RunningSlack {
  app: App;
  port?: number;
  stop(): Promise<void>;
}

/** `npm run slack`: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP on SLACK_PORT at /slack/events. */
export async function startSlack(
  runtime: Runtime,
  port = runtime.config.slack.port,
  store: Store = openSqliteStore(runtime.config.databasePath, runtime.logger),
): Promise<RunningSlack> {
  const { slack } = runtime.config;
  const app = createSlackApp({
    ask: runtime.ask,
    store,
    knowledgeBase: runtime.knowledgeBase,
    botToken: required(slack.botToken, "SLACK_BOT_TOKEN", "The Slack assistant"),
    signingSecret: required(slack.signingSecret, "SLACK_SIGNING_SECRET", "The Slack assistant"),
    appToken: slack.appToken,
    apiUrl: slack.apiUrl,
    logger: runtime.logger,
    streaming: runtime.config.answers === "llm",
  });
  const server = (await app.start(port)) as { address?: () => { port: number } | string | null } | undefined;
  const address = typeof server?.address === "function" ? server.address() : undefined;
  const actualPort = address && typeof address === "object" ? address.port : undefined;
  runtime.logger.info({ mode: slack.appToken ? "socket" : "http", port: actualPort }, "slack assistant started");
  return {
    app,
    port: actualPort,
    stop: async () => {
      await app.stop();
      store.close();
    },
  };
}
