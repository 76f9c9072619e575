import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import bcrypt from "bcryptjs";
import { withDatabase } from "./database";
import { askInChat, openInboxItem, parkedMessage, PASSWORD, personaPage } from "./helpers";

// The customer's thread is pushed, not polled: the agent's answer and a reviewer's decision reach
// it through the page's stream (GET /api/stream, Server-Sent Events). The chat re-reads its
// thread (GET /api/chat) only when the stream says it changed: every such request here must
// follow a stream event within a moment, which a poll on a timer would not.

const customer = {
  email: `live-${randomUUID().slice(0, 8)}@example.com`,
  id: `cus_l${randomUUID().slice(0, 8)}`,
};
const ORDER = 5000 + Math.floor(Math.random() * 900);
/** The chat's poll while its stream is up (components/chat/chat-thread.tsx). */
const SAFETY_NET_MS = 30_000;

test.beforeAll(async () => {
  const hash = await bcrypt.hash(PASSWORD, 4);
  await withDatabase(async (client) => {
    await client.query(
      `insert into users (id, email, name, password_hash, role) values (gen_random_uuid(), $1, 'Lena Live', $2, 'user')`,
      [customer.email, hash],
    );
    await client.query(
      `insert into shop_customers (id, email, name) values ($1, $2, 'Lena Live')`,
      [customer.id, customer.email],
    );
    await client.query(
      `insert into shop_orders (id, customer_id, status, total_cents, items, placed_at) values ($1, $2, 'delivered', 4990, '[{"sku":"LAMP-01","qty":1}]', now())`,
      [ORDER, customer.id],
    );
  });
});

/** Records when the page's stream delivered an event and when it asked for its thread (in this process's clock). */
async function watchTraffic(page: Page) {
  const streamEvents: number[] = [];
  const threadReads: number[] = [];
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  cdp.on("Network.eventSourceMessageReceived", () => streamEvents.push(Date.now()));
  page.on("request", (request) => {
    if (request.method() === "GET" && new URL(request.url()).pathname === "/api/chat")
      threadReads.push(Date.now());
  });
  return {
    /** Thread reads since `from` that no stream event came just before: polls. */
    pollsSince: (from: number) =>
      threadReads.filter(
        (at) => at >= from && !streamEvents.some((e) => e <= at && at - e < 1_000),
      ),
    /**
     * While the stream is up the chat still polls, as a safety net, every 30 s: at most that many
     * polls since `from` (the 1 s poll of a chat without its stream would make one a second).
     */
    safetyNetPolls: (from: number) => Math.ceil((Date.now() - from) / SAFETY_NET_MS),
    streamEventsSince: (from: number) => streamEvents.filter((at) => at >= from).length,
  };
}

test("the agent's answer and a reviewer's decision reach the customer's thread through the stream, not a poll", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const page = await personaPage(browser, customer.email);
  const traffic = await watchTraffic(page);
  const streamOpened = page.waitForRequest(
    (request) => new URL(request.url()).pathname === "/api/stream",
  );
  await page.goto("/chat");
  await streamOpened;
  await expect.poll(() => traffic.streamEventsSince(0)).toBeGreaterThan(0); // the stream's "ready"

  const asked = Date.now();
  await askInChat(page, `Order ${ORDER} arrived broken, I want my money back`);
  await expect(parkedMessage(page, ORDER)).toBeVisible({ timeout: 30_000 });
  expect(traffic.streamEventsSince(asked)).toBeGreaterThan(0);
  expect(traffic.pollsSince(asked)).toEqual([]);

  const reviewer = await personaPage(browser, "reviewer@example.com");
  await openInboxItem(reviewer, ORDER);
  const decided = Date.now();
  await reviewer.getByRole("button", { name: "Approve" }).dblclick();
  await expect(reviewer.getByRole("status").first()).toContainText(/approved/i);
  // No reload: the decision and what came of it arrive in the open thread.
  await expect(
    page.getByText(
      new RegExp(`^Our team approved a refund of €49\\.90 for order ${ORDER}, and it's done`),
    ),
  ).toBeVisible({ timeout: 30_000 });
  expect(traffic.streamEventsSince(decided)).toBeGreaterThan(0);
  // The reviewer's sign-in and decision may outlast the chat's 30 s safety-net poll on a busy machine.
  expect(traffic.pollsSince(decided).length).toBeLessThanOrEqual(traffic.safetyNetPolls(decided));
});

test("a message typed while the previous send is still answering is kept, not wiped when that send returns", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const page = await personaPage(browser, customer.email);
  await page.goto("/chat");
  // The send's own response is held back until the next message is typed: the answer comes on
  // the stream first, as it can on a busy server, and the customer starts typing.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => url.pathname === "/chat",
    async (route) => {
      if (route.request().method() !== "POST") return route.fallback();
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
    },
  );
  await askInChat(page, `Where is order ${ORDER}?`);
  await expect(page.getByLabel("Message")).toHaveValue("");
  await expect(page.getByText(`Where is order ${ORDER}?`)).toBeVisible({ timeout: 30_000 });
  await page.getByLabel("Message").fill("And thank you");
  release();
  await expect(page.getByRole("button", { name: "Send" })).toBeEnabled();
  await expect(page.getByLabel("Message")).toHaveValue("And thank you");
  await page.unrouteAll({ behavior: "ignoreErrors" });
});
