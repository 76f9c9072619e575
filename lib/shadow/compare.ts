import "server-only";
import { db } from "@/lib/db";
import { stableHash } from "@/lib/idempotency/hash";
import { describeCall } from "@/lib/replay/session";

// /evals/shadow: each sampled live run beside its shadow run. What matters for promoting the
// candidate: the same intent, the same irreversible calls with the same arguments, how the
// answers differ, and what each cost in tokens, dollars and time.

export type ShadowSide = {
  runId: string;
  status: string;
  intent: string | null;
  agentVersion: number | null;
  irreversible: string[];
  answer: string | null;
  tokens: number;
  costMicros: number;
  latencyMs: number | null;
};

export type ShadowComparison = {
  shadowRunId: string;
  agent: string | null;
  version: number | null;
  request: string;
  at: string;
  live: ShadowSide;
  shadow: ShadowSide;
  sameIntent: boolean;
  sameIrreversibleCalls: boolean;
  sameAnswer: boolean;
};

type RunWithCalls = {
  id: string;
  status: string;
  intent: string | null;
  agentVersion: number | null;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  createdAt: Date;
  finishedAt: Date | null;
  toolCalls: { tool: string; arguments: unknown; irreversible: boolean }[];
};

function side(run: RunWithCalls, answer: string | null): ShadowSide {
  return {
    runId: run.id,
    status: run.status,
    intent: run.intent,
    agentVersion: run.agentVersion,
    // Proposed, whatever became of them: the live run's may wait for a reviewer, the shadow's are "would call".
    irreversible: run.toolCalls
      .filter((c) => c.irreversible)
      .map((c) => describeCall(c.tool, c.arguments)),
    answer,
    tokens: run.inputTokens + run.outputTokens,
    costMicros: run.costMicros,
    latencyMs: run.finishedAt ? run.finishedAt.getTime() - run.createdAt.getTime() : null,
  };
}

const irreversibleKey = (run: RunWithCalls) =>
  run.toolCalls
    .filter((c) => c.irreversible)
    .map((c) => `${c.tool}:${stableHash(c.arguments)}`)
    .sort()
    .join("|");

const runSelect = {
  id: true,
  status: true,
  intent: true,
  agentVersion: true,
  inputTokens: true,
  outputTokens: true,
  costMicros: true,
  createdAt: true,
  finishedAt: true,
  request: true,
  toolCalls: {
    select: { tool: true, arguments: true, irreversible: true },
    orderBy: { createdAt: "asc" as const },
  },
};

/** The newest shadow runs with their live runs, optionally of one agent. */
export async function shadowComparisons(
  options: { agent?: string; limit?: number } = {},
): Promise<ShadowComparison[]> {
  const scratch = await db.scratchRun.findMany({
    where: { kind: "shadow", ...(options.agent && { agent: options.agent }) },
    orderBy: { createdAt: "desc" },
    take: options.limit ?? 50,
  });
  const ids = scratch.flatMap((s) => [s.runId, s.sourceRunId]);
  const [runs, liveAnswers, shadowAnswers] = await Promise.all([
    db.run.findMany({ where: { id: { in: ids } }, select: runSelect }),
    db.message.findMany({
      where: { runId: { in: scratch.map((s) => s.sourceRunId) }, author: "assistant" },
      orderBy: { createdAt: "asc" },
    }),
    db.scratchMessage.findMany({
      where: { runId: { in: scratch.map((s) => s.runId) } },
      orderBy: { createdAt: "asc" },
    }),
  ]);
  const byId = new Map(runs.map((r) => [r.id, r]));
  const lastText = (rows: { runId: string | null; text: string }[], runId: string) =>
    rows.filter((r) => r.runId === runId).at(-1)?.text ?? null;
  return scratch.flatMap((s) => {
    const live = byId.get(s.sourceRunId);
    const shadow = byId.get(s.runId);
    if (!live || !shadow) return [];
    const liveSide = side(live, lastText(liveAnswers, live.id));
    const shadowSide = side(shadow, lastText(shadowAnswers, shadow.id));
    return [
      {
        shadowRunId: shadow.id,
        agent: s.agent,
        version: s.version,
        request: live.request,
        at: s.createdAt.toISOString(),
        live: liveSide,
        shadow: shadowSide,
        sameIntent: live.intent === shadow.intent,
        sameIrreversibleCalls: irreversibleKey(live) === irreversibleKey(shadow),
        sameAnswer: (liveSide.answer ?? "") === (shadowSide.answer ?? ""),
      },
    ];
  });
}
