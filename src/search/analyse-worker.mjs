// Starts an analysis worker (analyse-worker.ts); tsx is registered here for the reason build-worker.mjs gives.
import { existsSync } from "node:fs";

const compiled = new URL("./analyse-worker.js", import.meta.url);
if (existsSync(compiled)) await import(compiled.href);
else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("./analyse-worker.ts");
}
