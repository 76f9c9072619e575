// Which changes of a run the database announces on the live stream (migration live_events_fewer):
// a live run's creation and each status a reader shows, and nothing else. A step's write names
// the status without changing it, and the claim's move to routing shows nothing new: announcing
// either costs the engine a trigger per step and a NOTIFY per run (npm run bench:engine).
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { RunMode, RunStatus } from "@/lib/generated/prisma/enums";

async function newRun(mode: RunMode) {
  const user = await db.user.findUniqueOrThrow({ where: { email: "user@example.com" } });
  const conversation = await db.conversation.create({ data: { userId: user.id } });
  return db.run.create({
    data: {
      conversationId: conversation.id,
      userId: user.id,
      request: "live events of a run",
      modelProvider: "test",
      deadlineAt: new Date(Date.now() + 3_600_000),
      mode,
    },
  });
}

const runEvents = (runId: string) => db.liveEvent.count({ where: { runId, kind: "run" } });

/** The run events that setting `status` wrote. */
async function eventsOf(runId: string, status: RunStatus) {
  const before = await runEvents(runId);
  await db.run.update({ where: { id: runId }, data: { status } });
  return (await runEvents(runId)) - before;
}

describe("a run's live events", () => {
  it("announces a live run's creation and the statuses a reader shows, once each", async () => {
    const run = await newRun("live");
    expect(await runEvents(run.id)).toBe(1);
    expect(await eventsOf(run.id, "routing")).toBe(0);
    expect(await eventsOf(run.id, "running")).toBe(1);
    // A step's write sets the status it already has.
    expect(await eventsOf(run.id, "running")).toBe(0);
    expect(await eventsOf(run.id, "awaiting_approval")).toBe(1);
    expect(await eventsOf(run.id, "running")).toBe(1);
    expect(await eventsOf(run.id, "completed")).toBe(1);
    const event = await db.liveEvent.findFirstOrThrow({ where: { runId: run.id } });
    expect(event).toMatchObject({
      userId: run.userId,
      conversationId: run.conversationId,
      approvalId: null,
    });
    // Each says its move: a customer's stream reads no thread for a mere start (routing to running).
    const moves = await db.liveEvent.findMany({
      where: { runId: run.id },
      orderBy: { id: "asc" },
      select: { runPreviousStatus: true, runStatus: true },
    });
    expect(moves.map((m) => [m.runPreviousStatus, m.runStatus])).toEqual([
      [null, "queued"],
      ["routing", "running"],
      ["running", "awaiting_approval"],
      ["awaiting_approval", "running"],
      ["running", "completed"],
    ]);
  });

  it("announces nothing of a scratch run", async () => {
    const run = await newRun("replay");
    expect(await runEvents(run.id)).toBe(0);
    expect(await eventsOf(run.id, "running")).toBe(0);
    expect(await eventsOf(run.id, "completed")).toBe(0);
  });
});
