/** Sends a text message to one user outside the callback (the answer came too late, or in several parts). */
export interface PlatformApi {
  sendText(user: string, text: string): Promise<void>;
}

/** The WeChat API refused a call (`errcode`), answered with an HTTP error (`status`), or could not be reached. Never holds a token or secret. */
export class WechatApiError extends Error {
  readonly errcode?: number;
  readonly status?: number;

  constructor(message: string, options: { errcode?: number; status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "WechatApiError";
    this.errcode = options.errcode;
    this.status = options.status;
  }
}

/** The token is invalid (40001, 40014) or has expired (42001): fetch a new one and try once more. */
const TOKEN_REJECTED = new Set([40001, 40014, 42001]);
/** Tokens live 7,200 s; one is renewed this long before it ends, so no call races its expiry. */
const RENEW_BEFORE_MS = 5 * 60_000;

export interface PlatformApiOptions {
  /** https://api.weixin.qq.com for a 公众号, https://qyapi.weixin.qq.com for 企业微信, or a gateway. */
  baseUrl: string;
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
}

type Json = { errcode?: number; errmsg?: string; access_token?: string; expires_in?: number; invaliduser?: string };

function client({ baseUrl, fetch: fetchImpl = fetch, timeoutMs = 10_000 }: PlatformApiOptions) {
  const base = baseUrl.replace(/\/+$/, "");
  /** `path` names the call in errors and logs; `query` (tokens, secrets) never leaves this function. */
  return async (path: string, query: Record<string, string>, body?: unknown): Promise<Json> => {
    const url = `${base}${path}?${new URLSearchParams(query)}`;
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method: body === undefined ? "GET" : "POST",
        headers: body === undefined ? undefined : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new WechatApiError(`${path}: unreachable (${(error as Error).message})`, { cause: error });
    }
    if (!response.ok) throw new WechatApiError(`${path}: HTTP ${response.status}`, { status: response.status });
    let json: Json;
    try {
      json = (await response.json()) as Json;
    } catch (error) {
      throw new WechatApiError(`${path}: not JSON`, { cause: error });
    }
    if (json.errcode) throw new WechatApiError(`${path}: ${json.errcode} ${json.errmsg ?? ""}`.trim(), { errcode: json.errcode });
    return json;
  };
}

/** One access token, fetched on first use, kept until shortly before it expires or until the API rejects it. */
function tokenCache(fetchToken: () => Promise<Json>, now: () => number) {
  let current: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;
  return {
    get(): Promise<string> {
      if (current && now() < current.renewAt) return Promise.resolve(current.token);
      pending ??= fetchToken()
        .then((json) => {
          if (!json.access_token) throw new WechatApiError("token: no access_token in the reply");
          current = { token: json.access_token, renewAt: now() + (json.expires_in ?? 7200) * 1000 - RENEW_BEFORE_MS };
          return json.access_token;
        })
        .finally(() => {
          pending = undefined;
        });
      return pending;
    },
    forget(token: string) {
      if (current?.token === token) current = undefined;
    },
  };
}

function withTokenRetry(tokens: ReturnType<typeof tokenCache>, call: (token: string) => Promise<Json>) {
  return async () => {
    const token = await tokens.get();
    try {
      return await call(token);
    } catch (error) {
      if (!(error instanceof WechatApiError && error.errcode !== undefined && TOKEN_REJECTED.has(error.errcode))) throw error;
      tokens.forget(token);
      return call(await tokens.get());
    }
  };
}

/** A 公众号's customer-service messages (客服消息), with its AppID and AppSecret. */
export function createOfficialAccountApi(options: PlatformApiOptions & { appId: string; appSecret: string }): PlatformApi {
  const call = client(options);
  const tokens = tokenCache(
    () => call("/cgi-bin/token", { grant_type: "client_credential", appid: options.appId, secret: options.appSecret }),
    options.now ?? Date.now,
  );
  return {
    async sendText(user, text) {
      const body = { touser: user, msgtype: "text", text: { content: text } };
      await withTokenRetry(tokens, (token) => call("/cgi-bin/message/custom/send", { access_token: token }, body))();
    },
  };
}

/** A 企业微信 application's messages (应用消息), with the CorpID, the application's Secret and AgentId. */
export function createWorkApi(options: PlatformApiOptions & { corpId: string; secret: string; agentId: number }): PlatformApi {
  const call = client(options);
  const tokens = tokenCache(() => call("/cgi-bin/gettoken", { corpid: options.corpId, corpsecret: options.secret }), options.now ?? Date.now);
  return {
    async sendText(user, text) {
      const body = { touser: user, msgtype: "text", agentid: options.agentId, text: { content: text } };
      const json = await withTokenRetry(tokens, (token) => call("/cgi-bin/message/send", { access_token: token }, body))();
      if (json.invaliduser) throw new WechatApiError(`/cgi-bin/message/send: not delivered to ${json.invaliduser}`);
    },
  };
}
