import { describe, expect, it } from "vitest";
import { APICallError, CircuitOpenError, ModelTimeoutError, RetryError } from "../../errors.js";
import type { ChatModel, ChatRequest } from "./chat-model.js";
import { ResilientChatModel } from "./resilient.js";

/** A chat model that plays a script, one step per call, and records each call. */
class ScriptedChatModel implements ChatModel {
  readonly id = "scripted";
  readonly calls: ChatRequest[] = [];
  constructor(private readonly script: Array<(request: ChatRequest) => Promise<string>>) {}
  complete(request: ChatRequest): Promise<string> {
    this.calls.push(request);
    const step = this.script.shift();
    if (!step) throw new Error("the script has no more steps");
    return step(request);
  }
}

const fail = (status: number) => () => Promise.reject(new APICallError(`fake ${status}`, { statusCode: status }));
const answer = (text: string) => () => Promise.resolve(text);
const noSleep = () => Promise.resolve();
const messages = [{ role: "user" as const, content: "问" }];

describe("ResilientChatModel", () => {
  it("opens the breaker after three failures and lets one trial through once the cooldown has passed", async () => {
    let clock = 1_000;
    const inner = new ScriptedChatModel([fail(400), fail(400), fail(400), answer("好[1]。"), answer("又好[1]。")]);
    const model = new ResilientChatModel(inner, { timeoutMs: 1000, cooldownMs: 30_000, now: () => clock, sleep: noSleep });
    for (let i = 0; i < 3; i++) await expect(model.complete({ messages })).rejects.toBeInstanceOf(APICallError);
    await expect(model.complete({ messages })).rejects.toBeInstanceOf(CircuitOpenError);
    clock += 29_999;
    await expect(model.complete({ messages })).rejects.toBeInstanceOf(CircuitOpenError);
    expect(inner.calls).toHaveLength(3);

    clock += 1;
    expect(await model.complete({ messages })).toBe("好[1]。");
    // The trial's success closed the breaker: the next call goes through at once.
    expect(await model.complete({ messages })).toBe("又好[1]。");
    expect(model.open).toBe(false);
  });

  it("does not retry once text has streamed, even on a retryable error", async () => {
    const inner = new ScriptedChatModel([
      async (request) => {
        request.onToken?.("可以减免[1]。");
        throw new APICallError("fake 503 mid-stream", { statusCode: 503 });
      },
      answer("第二次[1]。"),
    ]);
    const model = new ResilientChatModel(inner, { timeoutMs: 1000, sleep: noSleep });
    const tokens: string[] = [];
    await expect(model.complete({ messages, onToken: (t) => tokens.push(t) })).rejects.toMatchObject({ statusCode: 503 });
    expect(inner.calls).toHaveLength(1);
    expect(tokens).toEqual(["可以减免[1]。"]);
  });

  it("keeps every attempt's error in a RetryError when the retries run out", async () => {
    const inner = new ScriptedChatModel([fail(429), fail(500), fail(503)]);
    const model = new ResilientChatModel(inner, { timeoutMs: 1000, retries: 2, sleep: noSleep });
    const error = await model.complete({ messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryError);
    const retry = error as RetryError;
    expect(retry.reason).toBe("maxRetriesExceeded");
    expect(retry.errors.map((e) => (e as APICallError).statusCode)).toEqual([429, 500, 503]);
    expect(retry.isRetryable).toBe(false);
  });

  it("stops retrying at a non-retryable error and says so", async () => {
    const inner = new ScriptedChatModel([fail(503), fail(401)]);
    const model = new ResilientChatModel(inner, { timeoutMs: 1000, sleep: noSleep });
    const error = (await model.complete({ messages }).catch((e: unknown) => e)) as RetryError;
    expect(error.reason).toBe("errorNotRetryable");
    expect(error.errors).toHaveLength(2);
  });

  it("lets a programming error through untouched, unretried and uncounted by the breaker", async () => {
    const bug = () => Promise.reject(new TypeError("cannot read properties of undefined"));
    const inner = new ScriptedChatModel([bug, bug, bug, answer("好[1]。")]);
    const model = new ResilientChatModel(inner, { timeoutMs: 1000, sleep: noSleep });
    for (let i = 0; i < 3; i++) await expect(model.complete({ messages })).rejects.toBeInstanceOf(TypeError);
    expect(inner.calls).toHaveLength(3);
    expect(await model.complete({ messages })).toBe("好[1]。");
  });

  it("turns a passed deadline into a timeout error", async () => {
    const inner = new ScriptedChatModel([
      ({ signal }) => new Promise((_, reject) => signal?.addEventListener("abort", () => reject(new APICallError("aborted")))),
    ]);
    const model = new ResilientChatModel(inner, { timeoutMs: 20 });
    await expect(model.complete({ messages })).rejects.toBeInstanceOf(ModelTimeoutError);
  });
});
