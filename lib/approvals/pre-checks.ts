import "server-only";
import { z } from "zod";
import { agentConfig, type Subject } from "@/lib/agent-kit";
import { registry } from "@/lib/agents";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { alsoPendingOf } from "./related";

// A tool's pre-check (ToolSpec.preCheck) looks at the world before a human decides: when the packet
// opens, and again at decision time, where an approval that does not acknowledge every warning the
// pre-check gives *now* is refused. Acknowledged means: the same words, so a warning that changed
// since the reviewer read it (another refund paid meanwhile) must be read again.

// A pre-check that takes longer than this is reported as not done rather than holding the decision.
const PRE_CHECK_TIMEOUT_MS = 3000;

/** What a decision may carry: the warnings the reviewer acknowledged, word for word. */
export const acknowledgedWarnings = z.array(z.string().max(1000)).max(20).optional();

export type PreCheckResult = { warnings: string[] };

/** What a pre-check needs of its approval, read once by whoever asks (a decision already has it). */
export type PreCheckItem = {
  id: string;
  agent: string;
  tool: string;
  status: string;
  proposedArguments: unknown;
  proposedAt: Date;
  /** Proposed by an agent that runs elsewhere (lib/external): no pre-check of ours. */
  external: boolean;
  /** The customer the run acts for. */
  subject: Subject;
  /** The other pending calls' arguments (related.ts alsoPendingArguments), when read with the item; else read here. */
  alsoPending?: unknown[];
};

/** The warnings of an approval's pre-check, for the arguments a reviewer is about to approve. */
export async function preCheckWarnings(
  approvalId: string,
  args?: Record<string, unknown>,
): Promise<string[]> {
  const approval = await db.approval.findUnique({
    where: { id: approvalId },
    select: {
      id: true,
      agent: true,
      tool: true,
      status: true,
      proposedArguments: true,
      createdAt: true,
      run: {
        select: { user: { select: { id: true, email: true, name: true } }, modelProvider: true },
      },
    },
  });
  if (!approval) return [];
  return warningsOf(
    {
      ...approval,
      proposedAt: approval.createdAt,
      external: approval.run.modelProvider === "external",
      subject: approval.run.user,
    },
    args,
  );
}

/** The pre-check of an approval already read, for its proposed arguments or a reviewer's edit. */
async function warningsOf(item: PreCheckItem, args?: Record<string, unknown>): Promise<string[]> {
  // External agents' calls bring no pre-check of ours (lib/external); decided items need none.
  if (item.status !== "pending" || item.external) return [];
  const agent = registry.find(item.agent);
  const tool = registry.tool(item.agent, item.tool);
  if (!agent || !tool?.preCheck) return [];
  const parsed = tool.input.safeParse(args ?? item.proposedArguments);
  if (!parsed.success) return [];
  const { subject } = item;
  try {
    const deps = agent.createDeps(subject, { mode: "live", config: agentConfig(agent) as never });
    const alsoPending = item.alsoPending ?? (await alsoPendingOf(item.id));
    const pendingInputs = alsoPending.flatMap((other) => {
      const read = tool.input.safeParse(other);
      return read.success ? [read.data] : [];
    });
    return await tool.preCheck(parsed.data as never, {
      subject,
      deps,
      proposedAt: item.proposedAt,
      alsoPending: pendingInputs as never[],
      signal: AbortSignal.timeout(PRE_CHECK_TIMEOUT_MS),
    });
  } catch (error) {
    log.scoped("pre-check").warn("pre-check failed", { agent: item.agent, tool: item.tool, error });
    return [
      "The live check of this call could not run just now; check the facts yourself before approving.",
    ];
  }
}

type Decision = {
  decision: "approve" | "reject" | "edit";
  arguments?: Record<string, unknown>;
  acknowledgedWarnings?: string[];
};

/**
 * At decision time: an approval (or an edit) is refused while its pre-check gives a warning the
 * reviewer has not acknowledged, naming the warnings. A rejection needs no pre-check. The item
 * comes as the decision read it, the other pending calls included, so the check reads only the
 * tool's own system.
 */
export async function checkBeforeDecision(item: PreCheckItem, input: Decision): Promise<void> {
  if (input.decision === "reject") return;
  const warnings = await warningsOf(item, input.decision === "edit" ? input.arguments : undefined);
  const acknowledged = new Set(input.acknowledgedWarnings ?? []);
  const unacknowledged = warnings.filter((w) => !acknowledged.has(w));
  if (unacknowledged.length === 0) return;
  throw new AppError(
    "conflict",
    `Nothing was decided: acknowledge ${unacknowledged.length === 1 ? "this warning" : "these warnings"} first: ${unacknowledged.join("; ")}.`,
    { warnings: unacknowledged },
  );
}
