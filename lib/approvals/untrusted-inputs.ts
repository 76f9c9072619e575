import type { ToolCall, TraceEvent } from "@/lib/generated/prisma/client";
import { FLAGGED_EVENT } from "@/lib/runtime/injection";

export type UntrustedInput = {
  source: string;
  preview: string;
  /** The excerpt that read like instructions, when the runtime flagged it. */
  flagged: string | null;
};

const PREVIEW_CHARS = 400;

/**
 * What the model had read, from outside the system's own words, when it proposed this call: the
 * customer's message and every tool result of earlier turns. Shown so a reviewer can judge
 * whether the proposal was steered by the data it saw.
 */
export function untrustedInputs(
  request: string,
  proposal: Pick<ToolCall, "turn">,
  calls: Pick<ToolCall, "id" | "tool" | "turn" | "status" | "result">[],
  events: Pick<TraceEvent, "name" | "toolCallId" | "data">[],
): UntrustedInput[] {
  const flags = events.filter((e) => e.name === FLAGGED_EVENT);
  const excerpt = (match: (e: (typeof flags)[number]) => boolean) => {
    const event = flags.find(match);
    return event ? String((event.data as { excerpt?: unknown }).excerpt ?? "") : null;
  };
  const seen = calls
    .filter((c) => c.turn < proposal.turn && c.status === "succeeded")
    .map((c) => ({
      source: `${c.tool} result`,
      preview: JSON.stringify(c.result).slice(0, PREVIEW_CHARS),
      flagged: excerpt((e) => e.toolCallId === c.id),
    }));
  return [
    {
      source: "customer message",
      preview: request.slice(0, PREVIEW_CHARS),
      flagged: excerpt((e) => e.toolCallId === null),
    },
    ...seen,
  ];
}
