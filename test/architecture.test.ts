// The layering the code promises (ARCHITECTURE.md), checked on the import graph: agents are
// plug-ins that depend on the kit and a few leaf helpers, and the core reaches them through one
// door, so no chain of imports leads from an agent back into the runtime.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const SEAM = "lib/agents.ts";

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (name === "generated" || name === "node_modules") return [];
    if (statSync(path.join(ROOT, rel)).isDirectory()) return sources(rel);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [rel] : [];
  });
}

function resolve(from: string, spec: string): string | null {
  const base = spec.startsWith("@/")
    ? spec.slice(2)
    : spec.startsWith(".")
      ? path.join(path.dirname(from), spec)
      : null;
  if (base === null) return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`]) {
    if (existsSync(path.join(ROOT, candidate)) && statSync(path.join(ROOT, candidate)).isFile())
      return candidate;
  }
  return null;
}

const files = ["lib", "agents", "app", "components", "scripts", "bench", "e2e/support"]
  .flatMap(sources)
  .concat("instrumentation.ts");
// The processes' entry points: the web process's start, the scripts and the benchmarks.
const entryPoints = files.filter(
  (f) => f === "instrumentation.ts" || /^(scripts|bench|e2e\/support)\//.test(f),
);
// The features that take part in a run through the runtime's hooks (lib/features.ts wires them).
const HOOKED_FEATURES =
  /^lib\/(agent-pause|approvals|replay|shadow|tool-cache)\/|^lib\/spend\/agent-budget\.ts$|^lib\/baselines\/watch\.ts$|^lib\/features\.ts$/;
const imports = new Map(
  files.map((file) => {
    const text = readFileSync(path.join(ROOT, file), "utf8");
    const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]!);
    return [file, specs.map((s) => resolve(file, s)).filter((s): s is string => s !== null)];
  }),
);

/**
 * The unit of layering inside lib/: a top-level folder (lib/runtime/...), or a top-level file
 * (lib/env.ts) on its own. The kit's testing module counts as a unit apart from the kit: nothing in
 * the kit imports it, only tests do (checked below), and driving the whole engine for an agent's
 * tests is its job, so it sits above everything it drives.
 */
function libUnit(file: string): string | null {
  if (!file.startsWith("lib/")) return null;
  if (file.startsWith("lib/agent-kit/testing/")) return "agent-kit/testing";
  const parts = file.split("/");
  return parts.length > 2 ? parts[1]! : parts[1]!.replace(/\.tsx?$/, "");
}

/**
 * Every pair of lib/ units that import each other, each with the imports that close the cycle.
 * Type-only imports count: a type shared both ways is a sign the type belongs in a lower unit.
 */
function mutualLibImports(): string[] {
  const edges = new Map<string, string[]>();
  for (const [file, targets] of imports) {
    const from = libUnit(file);
    for (const target of targets) {
      const to = libUnit(target);
      if (!from || !to || from === to) continue;
      const key = `${from} → ${to}`;
      edges.set(key, [...(edges.get(key) ?? []), `${file} → ${target}`]);
    }
  }
  const pairs: string[] = [];
  for (const [key, via] of edges) {
    const [from, to] = key.split(" → ") as [string, string];
    const back = edges.get(`${to} → ${from}`);
    if (from < to && back) pairs.push(`${from} ⇄ ${to}: ${[...via, ...back].join(", ")}`);
  }
  return pairs.sort();
}

function reachable(start: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length) {
    const file = stack.pop()!;
    for (const next of imports.get(file) ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(next);
    }
  }
  return seen;
}

describe("architecture", () => {
  it("has no two lib/ folders that import each other", () => {
    // Each pair is listed with the imports that close it, so a failure says which to undo.
    expect(mutualLibImports()).toEqual([]);
  });

  it("keeps the runtime free of the features on its hooks: they register, it does not import them", () => {
    const runtime = files.filter((f) => f.startsWith("lib/runtime/"));
    expect(
      runtime.flatMap((f) => (imports.get(f) ?? []).filter((i) => HOOKED_FEATURES.test(i))),
    ).toEqual([]);
  });

  it("wires the features in every entry point that can advance a run", () => {
    const advancing = entryPoints.filter((f) => reachable([f]).has("lib/runtime/advance.ts"));
    // (the worker, the eval and replay scripts, the benchmark, the web process)
    expect(advancing.length).toBeGreaterThanOrEqual(4);
    expect(advancing.filter((f) => !reachable([f]).has("lib/features.ts"))).toEqual([]);
  });

  it("lets lib/ reach agents/ only through the registry seam", () => {
    const offenders = files.filter(
      (f) =>
        f.startsWith("lib/") &&
        f !== SEAM &&
        (imports.get(f) ?? []).some((i) => i.startsWith("agents/")),
    );
    expect(offenders).toEqual([]);
  });

  it("has no import chain from an agent back to the seam, the runtime, approvals, app or components", () => {
    const fromAgents = [...reachable(files.filter((f) => f.startsWith("agents/")))];
    expect(
      fromAgents.filter(
        (f) =>
          f === SEAM || /^(lib\/(runtime|approvals|model|jobs|chat)\/|app\/|components\/)/.test(f),
      ),
    ).toEqual([]);
  });

  it("keeps the agent kit a leaf: it imports nothing else of the project (its testing module aside)", () => {
    const kit = files.filter(
      (f) => f.startsWith("lib/agent-kit/") && !f.startsWith("lib/agent-kit/testing/"),
    );
    expect(kit.length).toBeGreaterThan(0);
    expect(
      kit.flatMap((f) => (imports.get(f) ?? []).filter((i) => !i.startsWith("lib/agent-kit/"))),
    ).toEqual([]);
  });

  it("lets only tests import the kit's testing module", () => {
    const importers = files.filter(
      (f) =>
        !f.startsWith("lib/agent-kit/testing/") &&
        (imports.get(f) ?? []).some((i) => i.startsWith("lib/agent-kit/testing/")),
    );
    expect(importers).toEqual([]);
  });

  it("names no shop in the runtime or approvals", () => {
    const core = files.filter((f) => /^lib\/(runtime|approvals)\//.test(f));
    expect(core.filter((f) => /shop/i.test(readFileSync(path.join(ROOT, f), "utf8")))).toEqual([]);
  });

  it("keeps server actions beside their domain: components never import app/, app/ takes only UI from components/", () => {
    const fromComponents = files.filter(
      (f) =>
        f.startsWith("components/") && (imports.get(f) ?? []).some((i) => i.startsWith("app/")),
    );
    expect(fromComponents).toEqual([]);
    // A page may render a component (.tsx); a type or helper it needs lives in lib/.
    const helpersIntoApp = files.flatMap((f) =>
      f.startsWith("app/")
        ? (imports.get(f) ?? []).filter((i) => i.startsWith("components/") && !i.endsWith(".tsx"))
        : [],
    );
    expect(helpersIntoApp).toEqual([]);
    expect(files.filter((f) => f.startsWith("app/") && path.basename(f) === "actions.ts")).toEqual(
      [],
    );
  });
});
