// Summarises V8 CPU profiles (.cpuprofile, as `node --cpu-prof` writes them, e.g. under
// .data/load/profiles/ after LOAD_CPU_PROF=1 npm run load): where the process's time went, by
// area (bcrypt, the session's JWT, React rendering, the database driver, the engine, …), then the
// functions with the most self time and the most total time.
// Usage: tsx scripts/load/profile-summary.ts <file.cpuprofile | folder> [--top=25]
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

/** Loading code (start-up, and each route's first request): anywhere on the stack. */
const LOADING = /^(wrapModuleLoad|instantiateModule|requirePage|loadComponentsImpl)$/;

/** Otherwise the first match wins, looked for from the innermost frame outwards. */
const AREAS: Array<[area: string, test: (name: string, url: string) => boolean]> = [
  ["idle", (n) => n === "(idle)"],
  ["garbage collection", (n) => n === "(garbage collector)"],
  ["bcrypt (sign-in's hash)", (_, u) => /bcrypt/.test(u)],
  ["JWT / session decode (jose, next-auth)", (_, u) => /jose|next-auth/.test(u)],
  ["zod validation", (_, u) => /\/zod\//.test(u)],
  ["pg driver (wire protocol)", (_, u) => /node_modules\/(pg|pg-protocol|pg-pool)\//.test(u)],
  // Prisma 7's query compiler and interpreter are WebAssembly.
  [
    "Prisma client and adapter",
    (_, u) => /@prisma|generated\/prisma|prisma\/client|^wasm:/.test(u),
  ],
  ["pg-boss (queue)", (_, u) => /pg-boss/.test(u)],
  ["React server rendering", (_, u) => /react-dom|react-server|react\.production/.test(u)],
  ["Next.js server (routing, handlers)", (_, u) => /next\/dist|\.next\/server/.test(u)],
  ["OpenTelemetry", (_, u) => /opentelemetry/.test(u)],
  ["Node.js internals (http, streams, timers)", (_, u) => u.startsWith("node:")],
  ["the app's own code", (_, u) => /\/(lib|app|agents|scripts)\//.test(u)],
  ["V8 / native (program)", (n) => n === "(program)" || n === "(root)"],
];

function load(file: string): Profile {
  return JSON.parse(readFileSync(file, "utf8")) as Profile;
}

const short = (url: string) =>
  url
    .replace(/^file:\/\//, "")
    .replace(/^.*node_modules\//, "~/")
    .replace(process.cwd() + "/", "");

export function summarise(profile: Profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n: ProfileNode) =>
    `${n.callFrame.functionName || "(anonymous)"} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const areas = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    all += us;
    let node = byId.get(id);
    if (!node) return;
    self.set(key(node), (self.get(key(node)) ?? 0) + us);
    const seen = new Set<string>();
    let area: string | undefined;
    let loading = false;
    for (; node; node = byId.get(parent.get(node.id) ?? -1)) {
      loading ||= LOADING.test(node.callFrame.functionName);
      const k = key(node);
      if (!seen.has(k)) {
        total.set(k, (total.get(k) ?? 0) + us);
        seen.add(k);
      }
      area ??= AREAS.find(([, test]) =>
        test(node!.callFrame.functionName, node!.callFrame.url),
      )?.[0];
    }
    if (loading) area = "loading code (start-up, a route's first request)";
    areas.set(area ?? "other", (areas.get(area ?? "other") ?? 0) + us);
  });
  return { all, self, total, areas };
}

function print(file: string, top: number) {
  const { all, self, total, areas } = summarise(load(file));
  const busy = all - (areas.get("idle") ?? 0);
  const line = (us: number, what: string) =>
    `  ${(us / 1e6).toFixed(2).padStart(8)} s ${((us / Math.max(1, busy)) * 100).toFixed(1).padStart(5)}%  ${what}`;
  console.log(
    `\n${file}: ${(all / 1e6).toFixed(1)} s profiled, ${(busy / 1e6).toFixed(1)} s busy (percentages of busy time)`,
  );
  console.log(" by area (innermost recognised frame):");
  for (const [area, us] of [...areas].sort((a, b) => b[1] - a[1]))
    if (area !== "idle") console.log(line(us, area));
  console.log(` top ${top} by self time:`);
  for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top))
    if (!k.startsWith("(idle)")) console.log(line(us, k));
  console.log(` top ${top} by total time:`);
  for (const [k, us] of [...total].sort((a, b) => b[1] - a[1]).slice(0, top + 3))
    if (!/^\((root|idle|program)\)/.test(k)) console.log(line(us, k));
}

if (import.meta.filename === path.resolve(process.argv[1] ?? "")) {
  const { values, positionals } = parseArgs({
    options: { top: { type: "string", default: "25" } },
    allowPositionals: true,
  });
  const files = positionals.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => f.endsWith(".cpuprofile"))
          .map((f) => path.join(p, f))
      : [p],
  );
  if (files.length === 0) {
    console.error(
      "Usage: tsx scripts/load/profile-summary.ts <file.cpuprofile | folder> [--top=25]",
    );
    process.exit(2);
  }
  for (const file of files) print(file, Number(values.top));
}
