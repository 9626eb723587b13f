import pino, { type DestinationStream, type Logger } from "pino";
import { maskPersonalData } from "./privacy/mask-personal-data.js";

/** JSON logs on stderr, so stdout stays clean for the command line's output. Secrets are redacted by path. */
export function createLogger(level = "info", destination: DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      redact: { paths: ["*.apiKey", "*.token", "*.authorization", "*.headers.authorization", "apiKey", "token"], censor: "[redacted]" },
      // Questions reach logs in messages, fields and error texts alike, so the whole line is masked.
      hooks: { streamWrite: maskPersonalData },
    },
    destination,
  );
}
