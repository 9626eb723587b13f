import { type App, webApi } from "@slack/bolt";
import type { Logger } from "pino";
import type { Handoff } from "../../handoff/handoff.js";
import type { HandoffListener, HandoffService } from "../../handoff/handoff-service.js";
import { splitAtBoundaries } from "../split-text.js";
import { escapeMrkdwn } from "./render.js";

type Client = InstanceType<typeof webApi.WebClient>;

const CHANNEL_NAMES: Record<string, string> = {
  web: "网页",
  api: "接口",
  slack: "Slack",
  wechaty: "微信",
  "wechat-mp": "公众号",
  wecom: "企业微信",
  cli: "命令行",
};
const STATUS: Record<string, string> = { open: "待接单", claimed: "已接单", answered: "已回复", closed: "已关闭" };
const SECTION_CHARS = 2900;

/** The hand-off as Block Kit: who asked where, the conversation, and 接单 / 关闭 while they still apply. */
export function handoffBlocks(handoff: Handoff) {
  const head = `*转人工* · ${CHANNEL_NAMES[handoff.channel] ?? handoff.channel} · ${STATUS[handoff.status]}${handoff.claimedBy ? ` · 处理人 ${escapeMrkdwn(handoff.claimedBy)}` : ""}${handoff.category ? ` · ${escapeMrkdwn(handoff.category)}` : ""}`;
  const conversation = handoff.transcript.map((turn) => `问：${turn.question}${turn.answer ? `\n答：${turn.answer}` : ""}`).join("\n\n");
  const blocks: object[] = [
    { type: "section", text: { type: "mrkdwn", text: head } },
    { type: "section", text: { type: "mrkdwn", text: `*问题*：${escapeMrkdwn(handoff.question)}` } },
  ];
  for (const part of conversation ? splitAtBoundaries(escapeMrkdwn(conversation), SECTION_CHARS).slice(0, 3) : [])
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: part }] });
  const buttons = [
    ...(handoff.status === "open"
      ? [{ type: "button", action_id: "handoff_claim", text: { type: "plain_text", text: "接单" }, style: "primary", value: handoff.id }]
      : []),
    ...(handoff.status !== "closed" ? [{ type: "button", action_id: "handoff_close", text: { type: "plain_text", text: "关闭" }, value: handoff.id }] : []),
  ];
  if (buttons.length) blocks.push({ type: "actions", elements: buttons });
  if (handoff.status !== "closed")
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: "在本消息的回复串里回复即为答复用户（以「人工回复」原样发送）。" }] });
  return { text: `转人工：${handoff.question}`, blocks };
}

const DELIVERY: Record<string, string> = { delivered: "已送达用户。", pending: "已保存，等待用户所在渠道的实例发送。" };

/**
 * Posts each new hand-off in SLACK_HANDOFF_CHANNEL and keeps the message current; a reply made elsewhere
 * (the console) is copied into its thread, and whether it reached the user is said there.
 */
export function slackHandoffListener({ client, channel, service }: { client: Client; channel: string; service: HandoffService }): HandoffListener {
  return {
    async created(handoff) {
      const posted = await client.chat.postMessage({ channel, ...handoffBlocks(handoff) } as never);
      if (posted.ts) await service.store.setSlackMessage(handoff.id, String(posted.channel ?? channel), posted.ts);
    },
    async changed(handoff, event, { actor, message, outcome }) {
      const current = await service.store.get(handoff.id);
      if (!current?.slack) return;
      await client.chat.update({ channel: current.slack.channel, ts: current.slack.ts, ...handoffBlocks(current) } as never);
      if (event !== "reply" || !outcome) return;
      const status = outcome.delivery === "undeliverable" ? `无法送达：${outcome.reason}` : DELIVERY[outcome.delivery];
      const copied = actor.startsWith("slack:") ? "" : `${escapeMrkdwn(actor)} 在工作台回复：${escapeMrkdwn(message?.text ?? "")}\n`;
      await client.chat.postMessage({ channel: current.slack.channel, thread_ts: current.slack.ts, text: `${copied}${status}` });
    },
  };
}

/** A Slack user's hand-off is answered where they asked: the thread of their direct message (`channel:thread`). */
export function slackDeliverer(client: Client) {
  return async (handoff: Handoff, text: string) => {
    const [channel, thread] = (handoff.replyAddress.address ?? handoff.replyAddress.userId ?? "").split(":");
    if (!channel) return { ok: false as const, reason: "没有可回复的 Slack 会话", permanent: true };
    await client.chat.postMessage({ channel, text, ...(thread ? { thread_ts: thread } : {}) });
    return { ok: true as const };
  };
}

export interface SlackHandoffOptions {
  service: HandoffService;
  /** SLACK_HANDOFF_CHANNEL: the channel id staff work in. */
  channel: string;
  logger?: Logger;
}

/** 接单 / 关闭 on the hand-off message, and a reply in its thread as the answer. */
export function registerSlackHandoff(app: App, { service, channel, logger }: SlackHandoffOptions): void {
  const actor = (user: { id: string; name?: string; username?: string }) => `slack:${user.username ?? user.name ?? user.id}`;
  app.action("handoff_claim", async ({ ack, action, body, client }) => {
    await ack();
    const id = "value" in action ? String(action.value) : "";
    const outcome = await service.claim(id, actor(body.user));
    if (!outcome.ok && body.channel?.id)
      await client.chat.postEphemeral({
        channel: body.channel.id,
        user: body.user.id,
        text: outcome.reason === "taken" ? `这条已由 ${outcome.handoff?.claimedBy ?? "他人"} 处理。` : "没有找到这条转人工请求。",
      });
  });
  app.action("handoff_close", async ({ ack, action, body }) => {
    await ack();
    await service.close("value" in action ? String(action.value) : "", actor(body.user));
  });
  app.event("message", async ({ event, client }) => {
    const message = event as { channel?: string; thread_ts?: string; ts?: string; text?: string; user?: string; bot_id?: string; subtype?: string };
    if (message.channel !== channel || !message.thread_ts || message.thread_ts === message.ts || message.subtype || message.bot_id || !message.text?.trim())
      return;
    const handoff = await service.store.bySlackMessage(channel, message.thread_ts);
    if (!handoff) return;
    try {
      const info = message.user ? await client.users.info({ user: message.user }).catch(() => undefined) : undefined;
      const name = info?.user?.name ?? message.user ?? "unknown";
      const outcome = await service.reply(handoff.id, message.text.trim(), `slack:${name}`);
      if (!outcome.ok) await client.chat.postMessage({ channel, thread_ts: message.thread_ts, text: "这条转人工请求已关闭，回复没有发送。" });
    } catch (error) {
      logger?.error({ err: error, handoff: handoff.id }, "slack hand-off reply failed");
      await client.chat.postMessage({ channel, thread_ts: message.thread_ts, text: "回复没有发送成功，请稍后再试，或在工作台 /staff/handoffs 回复。" });
    }
  });
}

/** A Web API client for a process without the Bolt app (the HTTP server posting new hand-offs). */
export function slackClient(botToken: string, apiUrl?: string): Client {
  return new webApi.WebClient(botToken, apiUrl ? { slackApiUrl: apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/` } : {});
}
