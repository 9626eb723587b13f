import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Fails under CI=true when PostgreSQL or Redis is not installed; otherwise their tests skip with a message.
    globalSetup: ["test/global-setup-services.ts"],
  },
});
