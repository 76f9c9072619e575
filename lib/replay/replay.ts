import "server-only";
import { z } from "zod";
import { registry } from "@/lib/agents";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { modelProvider } from "@/lib/model";
import { advanceRun } from "@/lib/runtime/advance";
import { TERMINAL_RUN_STATUSES } from "@/lib/runtime/state-machines";
import { divergences, type Divergence, type RunFacts } from "./compare";
import { recordedAnswers } from "./recorded";

export type ScratchReport = {
  scratchRunId: string;
  sourceRunId: string;
  kind: "replay" | "rerun";
  status: string;
  divergences: Divergence[];
};

/** At most this many advances: a scratch run parks nothing, so one normally finishes it. */
const MAX_ADVANCES = 20;

/**
 * Hermetic replay (no version) or re-run against another settings version (`version`) of a
 * recorded run. The scratch run is driven here, in this process, by the real engine; its
 * session (lib/replay/session.ts) serves the recording. Results are stored apart: a scratch run
 * (mode replay), its scratch_runs row with the divergences found, its would-be messages.
 */
export async function replayRun(
  sourceRunId: string,
  options: { version?: number; requestedBy?: string } = {},
): Promise<ScratchReport> {
  if (!z.uuid().safeParse(sourceRunId).success)
    throw new AppError(
      "invalid_input",
      "runId: not a run id (a run's id is a UUID, shown on its page)",
    );
  const source = await db.run.findUnique({ where: { id: sourceRunId } });
  if (!source) throw new AppError("not_found", "runId: no such run");
  if (source.mode !== "live")
    throw new AppError(
      "invalid_input",
      "runId: a scratch run is not replayed; replay its source run",
    );
  if (!(TERMINAL_RUN_STATUSES as readonly string[]).includes(source.status))
    throw new AppError(
      "conflict",
      `runId: the run is ${source.status}; replay it once it has ended`,
    );
  const kind = options.version === undefined ? "replay" : "rerun";
  if (kind === "replay" && !(await recordedAnswers(source.id)).some((a) => a.answer)) {
    throw new AppError(
      "invalid_input",
      "runId: this run has no recorded model answers (it ran before they were recorded), so it cannot be replayed hermetically",
    );
  }
  if (kind === "rerun") {
    if (!source.agent || !registry.find(source.agent))
      throw new AppError("invalid_input", "runId: the run was never routed to an agent");
    const exists =
      options.version === 0 ||
      (await db.agentConfig.findUnique({
        where: { agent_version: { agent: source.agent, version: options.version! } },
      }));
    if (!exists)
      throw new AppError(
        "invalid_input",
        `version: ${source.agent} has no settings version ${options.version}`,
      );
  }

  const scratch = await db.$transaction(async (tx) => {
    const run = await tx.run.create({
      data: {
        conversationId: source.conversationId,
        userId: source.userId,
        request: source.request,
        modelProvider: source.modelProvider,
        mode: "replay",
        sourceRunId: source.id,
        deadlineAt: new Date(Date.now() + 600_000),
      },
    });
    await tx.scratchRun.create({
      data: {
        kind,
        runId: run.id,
        sourceRunId: source.id,
        agent: source.agent,
        version: options.version ?? null,
        requestedBy: options.requestedBy ?? null,
      },
    });
    return run;
  });

  const deps = {
    model: modelProvider(),
    workerId: `replay:${process.pid}:${scratch.id}`,
    heartbeat: false,
  };
  for (let i = 0; i < MAX_ADVANCES; i++) {
    if ((await advanceRun(scratch.id, deps)) === "idle") break;
  }
  const [recorded, replayed] = await Promise.all([
    runFacts(source.id, "live"),
    runFacts(scratch.id, "scratch"),
  ]);
  const found =
    kind === "replay" ? divergences(recorded, replayed) : divergences(recorded, replayed, 50);
  await db.scratchRun.update({
    where: { runId: scratch.id },
    data: { divergences: found as unknown as Prisma.InputJsonValue, finishedAt: new Date() },
  });
  return {
    scratchRunId: scratch.id,
    sourceRunId: source.id,
    kind,
    status: replayed.status,
    divergences: found,
  };
}

/** What a run did, for comparison: its trace, its calls, how it ended and the last thing it told (or would have told) the customer. */
export async function runFacts(runId: string, messages: "live" | "scratch"): Promise<RunFacts> {
  const run = await db.run.findUniqueOrThrow({
    where: { id: runId },
    include: {
      events: { orderBy: { seq: "asc" }, select: { kind: true, name: true } },
      toolCalls: {
        orderBy: [{ turn: "asc" }, { createdAt: "asc" }],
        select: { tool: true, argsHash: true, status: true },
      },
    },
  });
  const last =
    messages === "live"
      ? await db.message.findFirst({
          where: { runId, author: "assistant" },
          orderBy: { createdAt: "desc" },
        })
      : await db.scratchMessage.findFirst({ where: { runId }, orderBy: { createdAt: "desc" } });
  return {
    status: run.status,
    statusReason: run.statusReason,
    answer: last?.text ?? null,
    steps: run.events,
    calls: run.toolCalls,
  };
}
