// GET /api/metrics parses as Prometheus text and its counters match the database; the same
// figures reach a loopback OTLP receiver.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import { metricsResponse } from "@/lib/ops/metrics-route";
import { startMetricsExport, stopMetricsExport } from "@/lib/ops/otlp-metrics";
import { issueApiToken } from "@/lib/auth/tokens";
import { seedWeekOfHistory } from "../../prisma/seed-week";
import { actorFor } from "../support/actors";

const TOKEN = "scrape-token-for-tests-0123456789";
process.env.COUNTERSIGN_METRICS_TOKEN = TOKEN;

beforeAll(async () => {
  await seedWeekOfHistory(db);
});
afterAll(async () => {
  await stopMetricsExport();
  await stopBoss();
});

type Sample = { name: string; labels: Record<string, string>; value: number };

/** A strict little parser of the Prometheus text format: it throws on any line it does not understand. */
function parseExposition(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?(?:[0-9.e+-]+|NaN|\+Inf|-Inf))$/;
  const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/g;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const typeLine =
      /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (typeLine) {
      types.set(typeLine[1]!, typeLine[2]!);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$/.test(line)) continue;
    const m = sampleLine.exec(line);
    if (!m) throw new Error(`Not Prometheus text: ${line}`);
    const labels: Record<string, string> = {};
    const raw = m[2] ?? "";
    let consumed = 0;
    for (const pair of raw.matchAll(labelPair)) {
      labels[pair[1]!] = pair[2]!;
      consumed += pair[0].length;
    }
    if (consumed !== raw.length) throw new Error(`Bad labels: ${line}`);
    const family = [...types.keys()].find(
      (t) => m[1] === t || m[1] === `${t}_bucket` || m[1] === `${t}_sum` || m[1] === `${t}_count`,
    );
    if (!family) throw new Error(`A sample before its TYPE: ${line}`);
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { types, samples };
}

const scrape = (authorization?: string) =>
  metricsResponse(
    new Request("http://localhost/api/metrics", {
      headers: authorization ? { authorization } : {},
    }),
  );

describe("GET /api/metrics", () => {
  it("refuses without the scrape token or an admin's token", async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape("Bearer not-the-token")).status).toBe(401);
  });

  it("takes an admin's personal access token, not a reviewer's", async () => {
    const admin = await issueApiToken(await actorFor("admin@example.com"), {
      name: "metrics scrape",
      expiresInDays: 30,
      scopes: ["read"],
    } as never);
    expect((await scrape(`Bearer ${admin.token}`)).status).toBe(200);
    const reviewer = await issueApiToken(await actorFor("reviewer@example.com"), {
      name: "metrics scrape",
      expiresInDays: 30,
      scopes: ["read"],
    } as never);
    expect((await scrape(`Bearer ${reviewer.token}`)).status).toBe(403);
  });

  it("parses as Prometheus text and its counters match the database", async () => {
    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/plain/);
    const { types, samples } = parseExposition(await response.text());
    expect(types.get("countersign_runs_total")).toBe("counter");
    expect(types.get("countersign_run_duration_seconds")).toBe("histogram");
    expect(types.get("countersign_approval_decision_seconds")).toBe("histogram");
    expect(types.get("countersign_approvals_pending")).toBe("gauge");
    for (const name of [
      "countersign_model_tokens_total",
      "countersign_cost_usd_total",
      "countersign_tool_calls_total",
    ])
      expect(types.get(name)).toBe("counter");

    const byStatus = await db.$queryRaw<
      { agent: string; status: string; n: number; cost: number; input: number }[]
    >`
      select coalesce(agent, 'unrouted') as agent, status::text as status, count(*)::int as n, sum(cost_micros)::float8 as cost, sum(input_tokens)::float8 as input from runs where mode = 'live' group by 1, 2`;
    const runs = samples.filter((s) => s.name === "countersign_runs_total");
    expect(runs.length).toBe(byStatus.length);
    for (const row of byStatus)
      expect(
        runs.find((s) => s.labels.agent === row.agent && s.labels.status === row.status)?.value,
      ).toBe(row.n);
    const refundsCost =
      byStatus.filter((r) => r.agent === "refunds").reduce((n, r) => n + r.cost, 0) / 1e6;
    expect(
      samples.find((s) => s.name === "countersign_cost_usd_total" && s.labels.agent === "refunds")!
        .value,
    ).toBeCloseTo(refundsCost, 6);
    const refundsInput = byStatus
      .filter((r) => r.agent === "refunds")
      .reduce((n, r) => n + r.input, 0);
    expect(
      samples.find(
        (s) =>
          s.name === "countersign_model_tokens_total" &&
          s.labels.agent === "refunds" &&
          s.labels.direction === "input",
      )!.value,
    ).toBe(refundsInput);

    const [pending] = await db.$queryRaw<
      { n: number }[]
    >`select count(*)::int as n from approvals where status = 'pending'`;
    expect(samples.find((s) => s.name === "countersign_approvals_pending")!.value).toBe(pending!.n);
    const [calls] = await db.$queryRaw<
      { n: number }[]
    >`select count(*)::int as n from tool_calls c join runs r on r.id = c.run_id where r.mode = 'live' and r.agent = 'refunds' and c.tool = 'issue_refund' and c.status = 'succeeded'`;
    expect(
      samples.find(
        (s) =>
          s.name === "countersign_tool_calls_total" &&
          s.labels.agent === "refunds" &&
          s.labels.tool === "issue_refund" &&
          s.labels.status === "succeeded",
      )!.value,
    ).toBe(calls!.n);

    // Histogram buckets are cumulative and end at the count.
    const buckets = samples.filter(
      (s) => s.name === "countersign_run_duration_seconds_bucket" && s.labels.agent === "refunds",
    );
    expect(buckets.map((b) => b.value)).toEqual(
      [...buckets.map((b) => b.value)].sort((a, b) => a - b),
    );
    const [finished] = await db.$queryRaw<
      { n: number }[]
    >`select count(*)::int as n from runs where mode = 'live' and agent = 'refunds' and finished_at is not null`;
    expect(buckets.at(-1)).toMatchObject({ labels: { le: "+Inf" }, value: finished!.n });
    expect(
      samples.find(
        (s) => s.name === "countersign_run_duration_seconds_count" && s.labels.agent === "refunds",
      )!.value,
    ).toBe(finished!.n);
    // Labels stay low-cardinality: no run, user or approval ids.
    const labelNames = new Set(samples.flatMap((s) => Object.keys(s.labels)));
    expect([...labelNames].sort()).toEqual(
      ["agent", "direction", "le", "status", "tool"].filter((l) => labelNames.has(l)).sort(),
    );
  });
});

