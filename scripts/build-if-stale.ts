// `next build` only when the sources changed since the last build, so a second start is fast.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const INPUTS = [
  "app",
  "components",
  "lib",
  "agents",
  "instrumentation.ts",
  "next.config.mjs",
  "package-lock.json",
  "postcss.config.mjs",
  "tsconfig.json",
];
const STAMP = path.join(".next", "countersign-build-stamp");

function fingerprint(): string {
  const hash = createHash("sha256");
  const visit = (p: string) => {
    if (!existsSync(p) || p.includes(`${path.sep}generated`)) return;
    const stat = statSync(p);
    if (stat.isDirectory())
      return readdirSync(p)
        .sort()
        .forEach((entry) => visit(path.join(p, entry)));
    hash.update(p).update(readFileSync(p));
  };
  INPUTS.forEach(visit);
  return hash.digest("hex");
}

export function buildIfStale(): boolean {
  const print = fingerprint();
  if (
    existsSync(STAMP) &&
    readFileSync(STAMP, "utf8") === print &&
    existsSync(path.join(".next", "BUILD_ID"))
  )
    return false;
  console.log("Building the app (first start, or sources changed)…");
  const result = spawnSync("next", ["build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("next build failed");
  writeFileSync(STAMP, print);
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) buildIfStale();
