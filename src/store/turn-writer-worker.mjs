// Starts the turn writer thread (turn-writer-worker.ts); tsx is registered here for the reason build-worker.mjs gives.
import { existsSync } from "node:fs";

const compiled = new URL("./turn-writer-worker.js", import.meta.url);
if (existsSync(compiled)) await import(compiled.href);
else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("./turn-writer-worker.ts");
}
