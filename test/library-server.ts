import { type RunningServer, startHttpServer } from "../src/channels/http/server.js";
import { loadConfig } from "../src/config.js";
import { createRuntime } from "../src/core/runtime.js";
import { QuestionLibrary } from "../src/library/question-library.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import { SEEDS_DIR, silentLogger, TODAY, temporaryDirectory } from "./helpers.js";

export interface LibraryServer {
  running: RunningServer;
  library: QuestionLibrary;
  base: string;
}

/** A real server on the seed as `npm start` wires it: store and question library opened first, on `databasePath`. */
export async function startWithLibrary(databasePath: string, indexDir: string, env: Record<string, string> = {}): Promise<LibraryServer> {
  const config = loadConfig({
    DOCUMENTS_DIR: temporaryDirectory(),
    SEEDS_DIR,
    INDEX_DIR: indexDir,
    DATABASE_PATH: databasePath,
    AS_OF_DATE: TODAY,
    HOST: "127.0.0.1",
    RATE_LIMIT_PER_MINUTE: "100000",
    ...env,
  });
  const store = openSqliteStore(config.databasePath);
  await store.ready;
  const library = await QuestionLibrary.open({ db: store.db, sqlite: store.sqlite });
  const runtime = await createRuntime(config, silentLogger, { library });
  const running = await startHttpServer(runtime, 0, store);
  return { running, library, base: `http://127.0.0.1:${running.port}` };
}
