import pino, { type Logger } from "pino";

/** JSON logs on stderr, so stdout stays clean for the command line's output. Secrets are redacted by path. */
export function createLogger(level = "info"): Logger {
  return pino(
    {
      level,
      redact: { paths: ["*.apiKey", "*.token", "*.authorization", "*.headers.authorization", "apiKey", "token"], censor: "[redacted]" },
    },
    pino.destination(2),
  );
}
