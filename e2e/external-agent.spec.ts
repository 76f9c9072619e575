// An agent that runs elsewhere, played by a plain `fetch` program: an admin registers it in the
// browser, it proposes an irreversible refund (201 pending), a reviewer edits and approves it in the
// browser, its long-poll returns the edited arguments and a grant, its webhook receiver gets a
// correctly signed event (verified with `standardwebhooks`), it reports the result, and the run's
// page shows proposed, approved and executed arguments. A replay of the report is a 409.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { personaPage } from "./helpers";

type Hook = { headers: Record<string, string>; body: string };

test("an external agent proposes, a reviewer edits and approves, the agent runs it and reports once", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const hooks: Hook[] = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      hooks.push({
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        body,
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const receiverOrigin = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  try {
    // The admin registers the agent; its signing secret and first key are shown once.
    const name = `refund-bot-${randomUUID().slice(0, 6)}`;
    const admin = await personaPage(browser, "admin@example.com");
    await admin.goto("/admin/agents");
    const form = admin.getByRole("form", { name: "Register an external agent" });
    await form.getByRole("textbox", { name: /^Name/ }).fill(name);
    await form.getByLabel("Description").fill("Refunds agent running on another platform");
    await form.getByLabel("Allowed callback origins").fill(receiverOrigin);
    await form
      .getByLabel("Tool policies")
      .fill("lookup_order: auto\nissue_refund: require_approval");
    await form.getByRole("button", { name: "Register external agent" }).click();
    const shown = form.getByRole("region", { name: "Shown once" });
    await expect(shown).toBeVisible();
    const secret = (await shown.getByLabel("Signing secret").textContent())!.trim();
    const key = (await shown.getByLabel("Agent key").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    expect(key).toMatch(/^cs_agent_/);
    await expect(admin.getByRole("listitem", { name })).toBeVisible();

    // The agent: plain fetch, nothing of Countersign's.
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${baseURL}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${key}`,
          "content-type": "application/json",
          ...(init.headers as Record<string, string>),
        },
      });
    const order = 90000 + Math.floor(Math.random() * 9999);
    const proposal = {
      tool: "issue_refund",
      arguments: { order_id: order, amount_cents: 4200, reason: "Parcel arrived damaged" },
      input_schema: {
        type: "object",
        properties: {
          order_id: { type: "integer" },
          amount_cents: { type: "integer", minimum: 1, maximum: 100000 },
          reason: { type: "string", maxLength: 200 },
        },
        required: ["order_id", "amount_cents", "reason"],
        additionalProperties: false,
      },
      irreversible: true,
      summary: `Refund €42.00 on order ${order}`,
      confidence: 0.9,
      rationale: "The customer sent photos of the damage.",
      subject: { id: "cust_77", email: "ada@example.com" },
      context: {
        request: `Order ${order} arrived damaged, I want a refund`,
        untrusted_inputs: [{ source: "customer email", text: "The box was crushed." }],
      },
      trace: [{ kind: "tool_call", name: "looked up the order", data: { order_id: order } }],
      callback_url: `${receiverOrigin}/countersign`,
    };
    const created = await api("/api/v1/actions", {
      method: "POST",
      headers: { "idempotency-key": randomUUID() },
      body: JSON.stringify(proposal),
    });
    expect(created.status).toBe(201);
    const { id, status, reasons } = await created.json();
    expect(status).toBe("pending");
    expect(reasons).toContain("irreversible");

    // It waits the way an agent would: long-polls until the decision.
    const decided = (async () => {
      for (;;) {
        const view = await (await api(`/api/v1/actions/${id}?wait=30`)).json();
        if (view.status !== "pending") return view;
      }
    })();

    // A reviewer edits the amount and approves, in the browser.
    const reviewer = await personaPage(browser, "reviewer@example.com");
    await reviewer.goto("/inbox");
    await reviewer
      .getByRole("row", { name: new RegExp(`order ${order}\\b`) })
      .getByRole("link", { name: new RegExp(`order ${order}\\b`) })
      .click();
    // The inbox shows a packet beside the list too: wait for the item's own page.
    await expect(reviewer).toHaveURL(/\/inbox\/[0-9a-f-]{36}$/);
    await expect(reviewer.getByRole("heading", { name: "Proposed call" })).toBeVisible();
    await expect(
      reviewer.getByText(`ada@example.com · proposed by the external agent ${name}`),
    ).toBeVisible();
    await reviewer.getByRole("button", { name: "Edit", exact: true }).click();
    const edit = reviewer.getByRole("form", { name: "Edit the call" });
    // An amount in cents is edited as money: 30.00 EUR is stored as 3000 cents.
    await edit.getByLabel("amount_cents").fill("30.00");
    await edit.getByRole("button", { name: "Approve edited call" }).click();
    // Two lines may say so at once: the answer to the click, and the refreshed packet's "Approved
    // with edited arguments" (a busy machine let the refresh in first, and strict mode failed).
    await expect(
      reviewer
        .getByRole("region", { name: "Decision", exact: true })
        .getByText(/Approved/)
        .first(),
    ).toBeVisible();

    const view = await decided;
    expect(view).toMatchObject({
      id,
      status: "approved",
      edited: true,
      decided_by: "reviewer@example.com",
      arguments: { order_id: order, amount_cents: 3000 },
    });
    expect(view.grant).toMatch(/^csg_/);

    // Its webhook receiver got the decision, signed per Standard Webhooks with its secret.
    await expect.poll(() => hooks.length, { timeout: 30_000 }).toBeGreaterThan(0);
    const event = new Webhook(secret).verify(hooks[0]!.body, hooks[0]!.headers) as {
      type: string;
      data: { id: string; grant: string; arguments: { amount_cents: number } };
    };
    expect(event).toMatchObject({
      type: "action.approved",
      data: { id, grant: view.grant, arguments: { amount_cents: 3000 } },
    });
    expect(() =>
      new Webhook(secret).verify(hooks[0]!.body.replace("3000", "9000"), hooks[0]!.headers),
    ).toThrow();

    // It runs the approved call (elsewhere) and reports, once.
    const result = { grant: view.grant, status: "succeeded", result: { refund_id: `re_${order}` } };
    const reported = await api(`/api/v1/actions/${id}/result`, {
      method: "POST",
      body: JSON.stringify(result),
    });
    expect(reported.status).toBe(200);
    const replay = await api(`/api/v1/actions/${id}/result`, {
      method: "POST",
      body: JSON.stringify(result),
    });
    expect(replay.status).toBe(409);
    expect((await (await api(`/api/v1/actions/${id}`)).json()).status).toBe("completed");

    // The run's page: proposed, approved and executed arguments.
    await reviewer.reload();
    await reviewer.getByRole("link", { name: "Open the run" }).click();
    await expect(reviewer).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
    const provenance = reviewer.getByRole("group", {
      name: "Arguments of the call: proposed, approved, executed",
    });
    await expect(provenance.getByRole("region", { name: "Proposed arguments" })).toContainText(
      '"amount_cents": 4200',
    );
    await expect(provenance.getByRole("region", { name: "Approved arguments" })).toContainText(
      '"amount_cents": 3000',
    );
    await expect(provenance.getByRole("region", { name: "Executed arguments" })).toContainText(
      '"amount_cents": 3000',
    );
    await expect(
      reviewer.getByText(/issue_refund · succeeded \(reported by/).first(),
    ).toBeVisible();
  } finally {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
});
