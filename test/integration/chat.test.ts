import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { chatView } from "@/lib/chat/service";
import { db } from "@/lib/db";

describe("the chat thread", () => {
  it("shows the newest 200 messages, oldest first, however long the conversation", async () => {
    const user = await db.user.create({
      data: {
        email: `chat-${randomUUID().slice(0, 8)}@example.test`,
        name: "Long Thread",
        passwordHash: "not-a-login",
        role: "user",
      },
    });
    const conversation = await db.conversation.create({ data: { userId: user.id } });
    const start = Date.now() - 3_600_000;
    await db.message.createMany({
      data: Array.from({ length: 250 }, (_, i) => ({
        conversationId: conversation.id,
        author: i % 2 ? ("assistant" as const) : ("user" as const),
        text: `message ${i}`,
        createdAt: new Date(start + i * 1000),
      })),
    });
    const { messages } = await chatView({
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
    });
    expect(messages).toHaveLength(200);
    expect(messages[0]?.text).toBe("message 50");
    expect(messages.at(-1)?.text).toBe("message 249");
    // Each message's time as the instant it was written, in UTC, whatever the server's zone.
    expect(messages.at(-1)?.createdAt).toBe(new Date(start + 249_000).toISOString());
    expect(messages[0]?.createdAt).toBe(new Date(start + 50_000).toISOString());
  });

  it("lists the live runs still in flight, and no scratch run of the same conversation", async () => {
    const user = await db.user.create({
      data: {
        email: `chat-${randomUUID().slice(0, 8)}@example.test`,
        name: "In Flight",
        passwordHash: "not-a-login",
        role: "user",
      },
    });
    const conversation = await db.conversation.create({ data: { userId: user.id } });
    const run = (mode: "live" | "replay", status: "queued" | "completed") =>
      db.run.create({
        data: {
          conversationId: conversation.id,
          userId: user.id,
          request: "Where is my parcel?",
          modelProvider: "offline-demo",
          deadlineAt: new Date(Date.now() + 60_000),
          mode,
          status,
        },
      });
    const waiting = await run("live", "queued");
    await run("live", "completed");
    await run("replay", "queued");
    const view = await chatView({
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
    });
    expect(view.pending).toEqual([{ runId: waiting.id, status: "queued" }]);
    expect(view.waitingLine).toBeNull();
  });
});
