// An agent that runs elsewhere, gated by Countersign, in plain fetch (no Countersign code): it
// proposes an irreversible refund, waits for a reviewer (long-poll, and a webhook receiver that
// verifies the Standard Webhooks signature by hand, with node:crypto), "runs" the approved
// arguments, and reports the result with the grant.
//
//   npm run demo                                   # in one terminal
//   # /admin/agents (admin@example.com / countersign-demo): register an external agent with
//   # allowed callback origin http://127.0.0.1:4455, copy its agent key and signing secret
//   COUNTERSIGN_AGENT_KEY=cs_agent_… COUNTERSIGN_SIGNING_SECRET=whsec_… npx tsx scripts/external-agent-example.ts
//   # then approve (or edit, or reject) the refund in /inbox as reviewer@example.com
//
// COUNTERSIGN_URL (default http://localhost:3000) and CALLBACK_PORT (default 4455) override.
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

const base = process.env.COUNTERSIGN_URL ?? "http://localhost:3000";
const key = process.env.COUNTERSIGN_AGENT_KEY;
const secret = process.env.COUNTERSIGN_SIGNING_SECRET;
const callbackPort = Number(process.env.CALLBACK_PORT ?? 4455);
if (!key?.startsWith("cs_agent_")) {
  console.error("Set COUNTERSIGN_AGENT_KEY to an agent key (cs_agent_…) from /admin/agents.");
  process.exit(2);
}

const api = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(`${base}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      ...(init.headers as Record<string, string>),
    },
  });
  const body = await response.json();
  return { status: response.status, body };
};

/** Standard Webhooks: base64 HMAC-SHA256 of `${id}.${timestamp}.${body}` under the secret's bytes. */
function verifySignature(
  headers: Record<string, string | string[] | undefined>,
  body: string,
): boolean {
  if (!secret) return false;
  const id = String(headers["webhook-id"]);
  const timestamp = String(headers["webhook-timestamp"]);
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = createHmac("sha256", Buffer.from(secret.replace(/^whsec_/, ""), "base64"))
    .update(`${id}.${timestamp}.${body}`)
    .digest();
  return String(headers["webhook-signature"])
    .split(" ")
    .some((entry) => {
      const given = Buffer.from(entry.replace(/^v1,/, ""), "base64");
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

const receiver = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
  req.on("end", () => {
    const ok = verifySignature(req.headers, body);
    console.log(`webhook ${ok ? "verified" : "NOT verified"}: ${body.slice(0, 200)}`);
    res.writeHead(ok ? 204 : 401).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(callbackPort, "127.0.0.1", resolve));

const proposal = {
  tool: "issue_refund",
  arguments: { order_id: 1042, amount_cents: 4200, reason: "Parcel arrived damaged" },
  input_schema: {
    type: "object",
    properties: {
      order_id: { type: "integer" },
      amount_cents: { type: "integer", minimum: 1 },
      reason: { type: "string", maxLength: 200 },
    },
    required: ["order_id", "amount_cents", "reason"],
    additionalProperties: false,
  },
  irreversible: true,
  summary: "Refund €42.00 on order 1042",
  confidence: 0.9,
  subject: { id: "cust_1042", email: "ada@example.com" },
  context: { request: "Order 1042 arrived damaged, I want a refund" },
  callback_url: `http://127.0.0.1:${callbackPort}/countersign`,
};
const created = await api("/api/v1/actions", {
  method: "POST",
  headers: { "idempotency-key": randomUUID() },
  body: JSON.stringify(proposal),
});
console.log(`proposed: ${created.status}`, created.body);
if (created.status !== 201) process.exit(1);

let action = created.body as {
  id: string;
  status: string;
  arguments?: Record<string, unknown>;
  grant?: string | null;
  reason?: string | null;
};
while (action.status === "pending") {
  console.log("waiting for a reviewer (long-poll, 60 s at a time)…");
  action = (await api(`/api/v1/actions/${created.body.id}?wait=60`)).body;
}
console.log(`decided: ${action.status}`, action);

if (action.status === "approved" && action.grant) {
  // Run the tool with the approved arguments, never the proposed ones (a reviewer may have edited them).
  const outcome = {
    refund_id: `re_${randomUUID().slice(0, 8)}`,
    amount_cents: action.arguments?.amount_cents,
  };
  const reported = await api(`/api/v1/actions/${action.id}/result`, {
    method: "POST",
    body: JSON.stringify({ grant: action.grant, status: "succeeded", result: outcome }),
  });
  console.log(`reported: ${reported.status}`, reported.body);
  const replay = await api(`/api/v1/actions/${action.id}/result`, {
    method: "POST",
    body: JSON.stringify({ grant: action.grant, status: "succeeded", result: outcome }),
  });
  console.log(`a replay of the report: ${replay.status} (${replay.body.error?.message})`);
} else {
  console.log(`not run: ${action.reason ?? action.status}`);
}
// Give the webhook a moment to arrive before exiting.
await new Promise((resolve) => setTimeout(resolve, 3000));
receiver.close();
