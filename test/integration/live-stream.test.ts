// GET /api/stream over real HTTP: each reader gets only what they may see (a customer their own
// thread and runs, never another customer's nor the console's items; a reviewer the items, never a
// customer's thread), a reconnect with Last-Event-ID resumes without a loss, and a deactivated
// account's stream is closed.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as route from "@/app/api/stream/route";
import type { Actor } from "@/lib/auth/actor";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { boss, stopBoss } from "@/lib/jobs/queue";
import type { LiveMessage } from "@/lib/live/events";
import { stopListening } from "@/lib/live/listener";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";
import { serveRoute, type ServedRoute } from "../support/serve-route";
import { signedIn } from "../support/signed-in";

vi.mock("@/lib/auth/actor", () => import("../support/signed-in").then((m) => m.actorModuleMock()));

type Received = { id: string | null; message: LiveMessage };
type Reader = { received: Received[]; ended: () => boolean; close: () => void; status: number };

let server: ServedRoute;
const readers: Reader[] = [];

/** Opens a stream as `actor` and collects its events until closed. */
async function openStream(actor: Actor, lastEventId?: string): Promise<Reader> {
  signedIn.actor = actor;
  const abort = new AbortController();
  const response = await fetch(`${server.url}/api/stream`, {
    headers: lastEventId === undefined ? {} : { "last-event-id": lastEventId },
    signal: abort.signal,
  });
  const reader: Reader = {
    received: [],
    ended: () => done,
    close: () => abort.abort(),
    status: response.status,
  };
  let done = !response.ok || !response.body;
  readers.push(reader);
  if (done) return reader;
  void (async () => {
    const decoder = new TextDecoder();
    let text = "";
    try {
      for await (const chunk of response.body!) {
        text += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = text.indexOf("\n\n")) >= 0) {
          const frame = text.slice(0, end);
          text = text.slice(end + 2);
          const data = frame.split("\n").find((line) => line.startsWith("data: "));
          if (!data) continue;
          const id = frame.split("\n").find((line) => line.startsWith("id: "));
          reader.received.push({
            id: id ? id.slice(4) : null,
            message: JSON.parse(data.slice(6)) as LiveMessage,
          });
        }
      }
    } catch {
      // aborted by the test
    }
    done = true;
  })();
  await vi.waitFor(() =>
    expect(reader.received.some((r) => r.message.kind === "ready")).toBe(true),
  );
  return reader;
}

const runIdsOf = (reader: Reader) =>
  new Set(
    reader.received.flatMap((r) =>
      "runId" in r.message && r.message.runId ? [r.message.runId] : [],
    ),
  );
const kindsOf = (reader: Reader) => new Set(reader.received.map((r) => r.message.kind));

async function newCustomer(): Promise<Actor> {
  const user = await db.user.create({
    data: {
      email: `live-${randomUUID().slice(0, 8)}@example.test`,
      name: "Live Reader",
      passwordHash: "not-a-login",
      role: "user",
    },
  });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

beforeAll(async () => {
  await boss();
  server = await serveRoute("/api/stream", route);
});

afterAll(async () => {
  readers.forEach((r) => r.close());
  signedIn.actor = null;
  await server.close();
  await stopListening();
  await stopBoss();
});

describe("the live stream", () => {
  it("sends a customer only their own thread and runs, and a reviewer the items but no customer's thread", async () => {
    const ada = await actorFor("user@example.com");
    const other = await newCustomer();
    const reviewer = await actorFor("reviewer@example.com");
    const adaStream = await openStream(ada);
    const otherStream = await openStream(other);
    const reviewerStream = await openStream(reviewer);

    // Ada asks for a refund: her run is routed, parks the refund for a reviewer and tells her so.
    const order = await freshOrder(6_000);
    const { runId: adaRun } = await startTurn(ada, {
      text: `Order ${order} arrived broken, I want my money back`,
    });
    await advanceRun(adaRun, { model: new OfflineDemoModel(), workerId: "live-stream-test" });
    const approval = await db.approval.findFirstOrThrow({ where: { runId: adaRun } });
    const { runId: otherRun } = await startTurn(other, { text: "How long does delivery take?" });

    await vi.waitFor(() => {
      expect(kindsOf(adaStream)).toContain("thread");
      expect(runIdsOf(adaStream)).toContain(adaRun);
      expect(runIdsOf(otherStream)).toContain(otherRun);
      expect(
        reviewerStream.received.some(
          (r) => r.message.kind === "approval" && r.message.approvalId === approval.id,
        ),
      ).toBe(true);
    });
    // Give anything that should not come a moment to arrive anyway.
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(runIdsOf(adaStream)).not.toContain(otherRun);
    expect(runIdsOf(otherStream)).not.toContain(adaRun);
    for (const customer of [adaStream, otherStream]) {
      expect([...kindsOf(customer)].filter((k) => !["ready", "thread", "run"].includes(k))).toEqual(
        [],
      );
    }
    expect(kindsOf(reviewerStream)).not.toContain("thread");
    expect(JSON.stringify(reviewerStream.received)).not.toContain(other.id);
    [adaStream, otherStream, reviewerStream].forEach((r) => r.close());
  });

  it("resumes after Last-Event-ID without losing what happened while disconnected", async () => {
    const customer = await newCustomer();
    const first = await openStream(customer);
    const { runId: before } = await startTurn(customer, { text: "How long does delivery take?" });
    await vi.waitFor(() => expect(runIdsOf(first)).toContain(before));
    const lastId = first.received.filter((r) => r.id !== null).at(-1)!.id!;
    first.close();

    // While no stream is open: two more turns.
    const { runId: missedOne } = await startTurn(customer, { text: "Do you ship abroad?" });
    const { runId: missedTwo } = await startTurn(customer, {
      text: "What is your returns policy?",
    });

    const resumed = await openStream(customer, lastId);
    expect([...runIdsOf(resumed)]).toEqual(expect.arrayContaining([missedOne, missedTwo]));
    expect(resumed.received.some((r) => r.message.kind === "reset")).toBe(false);
    // Each missed turn: its run and its message.
    for (const runId of [missedOne, missedTwo]) {
      const kinds = resumed.received
        .filter((r) => "runId" in r.message && r.message.runId === runId)
        .map((r) => r.message.kind);
      expect(kinds).toEqual(expect.arrayContaining(["run", "thread"]));
    }
    resumed.close();
  });

  it("tells a reader whose events were pruned to re-read everything, and refuses a malformed Last-Event-ID", async () => {
    const customer = await newCustomer();
    const pruned = await openStream(customer, "1"); // the first event of the database, long gone or never this reader's
    const anchor = await db.liveEvent.findUnique({ where: { id: 1n } });
    if (!anchor) expect(pruned.received.some((r) => r.message.kind === "reset")).toBe(true);
    pruned.close();

    const bad = await openStream(customer, "not-a-number");
    expect(bad.status).toBe(400);
  });

  it("closes a deactivated account's stream", async () => {
    const customer = await newCustomer();
    const stream = await openStream(customer);
    await db.user.update({
      where: { id: customer.id },
      data: { active: false, sessionVersion: { increment: 1 } },
    });
    await vi.waitFor(() => expect(stream.ended()).toBe(true), { timeout: 5_000 });
  });
});
