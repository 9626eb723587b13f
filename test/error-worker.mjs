// A worker thread that throws the error its message names and posts it back as the workers do (errors.ts serializeError).
const { register } = await import("tsx/esm/api");
register();
await import("./error-worker.ts");
