// Starts the upload reader (read-worker.ts) in a worker thread (see src/worker-entry.mjs).
import { startWorkerModule } from "../worker-entry.mjs";

await startWorkerModule(new URL("./read-worker.ts", import.meta.url));
