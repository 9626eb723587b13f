import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, MiddlewareHandler } from "hono";
import type { HttpEnv } from "../../env.js";

function socketAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    // app.request() in tests has no socket.
    return undefined;
  }
}

export function isLoopback(address: string | undefined): boolean {
  return !!address && (/^127\./.test(address) || address === "::1" || /^::ffff:127\./.test(address));
}

/**
 * Sets `client` and `local`. With `trustProxy`, the client is the last X-Forwarded-For hop, the one the
 * proxy itself added (earlier hops are whatever the caller sent). Without it, a forwarded request is
 * never `local`: a proxy on this machine would otherwise make every caller look like staff.
 */
export function clientAddress({ trustProxy = false }: { trustProxy?: boolean } = {}): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const socket = socketAddress(c);
    const forwardedFor = c.req.header("x-forwarded-for");
    const forwarded = forwardedFor !== undefined || c.req.header("forwarded") !== undefined;
    const lastHop = forwardedFor?.split(",").at(-1)?.trim();
    const client = trustProxy && lastHop ? lastHop : socket;
    c.set("client", client ?? "unknown");
    c.set("local", trustProxy ? isLoopback(client) : isLoopback(socket) && !forwarded);
    await next();
  };
}
