import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { RUNBOOKS, type Runbook } from "./rule-schema";

export const isRunbook = (name: string): name is Runbook =>
  (RUNBOOKS as readonly string[]).includes(name);

/** The runbook's Markdown from docs/runbooks/ (the same file the repository shows), or null. */
export async function readRunbook(name: string): Promise<string | null> {
  if (!isRunbook(name)) return null;
  try {
    return await readFile(path.join(process.cwd(), "docs", "runbooks", `${name}.md`), "utf8");
  } catch {
    return null;
  }
}
