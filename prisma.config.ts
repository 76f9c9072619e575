import { defineConfig } from "prisma/config";

// The CLI is used for `generate` only; migrations go through scripts/migrate.ts
// (Prisma's WebAssembly schema engine), which works without downloading engines.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/countersign" },
});
