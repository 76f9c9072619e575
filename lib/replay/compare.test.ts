import { describe, expect, it } from "vitest";
import { divergences, type RunFacts } from "./compare";

const run = (over: Partial<RunFacts> = {}): RunFacts => ({
  status: "completed",
  statusReason: null,
  answer: "Done",
  steps: [
    { kind: "routing", name: "refund_request → refunds (settings v0)" },
    { kind: "transition", name: "routing → running" },
    { kind: "policy", name: "needs approval · issue_refund" },
    { kind: "decision", name: "approved by reviewer@example.com" },
    { kind: "tool_call", name: "issue_refund · succeeded" },
  ],
  calls: [{ tool: "issue_refund", argsHash: "abc", status: "succeeded" }],
  ...over,
});

describe("divergences", () => {
  it("finds none between a run and itself, whatever the waiting steps", () => {
    const replayed = run();
    replayed.steps = replayed.steps.filter((s) => s.kind !== "transition");
    expect(divergences(run(), replayed)).toEqual([]);
  });

  it("names the first step where the behaviour differs, the calls and the ending", () => {
    const replayed = run({
      status: "terminated",
      statusReason: "loop: repeated_call",
      answer: "I had to stop",
      steps: [
        { kind: "routing", name: "refund_request → refunds (settings v0)" },
        { kind: "policy", name: "auto · issue_refund" },
      ],
      calls: [],
    });
    const found = divergences(run(), replayed);
    expect(found[0]).toEqual({
      at: "trace step 2 of 3 recorded / 2 replayed",
      recorded: "policy · needs approval · issue_refund",
      replayed: "policy · auto · issue_refund",
    });
    expect(found.map((d) => d.at)).toEqual([
      "trace step 2 of 3 recorded / 2 replayed",
      "tool call 1",
      "ending",
      "answer",
    ]);
  });
});
