import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      "server-only": path.resolve(import.meta.dirname, "test/support/empty-module.ts"),
    },
  },
  test: {
    include: ["test/**/*.test.ts", "agents/**/*.test.ts", "lib/**/*.test.ts", "packages/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // Integration tests share one PostgreSQL database; files run one after another.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
