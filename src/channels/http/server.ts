import { type ServerType, serve } from "@hono/node-server";
import type { Runtime } from "../../core/runtime.js";
import { openSqliteStore, type Store } from "../../store/sqlite-store.js";
import { createHttpApp } from "./app.js";

export interface RunningServer {
  server: ServerType;
  port: number;
  store: Store;
  close(): Promise<void>;
}

/** Starts the API and console on `port` (0 for any free port). */
export async function startHttpServer(
  runtime: Runtime,
  port = runtime.config.http.port,
  store = openSqliteStore(runtime.config.databasePath, runtime.logger),
): Promise<RunningServer> {
  const { config, logger, knowledgeBase, ask } = runtime;
  const app = createHttpApp({
    ask,
    knowledgeBase,
    store,
    today: config.today,
    logger,
    apiToken: config.http.apiToken,
    corsOrigin: config.http.corsOrigin,
    rateLimitPerMinute: config.http.rateLimitPerMinute,
    modelStats: runtime.modelStats,
  });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname: config.http.host }, (info) => {
      logger.info({ url: `http://localhost:${info.port}` }, "web console and API listening");
      resolve({
        server,
        port: info.port,
        store,
        close: () =>
          new Promise<void>((done) =>
            server.close(() => {
              store.close();
              done();
            }),
          ),
      });
    });
  });
}
