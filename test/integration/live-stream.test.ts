// GET /api/stream over real HTTP: each reader gets only what they may see (a customer their own
// thread and runs, never another customer's nor the console's items; a reviewer the items of the
// queues they work, never another team's item nor a customer's thread), a reconnect with
// Last-Event-ID resumes without a loss, and a deactivated account's stream is closed.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as route from "@/app/api/stream/route";
import { decideApproval } from "@/lib/approvals/decide";
import type { Actor } from "@/lib/auth/actor";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { boss, stopBoss } from "@/lib/jobs/queue";
import type { LiveMessage } from "@/lib/live/events";
import { stopListening } from "@/lib/live/listener";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { transitionRun } from "@/lib/runtime/transitions";
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

async function newReviewer(): Promise<Actor> {
  const user = await db.user.create({
    data: {
      email: `live-reviewer-${randomUUID().slice(0, 8)}@example.test`,
      name: "Third Reviewer",
      passwordHash: "not-a-login",
      role: "reviewer",
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

  it("brings a customer their own thread with its events, read once for a burst, and never to anyone else", async () => {
    const tess = await newCustomer();
    const other = await newCustomer();
    const reviewer = await actorFor("reviewer@example.com");
    const tessStream = await openStream(tess);
    const otherStream = await openStream(other);
    const reviewerStream = await openStream(reviewer);
    // The stream opens with the thread as it is (nothing yet), for the customer only.
    const readyOf = (reader: Reader) => reader.received.find((r) => r.message.kind === "ready")!;
    expect(readyOf(tessStream).message).toMatchObject({ thread: { messages: [], pending: [] } });
    expect(readyOf(reviewerStream).message).not.toHaveProperty("thread");
    const { runId } = await startTurn(tess, { text: "How long does delivery take?" });
    await advanceRun(runId, { model: new OfflineDemoModel(), workerId: "live-thread-test" });

    const threads = (reader: Reader) =>
      reader.received.flatMap((r) =>
        (r.message.kind === "thread" || r.message.kind === "run") && r.message.thread
          ? [r.message.thread]
          : [],
      );
    const answered = (reader: Reader) =>
      threads(reader).some((t) =>
        t.messages.some((m) => m.author === "assistant" && m.runId === runId),
      );
    await vi.waitFor(() => expect(answered(tessStream)).toBe(true));
    // The answer as GET /api/chat gives it, the run no longer pending.
    const last = threads(tessStream).at(-1)!;
    expect(last.messages.map((m) => m.author)).toEqual(["user", "assistant"]);
    expect(last.pending).toEqual([]);
    // Every event that said the thread follows was followed by one that brought it.
    const received = tessStream.received.filter((r) => r.message.kind !== "ready");
    const lastFollows = received.findLastIndex(
      (r) => "threadFollows" in r.message && r.message.threadFollows,
    );
    expect(
      received.slice(lastFollows + 1).some((r) => "thread" in r.message && r.message.thread),
    ).toBe(true);

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(threads(otherStream)).toEqual([]);
    expect(JSON.stringify(otherStream.received)).not.toContain(runId);
    expect(JSON.stringify(reviewerStream.received)).not.toContain("How long does delivery take?");
    [tessStream, otherStream, reviewerStream].forEach((r) => r.close());
  });

  it("reads no thread for a run that only started running, but does for a burst's later event and for a resume", async () => {
    const customer = await newCustomer();
    const reviewer = await actorFor("reviewer@example.com");
    const customerStream = await openStream(customer);
    const reviewerStream = await openStream(reviewer);
    const eventOf = (reader: Reader, id: bigint) =>
      reader.received.find((r) => r.id === id.toString())?.message;
    const runEvent = (runId: string, runStatus: "running", runPreviousStatus: string) =>
      vi.waitFor(async () => {
        const event = await db.liveEvent.findFirst({
          where: { kind: "run", runId, runStatus, runPreviousStatus: runPreviousStatus as never },
        });
        expect(event).not.toBeNull();
        return event!.id;
      });
    const threadShows = (text: string) =>
      customerStream.received.some(
        (r) => "thread" in r.message && r.message.thread?.messages.some((m) => m.text === text),
      );
    const start = (runId: string) =>
      db.$transaction(async (tx) => {
        expect(await transitionRun(tx, runId, "routing")).toBe(true);
        expect(await transitionRun(tx, runId, "running")).toBe(true);
      });

    // A run that only starts running, its turn's thread already read: sent unchanged, read-free.
    const { runId } = await startTurn(customer, { text: "How long does delivery take?" });
    await vi.waitFor(() => expect(threadShows("How long does delivery take?")).toBe(true));
    await start(runId);
    const started = await runEvent(runId, "running", "routing");
    await vi.waitFor(() => expect(eventOf(customerStream, started)).toBeDefined());
    expect(eventOf(customerStream, started)).toEqual({ kind: "run", runId, threadUnchanged: true });
    // The reviewer's run pages still hear of it, as before.
    await vi.waitFor(() =>
      expect(eventOf(reviewerStream, started)).toEqual({ kind: "run", runId }),
    );

    // A start with a later event of the thread in its burst: that event brings the thread.
    const { runId: next } = await startTurn(customer, { text: "Do you ship abroad?" });
    await vi.waitFor(() => expect(threadShows("Do you ship abroad?")).toBe(true));
    await db.$transaction(async (tx) => {
      expect(await transitionRun(tx, next, "routing")).toBe(true);
      expect(await transitionRun(tx, next, "running")).toBe(true);
      await tx.message.create({
        data: {
          conversationId: (await tx.run.findUniqueOrThrow({ where: { id: next } })).conversationId!,
          author: "assistant",
          text: "We ship to most of Europe.",
          runId: next,
        },
      });
    });
    const nextStarted = await runEvent(next, "running", "routing");
    await vi.waitFor(() => expect(threadShows("We ship to most of Europe.")).toBe(true));
    expect(eventOf(customerStream, nextStarted)).toEqual({
      kind: "run",
      runId: next,
      threadFollows: true,
    });

    // A run resumed after a decision (awaiting_approval to running): the chat said it waits for
    // our team and now says it is working, so its thread is read. (Ada owns the shop's orders.)
    const ada = await actorFor("user@example.com");
    const adaStream = await openStream(ada);
    const order = await freshOrder(2_000);
    const { runId: refund } = await startTurn(ada, {
      text: `Order ${order} arrived broken, I want my money back`,
    });
    await advanceRun(refund, { model: new OfflineDemoModel(), workerId: "live-started-test" });
    const approval = await db.approval.findFirstOrThrow({ where: { runId: refund } });
    await decideApproval(reviewer, { decision: "approve", approvalId: approval.id });
    const resumed = await runEvent(refund, "running", "awaiting_approval");
    await vi.waitFor(() => {
      const message = eventOf(adaStream, resumed);
      expect(message).toBeDefined();
      expect(message).not.toHaveProperty("threadUnchanged");
    });
    await vi.waitFor(() =>
      expect(
        adaStream.received.some(
          (r) =>
            r.id !== null &&
            BigInt(r.id) >= resumed &&
            "thread" in r.message &&
            r.message.thread?.pending.some((p) => p.runId === refund && p.status === "running"),
        ),
      ).toBe(true),
    );
    [customerStream, reviewerStream, adaStream].forEach((r) => r.close());
  });

  it("sends a team's item only to the reviewers who work that team's queue, live and on resume", async () => {
    const team = `live-${randomUUID().slice(0, 8)}`;
    const member = await actorFor("reviewer2@example.com");
    const outsider = await actorFor("reviewer@example.com");
    const admin = await actorFor("admin@example.com");
    await db.team.create({
      data: {
        name: team,
        title: "Live team",
        slaSeconds: 3_600,
        members: { create: { userId: member.id } },
      },
    });
    const ada = await actorFor("user@example.com");
    const order = await freshOrder(6_100);
    const { runId } = await startTurn(ada, {
      text: `Order ${order} arrived broken, I want my money back`,
    });
    await advanceRun(runId, { model: new OfflineDemoModel(), workerId: "live-stream-team-test" });
    const approval = await db.approval.findFirstOrThrow({ where: { runId } });
    // In the team's queue (a move from everyone's, which everyone hears of); then a change the
    // item's readers hear of (a claim by the member).
    await db.approval.update({ where: { id: approval.id }, data: { team } });
    const moved = await db.liveEvent.findFirstOrThrow({
      where: { kind: "approval", approvalId: approval.id },
      orderBy: { id: "desc" },
    });
    expect(moved).toMatchObject({ approvalMoved: true, approvalTeamLeft: null });
    const before = (
      await db.liveEvent.findFirstOrThrow({ orderBy: { id: "desc" }, select: { id: true } })
    ).id.toString();
    const memberStream = await openStream(member);
    const outsiderStream = await openStream(outsider);
    const adminStream = await openStream(admin);
    await db.approval.update({
      where: { id: approval.id },
      data: { claimedById: member.id, claimedUntil: new Date(Date.now() + 60_000) },
    });
    const claimEvent = (
      await db.liveEvent.findFirstOrThrow({
        where: { kind: "approval", approvalId: approval.id },
        orderBy: { id: "desc" },
      })
    ).id.toString();
    const got = (reader: Reader) => reader.received.some((r) => r.id === claimEvent);
    // (Its in-app notification reaches every reviewer: the notifications list shows them all.)
    const itemEvents = (reader: Reader) =>
      reader.received.filter(
        (r) =>
          r.message.kind === "approval" &&
          r.message.approvalId === approval.id &&
          r.id !== moved.id.toString(),
      );
    await vi.waitFor(() => {
      expect(got(memberStream)).toBe(true);
      expect(got(adminStream)).toBe(true);
    });
    // Another item's event after it, with no team: the outsider's stream is live and past the claim.
    const { runId: later } = await startTurn(ada, { text: "How long does delivery take?" });
    await vi.waitFor(() => expect(runIdsOf(outsiderStream)).toContain(later));
    expect(itemEvents(outsiderStream)).toEqual([]);

    // Resuming from before the claim replays it to the member, never to the outsider.
    const memberResumed = await openStream(member, before);
    const outsiderResumed = await openStream(outsider, before);
    expect(got(memberResumed)).toBe(true);
    expect(runIdsOf(outsiderResumed)).toContain(later);
    expect(itemEvents(outsiderResumed)).toEqual([]);
    [memberStream, outsiderStream, adminStream, memberResumed, outsiderResumed].forEach((r) =>
      r.close(),
    );
  });

  it("tells both queues' reviewers when an item moves from one team's queue to another's, and no third", async () => {
    const suffix = randomUUID().slice(0, 8);
    const [from, to, other] = [`live-from-${suffix}`, `live-to-${suffix}`, `live-other-${suffix}`];
    const leaving = await actorFor("reviewer@example.com");
    const arriving = await actorFor("reviewer2@example.com");
    const outsider = await newReviewer();
    const teams: Array<[string, Actor]> = [
      [from, leaving],
      [to, arriving],
      [other, outsider],
    ];
    for (const [name, member] of teams)
      await db.team.create({
        data: { name, title: name, slaSeconds: 3_600, members: { create: { userId: member.id } } },
      });
    const ada = await actorFor("user@example.com");
    const order = await freshOrder(6_200);
    const { runId } = await startTurn(ada, {
      text: `Order ${order} arrived broken, I want my money back`,
    });
    await advanceRun(runId, { model: new OfflineDemoModel(), workerId: "live-stream-move-test" });
    const approval = await db.approval.findFirstOrThrow({ where: { runId } });
    await db.approval.update({ where: { id: approval.id }, data: { team: from } });
    const leavingStream = await openStream(leaving);
    const arrivingStream = await openStream(arriving);
    const outsiderStream = await openStream(outsider);
    // The move, as an escalation makes it.
    await db.approval.update({ where: { id: approval.id }, data: { team: to } });
    const move = await db.liveEvent.findFirstOrThrow({
      where: { kind: "approval", approvalId: approval.id },
      orderBy: { id: "desc" },
    });
    expect(move).toMatchObject({ approvalMoved: true, approvalTeamLeft: from });
    const got = (reader: Reader) => reader.received.some((r) => r.id === move.id.toString());
    await vi.waitFor(() => {
      expect(got(leavingStream)).toBe(true);
      expect(got(arrivingStream)).toBe(true);
    });
    // A later event of everyone's reaches the outsider: its stream is past the move, without it.
    const { runId: later } = await startTurn(ada, { text: "How long does delivery take?" });
    await vi.waitFor(() => expect(runIdsOf(outsiderStream)).toContain(later));
    expect(got(outsiderStream)).toBe(false);
    [leavingStream, arrivingStream, outsiderStream].forEach((r) => r.close());
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
    // Every event of this customer's after the one they last saw is replayed (or follows live).
    await vi.waitFor(async () => {
      const theirs = await db.liveEvent.findMany({
        where: { userId: customer.id, id: { gt: BigInt(lastId) } },
        select: { id: true },
      });
      const received = new Set(resumed.received.map((r) => r.id));
      expect(theirs.length).toBeGreaterThan(0);
      expect(theirs.map((e) => e.id.toString()).filter((id) => !received.has(id))).toEqual([]);
    });
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
