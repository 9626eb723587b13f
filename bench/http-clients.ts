// `npx tsx bench/http-clients.ts [clients] [seconds]`: one instance on the seed under many clients at once, the
// check that a crowd (200 for 20 s by default) gets answers and no errors; `npm run bench` runs the same load.
import { loadServers, startServer } from "./http-load.js";

const clients = Number(process.argv[2] ?? 200);
const seconds = Number(process.argv[3] ?? 20);
const server = await startServer();
try {
  console.log(JSON.stringify(await loadServers([server.port], seconds, "SQLite", clients)));
} finally {
  server.process.kill("SIGTERM");
}
