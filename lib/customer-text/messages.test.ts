// Every sentence lib/customer-text can build, for every tool of every agent in the registry and
// every way a parked call can end, reads clean (no cut-off words, tool names, raw errors, HTTP codes
// or raw data). The integration test (test/integration/customer-words.test.ts) reads what real runs
// wrote; this one reads every combination, including those no run in a test reaches.
import { describe, expect, it } from "vitest";
import { CUSTOMER_MESSAGES, HTTP_CUSTOMER_MESSAGES, TOOL_ERROR_KINDS } from "@/lib/agent-kit";
import { registry } from "@/lib/agents";
import { handoffTool } from "@/lib/runtime/handoff";
import { recallTool } from "@/lib/runtime/recall";
import { customerTextProblems } from "./check";
import { describeCall, describeEdit, FALLBACK_DESCRIPTION, INTERNAL_NAMES } from "./describe";
import {
  decisionMessage,
  endingMessage,
  parkedMessage,
  waitingLine,
  type DecidedCall,
} from "./messages";

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/** Arguments for each tool, and an edit of them a reviewer might make. */
const SAMPLES: Record<string, { args: Record<string, unknown>; edited?: Record<string, unknown> }> =
  {
    lookup_order: { args: { order_id: 1042 } },
    list_refunds: { args: { order_id: 1042 } },
    add_order_note: {
      args: { order_id: 1042, text: "Customer asked for a call before any refund." },
      edited: { order_id: 1042, text: "Call first." },
    },
    issue_refund: {
      args: {
        order_id: 1042,
        amount_cents: 8990,
        reason: "Customer reports: Order 1042 arrived broken, I want my money back",
      },
      edited: { order_id: 1042, amount_cents: 4000, reason: "Partial refund agreed" },
    },
    lookup_customer: { args: {} },
    send_password_reset: { args: {} },
    search_policies: { args: { query: "returns of damaged items" } },
    send_email: {
      args: { subject: "Your return label", body: "Hello, here is your return label." },
      edited: { subject: "Your label", body: "Hello again." },
    },
    track_shipment: { args: { order_id: 1043 } },
    reschedule_delivery: {
      args: { order_id: 1043, tracking_number: "TRK-1043", date: inDays(5) },
      edited: { order_id: 1043, tracking_number: "TRK-1043", date: inDays(6) },
    },
    open_ticket: {
      args: {
        tracking_number: "TRK-1043",
        subject: "Parcel damaged",
        description: "The box arrived crushed on one side.",
      },
    },
    get_subscription: { args: {} },
    pause_subscription: { args: { subscription_id: "sub_ada_coffee", months: 2 } },
    cancel_subscription: { args: { subscription_id: "sub_ada_coffee" } },
    issue_credit: {
      args: {
        subscription_id: "sub_ada_coffee",
        amount_cents: 1990,
        reason: "The customer reports being charged twice this month",
      },
      edited: {
        subscription_id: "sub_ada_coffee",
        amount_cents: 1000,
        reason: "The customer reports being charged twice this month",
      },
    },
    hand_off_to_team: { args: { reason: "The customer wants to talk to a person." } },
    recall_result: { args: { ref: "toolu_01" } },
  };

const REASON = "We reset passwords only after a phone call; we will call you today.";
const NOTE = "Only the lid was broken";
const tools = [
  ...registry.agents.flatMap((a) => a.tools.map((tool) => ({ agent: a.name, tool }))),
  ...[handoffTool, recallTool].map((tool) => ({ agent: "runtime", tool })),
];

