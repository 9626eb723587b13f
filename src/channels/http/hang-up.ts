import { ServerResponse } from "node:http";
import type { Context } from "hono";

/**
 * Aborts once the client hangs up before its response is sent, as `c.req.raw.signal` does.
 *
 * Under @hono/node-server, `c.req.raw` makes it build a full fetch Request (headers, a web stream over
 * the body, its own AbortController) for the one field asked for; on /api/ask that was 6% of the CPU
 * under load. Node's response says as much when it closes unfinished. Other runtimes and `app.request()`
 * have a real Request, whose signal is used.
 */
export function hangUpSignal(c: Context): AbortSignal {
  const outgoing = (c.env as { outgoing?: unknown } | undefined)?.outgoing;
  if (!(outgoing instanceof ServerResponse)) return c.req.raw.signal;
  const hungUp = new AbortController();
  outgoing.once("close", () => {
    if (!outgoing.writableFinished) hungUp.abort(new Error("the client closed the connection before its answer was sent"));
  });
  return hungUp.signal;
}
