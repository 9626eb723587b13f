import type { Logger } from "pino";
import { createErrorLog } from "./connection.js";

/** A stack that runs through these packages is theirs. */
const LIBRARY_FRAME = /node_modules[\\/](?:wechat4u|wechaty[\w-]*)[\\/]/;

export interface LibraryFaultOptions {
  logger: Logger;
  /** The process (tests pass an emitter of their own). */
  target?: NodeJS.EventEmitter;
  exit?: (code: number) => void;
}

/**
 * wechaty and wechat4u each install a process-wide 'uncaughtException'
 * handler that prints every uncaught error with console.log and keeps the
 * process alive, whatever threw: wechaty-puppet-wechat4u's own bugs (its
 * logout handler restarts a client it has already dropped) then fill the log
 * with stacks, and a bug of ours would be swallowed the same way.
 *
 * The process owner installs one handler instead, before the bot loads, and
 * removes the ones those packages add later: an error thrown inside them is
 * logged as one line (a run of the same error once) and the bot goes on, as
 * they intended; any other uncaught error is logged and ends the process, as
 * Node would.
 */
export function containLibraryFaults({ logger, target = process, exit = (code) => process.exit(code) }: LibraryFaultOptions): () => void {
  const logLibraryError = createErrorLog(logger);
  const handle = (error: unknown) => {
    const stack = error instanceof Error ? (error.stack ?? "") : "";
    if (LIBRARY_FRAME.test(stack)) return logLibraryError(error);
    logger.fatal({ err: error }, "uncaught error; stopping");
    exit(1);
  };
  const adopt = (event: string | symbol, listener: (...args: unknown[]) => void) => {
    // Called before the listener is added: take it off once it is on.
    if (event === "uncaughtException" && listener !== handle) queueMicrotask(() => target.off("uncaughtException", listener));
  };
  for (const listener of target.listeners("uncaughtException")) target.off("uncaughtException", listener as (...args: unknown[]) => void);
  target.on("uncaughtException", handle);
  target.on("newListener", adopt);
  return () => {
    target.off("newListener", adopt);
    target.off("uncaughtException", handle);
  };
}