function variants(
  what: string,
  edit: { change: string | null; note: string | null } | undefined,
): DecidedCall[] {
  const failures = [...Object.values(CUSTOMER_MESSAGES), ...Object.values(HTTP_CUSTOMER_MESSAGES)];
  const approved = (
    extra: Partial<Extract<DecidedCall, { decision: "approved" }>>,
  ): DecidedCall => ({
    decision: "approved",
    what,
    ...extra,
    outcome: extra.outcome ?? "done",
  });
  return [
    { decision: "rejected", what, reason: REASON },
    { decision: "rejected", what, reason: "no" },
    { decision: "expired", what },
    ...[undefined, edit, { change: null, note: NOTE }].flatMap((e) => [
      approved({ edit: e }),
      approved({ edit: e, outcome: "not_run" }),
      ...failures.flatMap((failure) => [
        approved({ edit: e, outcome: "failed", failure, followUp: true }),
        approved({ edit: e, outcome: "failed", failure, followUp: false }),
        approved({ edit: e, outcome: "unconfirmed", failure, followUp: true }),
      ]),
    ]),
  ];
}

describe("every sentence the product can write about a call", () => {
  it("has sample arguments for every tool of every agent", () => {
    expect(tools.map((t) => t.tool.name).filter((name) => !SAMPLES[name])).toEqual([]);
  });

  it("reads clean for every tool and every way its call can end", () => {
    const read: string[] = [];
    const problems: string[] = [];
    const check = (text: string) => {
      read.push(text);
      for (const p of customerTextProblems(text, {
        toolNames: INTERNAL_NAMES,
        quoted: [REASON, NOTE],
      }))
        problems.push(`${p}\n    ${text}`);
    };
    const descriptions: string[] = [];
    for (const { tool } of tools) {
      const sample = SAMPLES[tool.name]!;
      const what = describeCall(tool, sample.args);
      expect(what, tool.name).not.toBe(FALLBACK_DESCRIPTION);
      descriptions.push(what);
      const edit = sample.edited
        ? { change: describeEdit(tool, sample.args, sample.edited), note: NOTE }
        : undefined;
      for (const call of variants(what, edit)) check(decisionMessage(call));
      check(parkedMessage([what]));
      check(waitingLine([what])!);
    }
    check(parkedMessage(descriptions.slice(0, 2)));
    check(waitingLine(descriptions.slice(0, 2))!);
    check(waitingLine(descriptions)!);
    for (const ending of ["terminated", "escalated", "failed", "paused"] as const) {
      check(endingMessage(ending, { done: [], unknown: [], notDone: [] }));
      check(
        endingMessage(ending, {
          done: descriptions.slice(0, 2),
          unknown: descriptions.slice(2, 3),
          notDone: descriptions.slice(3, 5),
        }),
      );
    }
    console.log(
      `customer-text: ${read.length} sentences built for ${tools.length} tools and ${TOOL_ERROR_KINDS.length} error kinds; ${problems.length} problems`,
    );
    expect(problems).toEqual([]);
  });

  it("says what a reviewer changed, and nothing when an edit changes nothing the customer gets", () => {
    const tool = (name: string) => tools.find((t) => t.tool.name === name)!.tool;
    expect(
      describeEdit(tool("issue_refund"), SAMPLES.issue_refund!.args, SAMPLES.issue_refund!.edited),
    ).toBe("set the refund to €40.00 instead of €89.90");
    expect(
      describeEdit(tool("issue_refund"), SAMPLES.issue_refund!.args, {
        ...SAMPLES.issue_refund!.args,
        reason: "Another reason",
      }),
    ).toBeNull();
    expect(
      describeEdit(
        tool("add_order_note"),
        SAMPLES.add_order_note!.args,
        SAMPLES.add_order_note!.edited,
      ),
    ).toMatch(/^changed it to a note on order 1042 for our team instead of/);
  });

  it("never shows a tool's own words when they break the rules, nor when its arguments do not parse", () => {
    const leaky = {
      ...tools[0]!.tool,
      name: "leaky_tool",
      describeForCustomer: () => "leaky_tool on 2026-12-18",
    };
    expect(describeCall(leaky, SAMPLES.lookup_order!.args)).toBe(FALLBACK_DESCRIPTION);
    expect(
      describeCall(tools.find((t) => t.tool.name === "issue_refund")!.tool, { order_id: "x" }),
    ).toBe(FALLBACK_DESCRIPTION);
    expect(describeCall(undefined, {})).toBe(FALLBACK_DESCRIPTION);
  });
});
