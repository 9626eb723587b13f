// The real turn writer thread, except that it ends (exit code 1) on being sent a batch holding the question "崩溃":
// its own listener runs after the real one has queued that batch and before the batch is committed.
import { parentPort } from "node:worker_threads";

await import("../turn-writer-worker.mjs");
parentPort.on("message", (request) => {
  if (request.kind === "commit" && request.turns.some((turn) => turn.question === "崩溃")) process.exit(1);
});
