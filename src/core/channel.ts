import type { Channel as ChannelName } from "../store/store.js";
import type { DispatchResult } from "./dispatch-types.js";

/**
 * A platform the bot answers on. It only translates: a platform message into `dispatch` (core/dispatch.ts),
 * and the result back with `render`, in what the platform shows (Block Kit, text messages, JSON).
 */
export interface Channel<Rendered> {
  /** The stored channel name, or names when one adapter serves several (web and api). */
  readonly names: readonly ChannelName[];
  /** Connects to the platform (listens, logs in, registers routes) and starts answering. */
  start(): Promise<void>;
  /** Stops answering and lets go of what `start` took. */
  stop(): Promise<void>;
  /** What to send for one dispatch result, from its parts; nothing for `silent` (HTTP, which must answer, sends an empty reply). */
  render(result: DispatchResult): Rendered;
}
