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
  });
});
