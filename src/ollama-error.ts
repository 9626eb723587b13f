import { APICallError } from "./errors.js";

/** What the ollama client throws for an error status: a plain Error named ResponseError (the class is not exported). */
interface OllamaResponseError extends Error {
  status_code: number;
}

function isResponseError(error: unknown): error is OllamaResponseError {
  return error instanceof Error && error.name === "ResponseError" && typeof (error as OllamaResponseError).status_code === "number";
}

/**
 * Translates what the ollama client (under @langchain/ollama) throws into the model path's errors, as
 * openai-error.ts does for the openai SDK, so the breaker and the retries judge both providers alike.
 * Everything the client throws comes from the endpoint: a status, a refused connection, a body that stopped
 * before its `done` line, an `error` line in the stream.
 */
export function toOllamaError(error: unknown): unknown {
  if (error instanceof APICallError) return error;
  if (isResponseError(error)) {
    return new APICallError(`Ollama answered ${error.status_code}: ${error.message}`, { statusCode: error.status_code, cause: error });
  }
  return new APICallError(`Ollama request failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/**
 * A fetch bound to one call's signal. The ollama client aborts only streams it is told to abort, and only
 * between chunks, so a stream that stalls would wait forever; with the deadline's signal on the request itself,
 * a stalled body is cut when the answer's time is up.
 */
export function fetchWithSignal(signal: AbortSignal | undefined): typeof fetch {
  if (!signal) return fetch;
  return (input, init) => fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
}
