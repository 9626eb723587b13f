import { parentPort, workerData } from "node:worker_threads";
import { commitTurns } from "./commit-turns.js";
import { openDatabase } from "./connect.js";
import type { TurnWriterReply, TurnWriterRequest } from "./turn-writer-thread.js";

/*
 * The turn writer thread (turn-writer-thread.ts): its own connection to the store's SQLite file, opened as the
 * store opens it, commits each batch it is sent and replies with the outcome.
 */
const port = parentPort!;
const { db } = openDatabase({ dialect: "sqlite", path: (workerData as { path: string }).path });

async function handle(request: TurnWriterRequest): Promise<void> {
  if (request.kind === "close") {
    await db.destroy();
    port.close();
    return;
  }
  let reply: TurnWriterReply;
  try {
    await commitTurns(db, request.turns);
    reply = { id: request.id };
  } catch (error) {
    // Only the message and the code survive the crossing: a cloned error loses its own properties.
    const { message = String(error), code } = (error ?? {}) as { message?: string; code?: string };
    reply = { id: request.id, error: { message, code } };
  }
  port.postMessage(reply);
}

// One request at a time, in the order sent: a close must not destroy the connection under a commit still awaiting
// kysely, however kysely schedules its steps.
let previous: Promise<void> = Promise.resolve();
port.on("message", (request: TurnWriterRequest) => {
  previous = previous.then(() => handle(request));
});
