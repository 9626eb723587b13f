import type { Logger } from "pino";

export interface DraftUpdatesOptions {
  /** Replaces the placeholder's text with a draft. */
  sendDraft: (text: string) => Promise<unknown>;
  logger?: Logger;
}

/**
 * Draft updates to one Slack message, sent one at a time: a draft waiting
 * behind a slow one is replaced by the newest, and the final update is sent
 * only after every draft has been answered, so a late draft can never land
 * after (and over) the verified answer.
 */
export class DraftUpdates {
  private tail: Promise<void> = Promise.resolve();
  private waiting: string | undefined;
  private closed = false;

  constructor(private readonly options: DraftUpdatesOptions) {}

  draft(text: string): void {
    if (this.closed) return;
    const alreadyQueued = this.waiting !== undefined;
    this.waiting = text;
    if (alreadyQueued) return;
    this.tail = this.tail.then(() => this.sendWaiting());
  }

  /** Stops drafts and sends the final update once the drafts in flight are done. */
  async finish<T>(sendFinal: () => Promise<T>): Promise<T> {
    this.closed = true;
    this.waiting = undefined;
    await this.tail;
    return sendFinal();
  }

  private async sendWaiting(): Promise<void> {
    const text = this.waiting;
    this.waiting = undefined;
    if (text === undefined || this.closed) return;
    try {
      await this.options.sendDraft(text);
    } catch (error) {
      // A lost draft costs nothing: the final answer replaces it.
      this.options.logger?.warn({ err: error }, "slack draft update failed");
    }
  }
}