describe("OTLP metrics", () => {
  it("a loopback receiver gets the same series", async () => {
    const bodies: string[] = [];
    const paths: string[] = [];
    const server = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (c: Buffer) => chunks.push(c));
      request.on("end", () => {
        paths.push(request.url ?? "");
        bodies.push(Buffer.concat(chunks).toString("utf8"));
        response.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const provider = startMetricsExport({
        url: `http://127.0.0.1:${port}/v1/metrics`,
        intervalMs: 60_000,
      });
      expect(provider).toBeDefined();
      await provider!.forceFlush();
      expect(paths).toContain("/v1/metrics");
      const all = bodies.join("\n");
      for (const name of [
        "countersign_runs",
        "countersign_model_tokens",
        "countersign_cost_usd",
        "countersign_approvals_pending",
        "countersign_tool_calls",
        "countersign_run_duration_seconds",
        "countersign_approval_decision_seconds",
      ]) {
        expect(all).toContain(name);
      }
      const [runs] = await db.$queryRaw<
        { n: number }[]
      >`select count(*)::int as n from runs where mode = 'live' and agent = 'refunds' and status = 'completed'`;
      const payload = JSON.parse(bodies.at(-1)!) as {
        resourceMetrics: {
          scopeMetrics: {
            metrics: {
              name: string;
              sum?: {
                dataPoints: {
                  attributes: { key: string; value: { stringValue: string } }[];
                  asDouble: number;
                }[];
              };
            }[];
          }[];
        }[];
      };
      const runsMetric = payload.resourceMetrics[0]!.scopeMetrics[0]!.metrics.find(
        (m) => m.name === "countersign_runs",
      )!;
      const point = runsMetric.sum!.dataPoints.find(
        (p) =>
          p.attributes.some((a) => a.key === "agent" && a.value.stringValue === "refunds") &&
          p.attributes.some((a) => a.key === "status" && a.value.stringValue === "completed"),
      );
      expect(point?.asDouble).toBe(runs!.n);
    } finally {
      await stopMetricsExport();
      server.close();
    }
  });
});
