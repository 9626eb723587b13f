import { type ChildProcess, spawn } from "node:child_process";

export interface RunChildOptions {
  /** Aborting kills the child (a deleted upload, a stop); the promise settles once it has exited. */
  signal?: AbortSignal;
  /** Past this the child is killed and the promise rejects with `reason: "timeout"`. */
  timeoutMs?: number;
  /** Output past this kills the child (`reason: "output"`). */
  maxBuffer?: number;
  /** Told of the child once it is started (for its pid in logs, and for tests that watch it end). */
  onChild?: (child: ChildProcess) => void;
}

/** Why a child did not finish: killed for a timeout, an abort or too much output, or it failed by itself. */
export class ChildError extends Error {
  constructor(
    readonly reason: "timeout" | "aborted" | "output" | "failed",
    message: string,
    readonly stderr = "",
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = "ChildError";
  }
}

/**
 * Runs a program (pdftoppm, tesseract) and gives its output. Unlike execFile,
 * a timeout or an abort kills it with SIGKILL (a renderer stuck on a huge page
 * does not stop for SIGTERM soon) and the promise settles only after the child
 * has exited, so nothing outlives the read that started it.
 */
export function runChild(command: string, args: string[], options: RunChildOptions = {}): Promise<{ stdout: string; stderr: string }> {
  const { signal, timeoutMs, maxBuffer = 32 * 1024 * 1024 } = options;
  if (signal?.aborted) return Promise.reject(new ChildError("aborted", `${command} was not started: the read was stopped`));
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    let killedFor: ChildError["reason"] | undefined;
    const kill = (reason: ChildError["reason"]) => {
      if (killedFor || child.exitCode !== null || child.signalCode !== null) return;
      killedFor = reason;
      child.kill("SIGKILL");
    };
    const onAbort = () => kill("aborted");
    const timer = timeoutMs ? setTimeout(() => kill("timeout"), timeoutMs) : undefined;
    signal?.addEventListener("abort", onAbort, { once: true });
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBuffer) kill("output");
      else into.push(chunk);
    };
    child.stdout?.on("data", collect(stdout));
    child.stderr?.on("data", collect(stderr));
    let spawnError: Error | undefined;
    child.once("error", (error) => {
      spawnError = error;
    });
    // "close", not "exit": the output is complete and the process is gone.
    child.once("close", (code, killSignal) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      const err = Buffer.concat(stderr).toString("utf8");
      if (killedFor) {
        const why = { timeout: `did not finish within ${(timeoutMs ?? 0) / 1000} s`, aborted: "was stopped", output: "wrote too much", failed: "" }[killedFor];
        return reject(new ChildError(killedFor, `${command} ${why} and was killed`, err));
      }
      if (spawnError) return reject(new ChildError("failed", `${command}: ${spawnError.message}`, err, { cause: spawnError }));
      if (code !== 0) return reject(new ChildError("failed", `${command} exited with ${code ?? killSignal}: ${err.trim().slice(0, 300)}`, err));
      resolve({ stdout: Buffer.concat(stdout).toString("utf8"), stderr: err });
    });
    options.onChild?.(child);
  });
}
