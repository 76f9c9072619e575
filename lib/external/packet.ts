import type { ExternalAction } from "@/lib/generated/prisma/client";
import type { UntrustedInput } from "@/lib/approvals/untrusted-inputs";

const PREVIEW_CHARS = 400;

/**
 * What a reviewer's packet shows of an external action that the run's own records cannot say:
 * the agent's input_schema (the edit form), its summary, whom it acts for, and the untrusted
 * inputs it declared, each with the runtime's instruction-like flag.
 */
export function externalPacketParts(action: ExternalAction) {
  const subject = action.subject as { id?: string; email?: string } | null;
  const inputs = action.untrustedInputs as {
    source: string;
    text: string;
    flagged: string | null;
  }[];
  return {
    toolDescription: action.summary ?? "",
    inputSchema: (action.inputSchema as Record<string, unknown> | null) ?? {
      type: "object",
      properties: {},
    },
    summary: action.summary ?? null,
    requestedBy: subject?.email ?? subject?.id ?? null,
    untrustedInputs: inputs.map((u): UntrustedInput => ({
      source: u.source,
      preview: u.text.slice(0, PREVIEW_CHARS),
      flagged: u.flagged,
    })),
  };
}
