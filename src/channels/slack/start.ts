import type { App } from "@slack/bolt";
import type { SharedState } from "../../cluster/shared-state.js";
import { required } from "../../config.js";
import type { Runtime } from "../../core/runtime.js";
import { openConfiguredStore } from "../../store/open-configured-store.js";
import type { Store } from "../../store/sqlite-store.js";
import { loadExampleQuestions } from "../examples.js";
import { openHandoffs } from "../open-handoffs.js";
import { slackChannel } from "./slack-app.js";

export interface RunningSlack {
  app: App;
  port?: number;
  /** The address the HTTP receiver listens on. */
  host?: string;
  stop(): Promise<void>;
}

/** `npm run slack`: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP on SLACK_HOST:SLACK_PORT at /slack/events. */
export async function startSlack(runtime: Runtime, port = runtime.config.slack.port, given?: Store, shared?: SharedState): Promise<RunningSlack> {
  const store = given ?? (await openConfiguredStore(runtime.config, runtime.logger));
  const { slack } = runtime.config;
  const handoffs = openHandoffs({ runtime, store });
  const channel = slackChannel({
    ask: handoffs.offering(runtime.ask),
    intercepts: [handoffs.intercept],
    store,
    knowledgeBase: () => runtime.knowledgeBase,
    botToken: required(slack.botToken, "SLACK_BOT_TOKEN", "The Slack assistant"),
    signingSecret: required(slack.signingSecret, "SLACK_SIGNING_SECRET", "The Slack assistant"),
    appToken: slack.appToken,
    apiUrl: slack.apiUrl,
    logger: runtime.logger,
    streaming: runtime.config.answers === "llm",
    exampleQuestions: loadExampleQuestions(),
    library: runtime.library,
    staffUsers: slack.staffUsers,
    firstTime: shared?.once("slack-events", 60 * 60_000),
    handoffs: { service: handoffs.service, channel: runtime.config.handoff.slackChannel },
    listen: { port, host: slack.host },
  });
  await channel.start();
  const { port: actualPort, host } = channel.address;
  runtime.logger.info({ mode: slack.appToken ? "socket" : "http", host, port: actualPort }, "slack assistant started");
  return {
    app: channel.app,
    port: actualPort,
    host,
    stop: async () => {
      await channel.stop();
      await handoffs.stop();
      await store.close();
    },
  };
}
