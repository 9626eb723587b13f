import type { MiddlewareHandler } from "hono";
import type { Turns } from "./turns.js";

export { createTurns, type Turns, type TurnsOptions } from "./turns.js";

/**
 * For routes that answer questions: each request waits its turn (first come, first served) before the
 * route runs, so a crowd is answered a few milliseconds of work per turn of the event loop and the loop
 * keeps accepting connections (see turns.ts). Refusals from earlier middleware (401, 413, 415, 429) never wait.
 */
export function takeTurns(turns: Turns): MiddlewareHandler {
  return async (_c, next) => {
    await turns.take();
    await next();
  };
}
