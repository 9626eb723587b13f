import pino, { type DestinationStream } from "pino";
import pretty from "pino-pretty";

/**
 * Where logs go: stderr by default, so stdout stays the command's own output.
 * Readable lines when a person watches that stream in a terminal; JSON lines
 * when it is piped or collected, where a machine reads them.
 */
export function logDestination(stream: { isTTY?: boolean } = process.stderr, fd = 2): DestinationStream {
  if (!stream.isTTY) return pino.destination({ fd, sync: true });
  return pretty({ destination: fd, sync: true, colorize: false, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname" });
}
