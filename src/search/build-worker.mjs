// Starts the index build (build-worker.ts) in a worker thread (see src/worker-entry.mjs).
import { startWorkerModule } from "../worker-entry.mjs";

await startWorkerModule(new URL("./build-worker.ts", import.meta.url));
