import OpenAI from "openai";
import { APICallError } from "./errors.js";

/** Translates what the openai SDK throws into the model path's errors; a caller's abort passes through. */
export function toModelError(error: unknown): unknown {
  if (error instanceof OpenAI.APIUserAbortError) return error;
  if (error instanceof OpenAI.APIError) {
    return new APICallError(`model endpoint answered ${error.status ?? "with an error"}: ${error.message}`, { statusCode: error.status, cause: error });
  }
  // The SDK's own failures (a body that is not JSON, a socket closed mid-body) are the endpoint's too.
  return new APICallError(`model request failed: ${(error as Error).message}`, { cause: error });
}
