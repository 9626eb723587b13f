import { resolve } from "node:path";
import { z } from "zod";
import { AppError } from "./errors.js";
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits, uploadLimits } from "./ingest/limits.js";

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));
/** A WeChat EncodingAESKey: 43 base64 characters (a 32-byte key without its trailing "="). */
const AES_KEY = /^[A-Za-z0-9+/]{43}$/;
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = z.object({
  SEEDS_DIR: z.string().default("seeds"),
  INDEX_DIR: z.string().default("embeddings"),
  DOCUMENTS_DIR: z.string().default("data/documents"),
  UPLOAD_MAX_PAGES: positiveInt(DEFAULT_UPLOAD_LIMITS.maxPages),
  OCR_ENGINE: z.enum(["paddle", "tesseract"]).default("paddle"),
  DATABASE_PATH: z.string().default("data/relief.sqlite"),
  PROMPTS_DIR: z.string().default("prompts"),
  DATABASE_URL: optionalText.refine((v) => !v || /^postgres(ql)?:\/\//.test(v), "must be a postgres:// URL"),
  DATABASE_POOL_MAX: positiveInt(10),
  DATABASE_TIMEOUT_MS: positiveInt(5_000),
  REDIS_URL: optionalText.refine((v) => !v || /^rediss?:\/\//.test(v), "must be a redis:// URL"),
  REDIS_KEY_PREFIX: z.string().default("relief:"),
  CHANGE_CHECK_INTERVAL_MS: positiveInt(30_000),
  AS_OF_DATE: optionalText.refine((v) => !v || /^\d{4}-\d{2}-\d{2}$/.test(v), "must be YYYY-MM-DD"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  EMBEDDINGS: z.enum(["local", "openai", "ollama"]).optional(),
  EMBEDDINGS_PROVIDER: z.enum(["local", "openai", "ollama"]).optional(),
  EMBEDDING_MODEL: optionalText,
  ANSWERS: z.enum(["llm", "extractive"]).optional(),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalText.refine((v) => !v || /^https?:\/\//.test(v), "must be an http(s) URL"),
  LLM_PROVIDER: z.enum(["openai", "ollama"]).default("openai"),
  OLLAMA_BASE_URL: optionalText.refine((v) => !v || /^https?:\/\//.test(v), "must be an http(s) URL"),
  CHAT_MODEL: optionalText,
  LLM_TIMEOUT_MS: positiveInt(20_000),

  PORT: positiveInt(3000),
  HOST: z.string().default("0.0.0.0"),
  API_TOKEN: optionalText,
  CORS_ORIGIN: optionalText,
  RATE_LIMIT_PER_MINUTE: positiveInt(120),
  ANSWER_CACHE_SIZE: z.coerce.number().int().min(0).default(5000),
  ADMIN_TOKEN: optionalText.superRefine((value, context) => {
    try {
      // The example file's placeholder is public: a deployment that kept it has a staff token anyone can read.
      if (parseStaffTokens(value).some((t) => t.token === "change-me"))
        throw new Error("still the example's change-me; set your own token (openssl rand -hex 24)");
    } catch (error) {
      context.addIssue({ code: "custom", message: (error as Error).message });
    }
  }),
  RETENTION_DAYS: positiveInt(180),
  TRUST_PROXY: z.enum(["true", "false", "1", "0", ""]).default("false"),

  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_PORT: positiveInt(3001),
  SLACK_HOST: z.string().default("0.0.0.0"),
  SLACK_API_URL: optionalText,
  SLACK_STAFF_USERS: optionalText,

  WECHATY_PUPPET: z.string().default("wechaty-puppet-wechat4u"),
  WECHATY_PUPPET_SERVICE_TOKEN: optionalText,
  WECHAT_ROOMS: optionalText,
  WECHAT_TRIGGER: optionalText,

  WECHAT_MP_TOKEN: optionalText,
  WECHAT_MP_APP_ID: optionalText,
  WECHAT_MP_APP_SECRET: optionalText,
  WECHAT_MP_AES_KEY: optionalText.refine((v) => !v || AES_KEY.test(v), "must be the 43-character EncodingAESKey"),
  WECHAT_API_URL: optionalText.refine((v) => !v || /^https?:\/\//.test(v), "must be an http(s) URL"),
  WECOM_CORP_ID: optionalText,
  WECOM_AGENT_ID: optionalText.refine((v) => !v || /^\d+$/.test(v), "must be the application's numeric AgentId"),
  WECOM_SECRET: optionalText,
  WECOM_TOKEN: optionalText,
  WECOM_AES_KEY: optionalText.refine((v) => !v || AES_KEY.test(v), "must be the 43-character EncodingAESKey"),
  WECOM_API_URL: optionalText.refine((v) => !v || /^https?:\/\//.test(v), "must be an http(s) URL"),

  HANDOFF_HOURS: optionalText,
  SLACK_HANDOFF_CHANNEL: optionalText,
  HANDOFF_WEBHOOK_URL: optionalText.refine((v) => !v || /^https?:\/\//.test(v), "must be an http(s) URL"),
  HANDOFF_WEBHOOK_SECRET: optionalText,
  PUBLIC_BASE_URL: optionalText.refine((v) => !v || /^https?:\/\//.test(v), "must be an http(s) URL"),
  WECHAT_MP_CUSTOMER_SERVICE: z.enum(["true", "false", "1", "0", ""]).default("true"),
});

export interface Config {
  seedsDir: string;
  indexDir: string;
  /** Staff uploads: the original files and the published set, from which the index can always be rebuilt. */
  documentsDir: string;
  /** What one uploaded file may ask of the server: pages (UPLOAD_MAX_PAGES), the OCR engine tried first (OCR_ENGINE), page size, bytes per format, unpacked size, read time. */
  uploads: UploadLimits;
  databasePath: string;
  /** PostgreSQL shared by every instance (DATABASE_URL); without it, the SQLite file at databasePath. */
  database: { url?: string; poolMax: number; timeoutMs: number };
  /** Redis for state shared across instances: rate limits, Slack de-duplication, WeChat conversations, change notices. */
  redis?: { url: string; keyPrefix: string };
  /** How often each instance checks the change versions, in case a notice was missed. */
  changeCheckIntervalMs: number;
  promptsDir: string;
  /** Today's date for validity, or the AS_OF_DATE override. */
  today: () => string;
  logLevel: string;
  embeddings: "local" | "openai" | "ollama";
  embeddingModel: string;
  answers: "llm" | "extractive";
  /** Extractive answers to questions asked outside a conversation, remembered until the documents, library or date change; 0 for none. */
  answerCacheSize: number;
  openai: { apiKey?: string; baseURL?: string; chatModel: string; timeoutMs: number };
  /** Who writes answers with ANSWERS=llm (LLM_PROVIDER); the model is CHAT_MODEL either way. */
  llmProvider: "openai" | "ollama";
  /** The Ollama server for LLM_PROVIDER=ollama and EMBEDDINGS_PROVIDER=ollama. */
  ollama: { baseURL: string };
  http: {
    port: number;
    host: string;
    apiToken?: string;
    /** Staff token(s) for staff views and edits, "token" or "name:token,…" (see parseStaffTokens); without it those are open only to loopback clients. */
    adminToken?: string;
    corsOrigin?: string;
    rateLimitPerMinute: number;
    /** Take the client address from X-Forwarded-For (set only behind a reverse proxy that sets it). */
    trustProxy: boolean;
  };
  /** Turns older than this many days are deleted daily. */
  retentionDays: number;
  /** `staffUsers`: the Slack user ids (SLACK_STAFF_USERS) allowed to edit the question library from 需改进; nobody without it. */
  slack: { botToken?: string; signingSecret?: string; appToken?: string; port: number; host: string; apiUrl?: string; staffUsers: string[] };
  wechat: { puppet: string; puppetToken?: string; rooms: string[]; trigger?: string };
  /** The 公众号 callback at /wechat/mp, when WECHAT_MP_TOKEN, WECHAT_MP_APP_ID and WECHAT_MP_APP_SECRET are set. */
  wechatMp?: { token: string; appId: string; appSecret: string; aesKey?: string; apiUrl: string };
  /** The 企业微信 application callback at /wechat/work, when all five WECOM_* settings are set. */
  wecom?: { corpId: string; agentId: number; secret: string; token: string; aesKey: string; apiUrl: string };
  /** 转人工: staff hours told to users, the Slack channel staff work in, the signed webhook to a 12345 system. */
  handoff: { hours?: string; slackChannel?: string; webhook?: { url: string; secret: string } };
  /** The address users reach this server at, for links in replies (/a/:id); without it, no link is sent. */
  publicBaseUrl?: string;
  /** False on an unverified 订阅号, which has no customer-service API: every answer goes in the passive reply. */
  customerServiceApi: boolean;
}

/** A staff token and the name the audit log records for whoever uses it. */
export interface StaffToken {
  name: string;
  token: string;
}

/**
 * ADMIN_TOKEN: one token (its user is recorded as "admin"), or named tokens
 * `zhang:tok1,li:tok2` so the audit log says who changed what. A token with no
 * colon is a single unnamed token.
 */
export function parseStaffTokens(setting: string | undefined): StaffToken[] {
  if (!setting) return [];
  if (!setting.includes(":")) return [{ name: "admin", token: setting }];
  const tokens = setting.split(/[,，]/).map((pair) => {
    const at = pair.indexOf(":");
    const name = pair.slice(0, at).trim();
    const token = pair.slice(at + 1).trim();
    if (at < 0 || !name || !token) throw new Error(`each named token must be name:token (got "${pair.trim().split(":")[0]}:…")`);
    if (!/^[\p{L}\p{N}_.-]{1,40}$/u.test(name)) throw new Error(`token name "${name}" must be letters, digits, _ . or -`);
    return { name, token };
  });
  if (new Set(tokens.map((t) => t.name)).size !== tokens.length) throw new Error("two tokens have the same name");
  if (new Set(tokens.map((t) => t.token)).size !== tokens.length) throw new Error("two names share one token");
  return tokens;
}

const isLocalUrl = (url?: string) => !!url && /^https?:\/\/(localhost|127\.|\[::1\]|0\.0\.0\.0)/.test(url);

/** Reads and checks the whole environment once; every other module takes a Config. */
export function loadConfig(env: Record<string, string | undefined> = process.env, root = process.cwd()): Config {
  // A variable set empty counts as unset: compose files and CI templates write NAME= for "not set", and an empty
  // CHAT_MODEL must fall back to its provider's default, not name a model "".
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== "")));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new AppError("CONFIG_INVALID", `Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const { embeddings, llmProvider, chatModel, embeddingModel } = modelProviders(e);
  const modelConfigured = !!(e.OPENAI_API_KEY || e.OPENAI_BASE_URL) || llmProvider === "ollama";
  const answers = e.ANSWERS ?? (modelConfigured ? "llm" : "extractive");
  const needsModel = (answers === "llm" && llmProvider === "openai") || embeddings === "openai";
  if (needsModel && !e.OPENAI_API_KEY && !isLocalUrl(e.OPENAI_BASE_URL)) {
    const why = embeddings === "openai" ? "EMBEDDINGS=openai" : "ANSWERS=llm";
    throw new AppError("CONFIG_MISSING", `${why} needs OPENAI_API_KEY (or an OPENAI_BASE_URL on this machine that needs no key). Set OPENAI_API_KEY.`);
  }
  const trustProxy = e.TRUST_PROXY === "true" || e.TRUST_PROXY === "1";
  // Without a staff token, staff are the clients on this machine; behind a trusted proxy anyone can claim to be one.
  if (trustProxy && !e.ADMIN_TOKEN) {
    throw new AppError(
      "CONFIG_INVALID",
      "TRUST_PROXY 已开启但未设置 ADMIN_TOKEN：任何人都可以在 X-Forwarded-For 中填写 127.0.0.1 冒充本机工作人员。请设置 ADMIN_TOKEN，或关闭 TRUST_PROXY。",
    );
  }
  const asOf = e.AS_OF_DATE;
  return {
    seedsDir: resolve(root, e.SEEDS_DIR),
    indexDir: resolve(root, e.INDEX_DIR),
    documentsDir: resolve(root, e.DOCUMENTS_DIR),
    uploads: uploadLimits({ maxPages: e.UPLOAD_MAX_PAGES, ocrEngine: e.OCR_ENGINE }),
    databasePath: e.DATABASE_PATH === ":memory:" ? ":memory:" : resolve(root, e.DATABASE_PATH),
    database: { url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX, timeoutMs: e.DATABASE_TIMEOUT_MS },
    redis: e.REDIS_URL ? { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX } : undefined,
    changeCheckIntervalMs: e.CHANGE_CHECK_INTERVAL_MS,
    promptsDir: resolve(root, e.PROMPTS_DIR),
    today: () => asOf ?? new Date().toISOString().slice(0, 10),
    logLevel: e.LOG_LEVEL,
    embeddings,
    embeddingModel,
    answers,
    answerCacheSize: e.ANSWER_CACHE_SIZE,
    openai: { apiKey: e.OPENAI_API_KEY, baseURL: e.OPENAI_BASE_URL, chatModel, timeoutMs: e.LLM_TIMEOUT_MS },
    llmProvider,
    ollama: { baseURL: e.OLLAMA_BASE_URL ?? DEFAULT_OLLAMA_URL },
    http: {
      port: e.PORT,
      host: e.HOST,
      apiToken: e.API_TOKEN,
      adminToken: e.ADMIN_TOKEN,
      corsOrigin: e.CORS_ORIGIN,
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
      trustProxy,
    },
    retentionDays: e.RETENTION_DAYS,
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      port: e.SLACK_PORT,
      host: e.SLACK_HOST,
      apiUrl: e.SLACK_API_URL,
      staffUsers: listSetting(e.SLACK_STAFF_USERS),
    },
    wechat: {
      puppet: e.WECHATY_PUPPET,
      puppetToken: e.WECHATY_PUPPET_SERVICE_TOKEN,
      rooms: listSetting(e.WECHAT_ROOMS),
      trigger: e.WECHAT_TRIGGER,
    },
    ...officialWechatChannels(e),
    handoff: {
      hours: e.HANDOFF_HOURS,
      slackChannel: e.SLACK_HANDOFF_CHANNEL,
      webhook: e.HANDOFF_WEBHOOK_URL
        ? { url: e.HANDOFF_WEBHOOK_URL, secret: required(e.HANDOFF_WEBHOOK_SECRET, "HANDOFF_WEBHOOK_SECRET", "The hand-off webhook (HANDOFF_WEBHOOK_URL)") }
        : undefined,
    },
    publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/+$/, ""),
    customerServiceApi: e.WECHAT_MP_CUSTOMER_SERVICE !== "false" && e.WECHAT_MP_CUSTOMER_SERVICE !== "0",
  };
}

const DEFAULT_OLLAMA_URL = "http://127.0.0.1:11434";

/**
 * Which provider answers and which embeds, and the model names, whose defaults depend on the provider: a
 * gpt-4o-mini default means nothing to an Ollama server. EMBEDDINGS_PROVIDER is the newer name of EMBEDDINGS;
 * both are read so existing deployments keep working, and two that disagree stop the start.
 */
function modelProviders(e: z.output<typeof schema>) {
  if (e.EMBEDDINGS && e.EMBEDDINGS_PROVIDER && e.EMBEDDINGS !== e.EMBEDDINGS_PROVIDER)
    throw new AppError("CONFIG_INVALID", `EMBEDDINGS=${e.EMBEDDINGS} and EMBEDDINGS_PROVIDER=${e.EMBEDDINGS_PROVIDER} disagree; set only EMBEDDINGS_PROVIDER.`);
  const embeddings = e.EMBEDDINGS_PROVIDER ?? e.EMBEDDINGS ?? "local";
  const llmProvider = e.LLM_PROVIDER;
  return {
    embeddings,
    llmProvider,
    chatModel: e.CHAT_MODEL ?? (llmProvider === "ollama" ? "qwen2.5:7b" : "gpt-4o-mini"),
    embeddingModel: e.EMBEDDING_MODEL ?? (embeddings === "ollama" ? "bge-m3" : "text-embedding-3-small"),
  };
}

/** A comma list (either comma), blanks dropped. */
function listSetting(value: string | undefined): string[] {
  return value
    ? value
        .split(/[,，]/)
        .map((item) => item.trim())
        .filter(Boolean)
    : [];
}

/** Each official WeChat channel is on when its settings are all set; a partial set names what is missing. */
function officialWechatChannels(e: z.output<typeof schema>): Pick<Config, "wechatMp" | "wecom"> {
  const complete = (settings: Record<string, string | undefined>, purpose: string) => {
    const missing = Object.keys(settings).filter((name) => !settings[name]);
    if (missing.length === Object.keys(settings).length) return false;
    if (missing.length) throw new AppError("CONFIG_MISSING", `${purpose} needs ${missing.join(", ")}. Set them in the environment, or unset the others.`);
    return true;
  };
  const mp = complete(
    { WECHAT_MP_TOKEN: e.WECHAT_MP_TOKEN, WECHAT_MP_APP_ID: e.WECHAT_MP_APP_ID, WECHAT_MP_APP_SECRET: e.WECHAT_MP_APP_SECRET },
    "The 公众号 channel",
  );
  const work = complete(
    {
      WECOM_CORP_ID: e.WECOM_CORP_ID,
      WECOM_AGENT_ID: e.WECOM_AGENT_ID,
      WECOM_SECRET: e.WECOM_SECRET,
      WECOM_TOKEN: e.WECOM_TOKEN,
      WECOM_AES_KEY: e.WECOM_AES_KEY,
    },
    "The 企业微信 channel",
  );
  return {
    wechatMp: mp
      ? {
          token: e.WECHAT_MP_TOKEN!,
          appId: e.WECHAT_MP_APP_ID!,
          appSecret: e.WECHAT_MP_APP_SECRET!,
          aesKey: e.WECHAT_MP_AES_KEY,
          apiUrl: e.WECHAT_API_URL ?? "https://api.weixin.qq.com",
        }
      : undefined,
    wecom: work
      ? {
          corpId: e.WECOM_CORP_ID!,
          agentId: Number(e.WECOM_AGENT_ID),
          secret: e.WECOM_SECRET!,
          token: e.WECOM_TOKEN!,
          aesKey: e.WECOM_AES_KEY!,
          apiUrl: e.WECOM_API_URL ?? "https://qyapi.weixin.qq.com",
        }
      : undefined,
  };
}

/** A channel's required setting, with an error that names the variable. */
export function required<T>(value: T | undefined, variable: string, purpose: string): T {
  if (value === undefined || value === "") {
    throw new AppError("CONFIG_MISSING", `${purpose} needs ${variable}. Set ${variable} in the environment.`);
  }
  return value;
}
