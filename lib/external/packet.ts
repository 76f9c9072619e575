import type { ExternalAction } from "@/lib/generated/prisma/client";

const PREVIEW_CHARS = 400;

/** One declared input as the packet shows it (the shape of lib/approvals' UntrustedInput, which
 *  reads this packet: named here so external agents do not import approvals back). */
type PacketInput = { source: string; preview: string; flagged: string | null };

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
    untrustedInputs: inputs.map((u): PacketInput => ({
      source: u.source,
      preview: u.text.slice(0, PREVIEW_CHARS),
      flagged: u.flagged,
    })),
  };
}
