import type { ChatMessage, TextBlock, ToolResultBlock } from "@/lib/model/types";
import { RECALL_TOOL } from "./recall";

// The prompt a model call sees, bounded by the agent's context budget. The pinned request (the
// first message) is never evicted; large tool results are shown as a preview with a reference
// (recalled in full with recall_result); when the whole is still too large, the oldest steps are
// folded into a summary that travels with the pinned request. The run's stored transcript keeps
// everything: only the prompt is compacted.

const LARGE_RESULT_CHARS = 1_500;
const PREVIEW_CHARS = 300;
const SUMMARY_LINES = 20;

/** About four characters a token: an estimate, deliberately on the high side for JSON. */
export const estimateTokens = (value: unknown) => Math.ceil(JSON.stringify(value).length / 3.5);

// A step builds its prompt from the whole transcript; measuring each message once (messages are
// never changed after they are appended) keeps that cost from growing with every step.
const measured = new WeakMap<object, number>();
function jsonLength(message: ChatMessage): number {
  let length = measured.get(message);
  if (length === undefined) measured.set(message, (length = JSON.stringify(message).length));
  return length;
}
/** estimateTokens(messages), from each message's measured length: "[" + messages joined by "," + "]". */
const estimateMessages = (messages: ChatMessage[]) =>
  Math.ceil(
    (2 + messages.reduce((sum, m) => sum + jsonLength(m), 0) + Math.max(0, messages.length - 1)) /
      3.5,
  );

export type Prompt = {
  messages: ChatMessage[];
  estimatedTokens: number;
  foldedSteps: number;
  fits: boolean;
};

export function buildPrompt(
  transcript: ChatMessage[],
  budgetTokens: number,
  fixedTokens: number,
): Prompt {
  const recallIds = new Set(
    transcript.flatMap((m) =>
      m.role === "assistant"
        ? m.content
            .filter((b) => b.type === "tool_use" && b.name === RECALL_TOOL)
            .map((b) => (b as { id: string }).id)
        : [],
    ),
  );
  const withPreviews = transcript.map((m) =>
    m.role === "user" &&
    typeof m.content !== "string" &&
    m.content.some((b) => isPreviewed(b, recallIds))
      ? { ...m, content: m.content.map((b) => preview(b, recallIds)) }
      : m,
  );

  const [pinned, ...steps] = withPreviews;
  if (!pinned) return { messages: [], estimatedTokens: fixedTokens, foldedSteps: 0, fits: true };
  const summary: string[] = [];
  let kept = steps;
  let folded = 0;
  const assemble = (): ChatMessage[] => [withSummary(pinned, summary, folded), ...kept];
  let messages = assemble();
  // Fold the oldest (assistant, user) pair while over budget, keeping at least the last one.
  while (estimateMessages(messages) + fixedTokens > budgetTokens && kept.length > 2) {
    const [assistant, results] = kept;
    summary.push(...summarise(assistant!, results!));
    kept = kept.slice(2);
    folded++;
    messages = assemble();
  }
  const estimatedTokens = estimateMessages(messages) + fixedTokens;
  return { messages, estimatedTokens, foldedSteps: folded, fits: estimatedTokens <= budgetTokens };
}

const isPreviewed = (block: TextBlock | ToolResultBlock, recallIds: Set<string>) =>
  block.type === "tool_result" &&
  block.content.length > LARGE_RESULT_CHARS &&
  !recallIds.has(block.tool_use_id);

function preview(
  block: TextBlock | ToolResultBlock,
  recallIds: Set<string>,
): TextBlock | ToolResultBlock {
  if (block.type !== "tool_result" || !isPreviewed(block, recallIds)) return block;
  return {
    ...block,
    content: `${block.content.slice(0, PREVIEW_CHARS)}… [${block.content.length} characters, stored as ref "${block.tool_use_id}": call ${RECALL_TOOL} with this ref to read it in full]`,
  };
}

function summarise(assistant: ChatMessage, results: ChatMessage): string[] {
  if (
    assistant.role !== "assistant" ||
    results.role !== "user" ||
    typeof results.content === "string"
  )
    return [];
  const answers = results.content;
  return assistant.content.flatMap((b) => {
    if (b.type !== "tool_use") return [];
    const result = answers.find(
      (r): r is ToolResultBlock => r.type === "tool_result" && r.tool_use_id === b.id,
    );
    const outcome = !result ? "no result" : result.is_error ? "failed" : "ok";
    return [`${b.name}(${JSON.stringify(b.input).slice(0, 120)}) → ${outcome} [ref ${b.id}]`];
  });
}

function withSummary(pinned: ChatMessage, summary: string[], folded: number): ChatMessage {
  if (folded === 0 || pinned.role !== "user") return pinned;
  const request =
    typeof pinned.content === "string"
      ? [{ type: "text" as const, text: pinned.content }]
      : pinned.content;
  const shown = summary.slice(-SUMMARY_LINES);
  const omitted = summary.length - shown.length;
  const text = `[Earlier steps, summarised to fit the context${omitted ? `; ${omitted} older calls omitted` : ""}]\n${shown.join("\n")}`;
  return { role: "user", content: [...request, { type: "text", text }] };
}
