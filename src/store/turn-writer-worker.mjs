// Starts the turn writer (turn-writer-worker.ts) in a worker thread (see src/worker-entry.mjs).
import { startWorkerModule } from "../worker-entry.mjs";

await startWorkerModule(new URL("./turn-writer-worker.ts", import.meta.url));
