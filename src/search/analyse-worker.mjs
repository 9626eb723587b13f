// Starts an analysis worker (analyse-worker.ts) in a worker thread (see src/worker-entry.mjs).
import { startWorkerModule } from "../worker-entry.mjs";

await startWorkerModule(new URL("./analyse-worker.ts", import.meta.url));
