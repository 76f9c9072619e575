import { describe, expect, it } from "vitest";
import { ToolError } from "@/lib/agent-kit";
import { withDeadline } from "./tool-calls";

describe("withDeadline", () => {
  it("aborts the attempt's signal at the deadline, with the timeout as its reason", async () => {
    let seen: AbortSignal | undefined;
    const stalled = withDeadline((signal) => {
      seen = signal;
      return new Promise(() => {});
    }, 50);
    const error = await stalled.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as ToolError).kind).toBe("timeout");
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBe(error);
  });

  it("leaves the signal alone when the attempt answers in time", async () => {
    let seen: AbortSignal | undefined;
    const answer = await withDeadline(async (signal) => {
      seen = signal;
      return "ok";
    }, 1_000);
    expect(answer).toBe("ok");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen?.aborted).toBe(false);
  });

  it("turns a tool that throws before returning a promise into a rejection", async () => {
    const error = await withDeadline(() => {
      throw new ToolError("invalid_arguments", "bad");
    }, 1_000).catch((e: unknown) => e);
    expect((error as ToolError).kind).toBe("invalid_arguments");
  });
});
