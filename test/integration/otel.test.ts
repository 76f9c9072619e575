import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { recordEvent } from "@/lib/trace/events";
import { startTelemetry, stopTelemetry } from "@/lib/trace/otel";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";

// A loopback OTLP/HTTP collector: the spans arrive as the exporter sends them over the wire.
type Attribute = { key: string; value: Record<string, unknown> };
type Span = { name: string; attributes: Attribute[] };
const received: Span[] = [];
let collector: http.Server;

beforeAll(async () => {
  collector = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        resourceSpans: Array<{ scopeSpans: Array<{ spans: Span[] }> }>;
      };
      for (const r of body.resourceSpans) for (const s of r.scopeSpans) received.push(...s.spans);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  startTelemetry({
    url: `http://127.0.0.1:${(collector.address() as AddressInfo).port}/v1/traces`,
    immediate: true,
  });
});

afterAll(async () => {
  await stopTelemetry();
  collector.close();
  await stopBoss();
});

const attr = (span: Span, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value ? Object.values(value)[0] : undefined;
};

describe("OpenTelemetry export", () => {
  it("exports model and tool calls as GenAI spans, without arguments", async () => {
    const orderId = await freshOrder(2200);
    const user = await actorFor("user@example.com");
    const { runId } = await startTurn(user, {
      text: `Order ${orderId} arrived broken, I want my money back`,
    });
    await advanceRun(runId, { model: new OfflineDemoModel(), workerId: "otel" });
    await expect
      .poll(() => received.some((s) => s.name === "execute_tool lookup_order"), { timeout: 5000 })
      .toBe(true);

    const chat = received.find(
      (s) => attr(s, "gen_ai.operation.name") === "chat" && attr(s, "countersign.run.id") === runId,
    )!;
    expect(chat.name).toBe("chat offline-demo");
    expect(attr(chat, "gen_ai.provider.name")).toBe("offline-demo");
    expect(Number(attr(chat, "gen_ai.usage.input_tokens"))).toBeGreaterThan(0);
    const tool = received.find(
      (s) => s.name === "execute_tool lookup_order" && attr(s, "countersign.run.id") === runId,
    )!;
    expect(attr(tool, "gen_ai.tool.name")).toBe("lookup_order");
    expect(attr(tool, "gen_ai.tool.call.id")).toBeTruthy();
    expect(JSON.stringify(received)).not.toContain(String(orderId));
  });

  it("reports an event only once its transaction commits: a rolled-back step leaves no span", async () => {
    const user = await actorFor("user@example.com");
    const { runId } = await startTurn(user, { text: "What are your opening hours?" });
    const name = "issue_refund · succeeded";
    await expect(
      db.$transaction(async (tx) => {
        await recordEvent(tx, { runId, kind: "tool_call", name });
        throw new Error("the step's transaction rolls back");
      }),
    ).rejects.toThrow(/rolls back/);
    await db.$transaction((tx) =>
      recordEvent(tx, { runId, kind: "policy", name: "committed marker" }),
    );
    await expect
      .poll(
        () =>
          received.some(
            (s) => s.name.includes("committed marker") && attr(s, "countersign.run.id") === runId,
          ),
        { timeout: 5000 },
      )
      .toBe(true);
    expect(
      received.filter((s) => attr(s, "countersign.run.id") === runId).map((s) => s.name),
    ).not.toContain(`execute_tool issue_refund`);
    expect(await db.traceEvent.count({ where: { runId, name } })).toBe(0);
  });
});
