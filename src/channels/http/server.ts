import type { Server } from "node:http";
import { type ServerType, serve } from "@hono/node-server";
import type { SharedState } from "../../cluster/shared-state.js";
import type { Channel } from "../../core/channel.js";
import { openDocumentsService } from "../../core/open-documents.js";
import type { Runtime } from "../../core/runtime.js";
import { suggestionWriter } from "../../library/suggestions.js";
import { scheduleRetention } from "../../store/retention.js";
import type { Store } from "../../store/sqlite-store.js";
import { loadExampleQuestions } from "../examples.js";
import { openHandoffs } from "../open-handoffs.js";
import { wechatOfficialChannel } from "../wechat-official/index.js";
import { createHttpApp } from "./app.js";
import { renderJson } from "./routes/ask.js";
import { loadConsoleHtml } from "./routes/console.js";
import { loadLibraryHtml } from "./routes/library-page.js";

/** How long a closing server waits for requests in flight before it cuts every connection. */
export const SHUTDOWN_GRACE_MS = 10_000;

export interface RunningServer {
  server: ServerType;
  port: number;
  store: Store;
  /** Stops accepting, closes idle connections at once (Node's close does) and the rest (slow or stuck clients) after the grace period. */
  close(): Promise<void>;
}

export interface HttpServerOptions {
  shutdownGraceMs?: number;
  now?: () => number;
  /** Rate limits, WeChat conversations and resend memory shared with other instances (Redis); per instance without it. */
  shared?: SharedState;
}

/** The HTTP API and console as a `Channel` (core/channel.ts), with the running server once started. */
export interface HttpChannel extends Channel<ReturnType<typeof renderJson>> {
  readonly running: RunningServer | undefined;
}

/**
 * `start` listens on `port` (the 公众号 and 企业微信 callbacks on the same server), `stop` closes it and the
 * store, `render` gives the JSON the ask routes send. The stored names tell the console (web) from API callers (api).
 */
export function httpChannel(runtime: Runtime, port: number, store: Store, options: HttpServerOptions = {}): HttpChannel {
  let running: RunningServer | undefined;
  return {
    names: ["web", "api"],
    get running() {
      return running;
    },
    async start() {
      running ??= await startHttpServer(runtime, port, store, options);
    },
    async stop() {
      await running?.close();
      running = undefined;
    },
    render: renderJson,
  };
}

/** Starts the API and console on `port` (0 for any free port) over `store`, which the server closes. */
export async function startHttpServer(runtime: Runtime, port: number, store: Store, options: HttpServerOptions = {}): Promise<RunningServer> {
  const { config, logger, ask } = runtime;
  const { shutdownGraceMs = SHUTDOWN_GRACE_MS, now = Date.now } = options;
  const exampleQuestions = loadExampleQuestions();
  const documents = await openDocumentsService(runtime, store);
  const handoffs = openHandoffs({ runtime, store, now });
  const app = createHttpApp({
    ask: handoffs.offering(ask),
    intercepts: [handoffs.intercept],
    // Read per request: a publish swaps the knowledge base without a restart.
    knowledgeBase: () => runtime.knowledgeBase,
    documents,
    store,
    today: config.today,
    logger,
    consoleHtml: loadConsoleHtml(),
    exampleQuestions: () => exampleQuestions,
    apiToken: config.http.apiToken,
    adminToken: config.http.adminToken,
    corsOrigin: config.http.corsOrigin,
    trustProxy: config.http.trustProxy,
    rateLimitPerMinute: config.http.rateLimitPerMinute,
    shared: options.shared,
    modelStats: runtime.modelStats,
    now,
    library: runtime.library && {
      library: runtime.library,
      knowledgeBase: () => runtime.knowledgeBase,
      suggestions: suggestionWriter(config),
      pageHtml: loadLibraryHtml(),
    },
    handoffs,
  });
  const official = wechatOfficialChannel(app, { runtime, store, examples: exampleQuestions, now, shared: options.shared, handoffs });
  await official.start();
  const retention = scheduleRetention({ store, days: config.retentionDays, now, logger });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname: config.http.host }, (info) => {
      logger.info({ url: `http://localhost:${info.port}` }, "web console and API listening");
      const http = server as Server;
      http.on("clientError", (error: NodeJS.ErrnoException, socket) => {
        // Node answers an over-long request line or headers with a bare 431; say what to do instead.
        if (error.code !== "HPE_HEADER_OVERFLOW" || !socket.writable) return socket.destroy();
        const body = JSON.stringify({
          error: "request headers or URL too long: send a long question with POST /api/ask/stream (JSON body) instead of GET",
        });
        socket.end(
          `HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      });
      resolve({
        server,
        port: info.port,
        store,
        close: () =>
          new Promise<void>((done) => {
            retention.stop();
            void official.stop();
            void handoffs.stop();
            const force = setTimeout(() => http.closeAllConnections(), shutdownGraceMs);
            http.close(() => {
              clearTimeout(force);
              // The upload being read is given back first, so the next start (or another instance) reads it at once.
              documents
                .stop()
                .catch((error) => logger.warn({ err: error }, "could not give back the claim on an upload being read"))
                .then(() => store.close())
                .then(done, done);
            });
          }),
      });
    });
  });
}
