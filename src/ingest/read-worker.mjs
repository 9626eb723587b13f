// Starts the upload reader (read-worker.ts) in a worker thread; see
// src/search/build-worker.mjs for why tsx is registered here.
import { existsSync } from "node:fs";

const compiled = new URL("./read-worker.js", import.meta.url);
if (existsSync(compiled)) await import(compiled.href);
else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("./read-worker.ts");
}
