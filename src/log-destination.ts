import pino, { type DestinationStream } from "pino";
import pretty from "pino-pretty";

/**
 * Where logs go: stderr always, so stdout stays the command's own output.
 * Readable lines when a person watches stderr in a terminal; JSON lines when
 * it is piped or collected, where a machine reads them.
 */
export function logDestination(stream: { isTTY?: boolean } = process.stderr): DestinationStream {
  if (!stream.isTTY) return pino.destination(2);
  return pretty({ destination: 2, sync: true, colorize: true, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname" });
}
