import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { signedIn } from "@/test/support/signed-in";

// The wrappers are the only way actions are built; they must refuse before running anything.
vi.mock("@/lib/auth/actor", () =>
  import("@/test/support/signed-in").then((m) => m.actorModuleMock()),
);
const { adminAction, reviewerAction, userAction } = await import("@/lib/auth/guards");

const user: Actor = { id: "u", email: "user@example.com", name: "U", role: "user" };
const reviewer: Actor = { id: "r", email: "reviewer@example.com", name: "R", role: "reviewer" };

describe("action wrappers", () => {
  const body = vi.fn(async (_actor: Actor, input: { n: number }) => input.n * 2);
  beforeEach(() => {
    body.mockClear();
    signedIn.actor = null;
  });

  it("refuse anonymous callers without running the action", async () => {
    const result = await userAction(z.object({ n: z.number() }), body)({ n: 1 });
    expect(result).toEqual({
      ok: false,
      error: { code: "unauthenticated", message: "Please sign in again." },
    });
    expect(body).not.toHaveBeenCalled();
  });

  it("refuse the wrong role: an end user cannot call a reviewer action", async () => {
    signedIn.actor = user;
    const result = await reviewerAction(z.object({ n: z.number() }), body)({ n: 1 });
    expect(result).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(body).not.toHaveBeenCalled();
    signedIn.actor = reviewer;
    expect(await adminAction(z.object({ n: z.number() }), body)({ n: 1 })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
  });

  it("validate input, answering with the schema's message", async () => {
    signedIn.actor = reviewer;
    const result = await reviewerAction(
      z.object({ n: z.number({ message: "n must be a number" }) }),
      body,
    )({ n: "x" });
    expect(result).toEqual({
      ok: false,
      error: { code: "invalid_input", message: "n: n must be a number" },
    });
    expect(body).not.toHaveBeenCalled();
  });

  it("name the field when zod's own message does not", async () => {
    signedIn.actor = reviewer;
    const result = await reviewerAction(
      z.object({ limit: z.number().max(50) }),
      async () => 0,
    )({ limit: 99 });
    expect(result).toMatchObject({
      ok: false,
      error: { code: "invalid_input", message: expect.stringMatching(/^limit: Too big/) },
    });
  });

  it("hide unexpected errors behind a generic message", async () => {
    signedIn.actor = reviewer;
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const result = await reviewerAction(z.object({}), async () => {
      throw new Error("connection string postgres://secret@db leaked?");
    })({});
    expect(result).toMatchObject({ ok: false, error: { code: "internal" } });
    expect(JSON.stringify(result)).not.toContain("secret");
    spy.mockRestore();
  });

  it("run the action for the right role", async () => {
    signedIn.actor = reviewer;
    expect(await reviewerAction(z.object({ n: z.number() }), body)({ n: 21 })).toEqual({
      ok: true,
      data: 42,
    });
  });
});
