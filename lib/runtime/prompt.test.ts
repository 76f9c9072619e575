import { describe, expect, it } from "vitest";
import type { ChatMessage } from "@/lib/model/types";
import { buildPrompt, estimateTokens } from "./prompt";

const step = (i: number, resultChars: number): ChatMessage[] => [
  {
    role: "assistant",
    content: [{ type: "tool_use", id: `toolu_${i}`, name: "lookup_order", input: { order_id: i } }],
  },
  {
    role: "user",
    content: [{ type: "tool_result", tool_use_id: `toolu_${i}`, content: "x".repeat(resultChars) }],
  },
];

describe("buildPrompt's estimate", () => {
  it("is what estimateTokens says of the prompt it built, with results previewed, folded or neither", () => {
    for (const [budget, resultChars] of [
      [1_000_000, 100],
      [1_000_000, 5_000],
      [3_000, 800],
      [2_000, 5_000],
    ] as const) {
      const transcript: ChatMessage[] = [{ role: "user", content: "Look up my orders" }];
      for (let i = 1; i <= 30; i++) {
        transcript.push(...step(i, resultChars));
        // Built again at every step, as the loop does: the measured lengths are reused, never stale.
        const prompt = buildPrompt(transcript, budget, 500);
        expect(prompt.estimatedTokens).toBe(estimateTokens(prompt.messages) + 500);
      }
    }
  });
});
