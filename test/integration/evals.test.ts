// The eval suites on the offline model, hermetic: every suite of the refunds agent passes on the
// active version; a deliberately worse version (one that may not look the order up) fails the
// behavioural suite, the regressions are named, and `npm run eval` exits non-zero naming them.
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultSettings, saveSettings } from "@/lib/agent-settings/settings";
import { db } from "@/lib/db";
import { runEvals } from "@/lib/evals/run";
import { decideApproval } from "@/lib/approvals/decide";
import { startTurn } from "@/lib/chat/service";
import { addCaseFromApproval } from "@/lib/evals/record";
import { stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { freshOrder } from "../support/orders";
import { actorFor } from "../support/actors";

process.env.COUNTERSIGN_EVAL_PG_PORT ??= String(Number(process.env.TEST_PG_PORT ?? 25433) + 4);
process.env.COUNTERSIGN_EVAL_DATA_DIR ??= ".data/test-eval-pg";

let worseVersion = 0;

beforeAll(async () => {
  const admin = await actorFor("admin@example.com");
  const defaults = defaultSettings("refunds");
  const worse = await saveSettings(
    admin,
    {
      agent: "refunds",
      settings: { ...defaults, toolPolicies: { ...defaults.toolPolicies, lookup_order: "deny" } },
      reason: "test: a version that forgets to look the order up",
    },
    undefined,
    { activate: false },
  );
  worseVersion = worse.version;
});

afterAll(async () => {
  await stopBoss();
});

describe("eval suites", () => {
  it("passes every refunds suite on the active version, with no effect on this database's shop", async () => {
    const refundsBefore = await db.refund.count();
    // The file suites: cases recorded from decisions (by other tests in this database) fail on the
    // version that produced them, by design, so they are not part of this claim.
    const report = await runEvals({
      agent: "refunds",
      suites: ["golden", "behavioural", "adversarial"],
      trigger: "test",
    });
    expect(report.cases.filter((c) => !c.passed).map((c) => [c.key, c.failures])).toEqual([]);
    expect(report.suites).toEqual(["golden", "behavioural", "adversarial"]);
    expect(report.passed).toBeGreaterThanOrEqual(11);
    expect(report.modelProvider).toBe("offline-demo");
    // The cases refunded and parked things, in the scratch database only.
    expect(await db.refund.count()).toBe(refundsBefore);
    const recorded = await db.evalRun.findUniqueOrThrow({
      where: { id: report.id },
      include: { cases: true },
    });
    expect(recorded).toMatchObject({
      agent: "refunds",
      status: "finished",
      failed: 0,
      trigger: "test",
    });
    expect(recorded.cases).toHaveLength(report.cases.length);
  }, 180_000);

  it("fails the behavioural suite on a worse version: npm run eval exits non-zero, naming the cases", async () => {
    const cli = spawnSync(
      process.execPath,
      [
        "node_modules/tsx/dist/cli.mjs",
        "--conditions=react-server",
        "scripts/eval.ts",
        "--agent",
        "refunds",
        "--suite",
        "behavioural",
        "--version",
        String(worseVersion),
      ],
      {
        env: { ...process.env },
        encoding: "utf8",
        timeout: 170_000,
      },
    );
    expect(cli.status, cli.stderr).toBe(1);
    expect(cli.stdout).toMatch(/behavioural\/looks-order-up-before-refund\s+(REGRESSION|fail)/);
    expect(cli.stdout).toMatch(/Regressions \(\d+\): .*behavioural\/looks-order-up-before-refund/);
    expect(cli.stdout).toMatch(/tokens · \$0\.0000 · [\d.]+ s/);

    // Recorded: the run of that version, its regressions and each case's failures in words.
    const recorded = await db.evalRun.findFirstOrThrow({
      where: { agent: "refunds", version: worseVersion },
      orderBy: { createdAt: "desc" },
      include: { cases: true },
    });
    expect(recorded.regressions).toEqual(
      expect.arrayContaining([
        "behavioural/looks-order-up-before-refund",
        "behavioural/refund-confirmation-has-reference",
      ]),
    );
    const looks = recorded.cases.find((c) => c.caseId === "looks-order-up-before-refund")!;
    expect(looks.passed).toBe(false);
    expect(looks.failures).toEqual(
      expect.arrayContaining([
        "lookup_order was not called",
        expect.stringMatching(/issue_refund.*was not parked for a reviewer/),
      ]),
    );
  }, 180_000);

  it("turns a rejection into a case that fails on the version that produced the rejected call", async () => {
    const customer = await actorFor("user@example.com");
    const reviewer = await actorFor("reviewer@example.com");
    const orderId = await freshOrder(2990);
    const { runId } = await startTurn(customer, {
      text: `Order ${orderId} is damaged, refund please`,
    });
    await advanceRun(runId, { model: new OfflineDemoModel(), workerId: "evals-test" });
    const approval = await db.approval.findFirstOrThrow({ where: { runId } });
    await decideApproval(reviewer, {
      decision: "reject",
      approvalId: approval.id,
      reason: "Outside the return window",
    });

    const added = await addCaseFromApproval(reviewer, {
      approvalId: approval.id,
      suite: "decisions",
    });
    const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
    expect(added.producedByVersion).toBe(run.agentVersion ?? 0);
    const stored = await db.evalSuiteVersion.findFirstOrThrow({
      where: { agent: "refunds", suite: "decisions" },
      orderBy: { version: "desc" },
    });
    const recorded = (
      stored.cases as Array<{ id: string; message: string; state: unknown; expect: unknown }>
    ).at(-1)!;
    expect(recorded.message).toBe("Order {order} is damaged, refund please");
    expect(recorded.state).toMatchObject({ order: { totalCents: 2990, refundedCents: 0 } });
    expect(recorded.expect).toMatchObject({
      notProposed: [
        { tool: "issue_refund", arguments: { order_id: "{order}", amount_cents: 2990 } },
      ],
    });
    expect(
      await db.auditEntry.count({
        where: { action: "eval_case_recorded", approvalId: approval.id },
      }),
    ).toBe(1);
    // Once: a second add of the same decision is refused and records nothing.
    await expect(
      addCaseFromApproval(reviewer, { approvalId: approval.id, suite: "decisions" }),
    ).rejects.toThrow(/already a case in refunds\/decisions/);
    expect(
      await db.auditEntry.count({
        where: { action: "eval_case_recorded", approvalId: approval.id },
      }),
    ).toBe(1);

    const report = await runEvals({
      agent: "refunds",
      suites: ["decisions"],
      version: added.producedByVersion,
      trigger: "test",
    });
    const result = report.cases.find((c) => c.key === added.caseKey)!;
    expect(result.source).toBe("recorded");
    expect(result.passed).toBe(false);
    expect(result.failures).toEqual([
      expect.stringMatching(
        /^proposed issue_refund\(.*"amount_cents":2990.*\), which it should not$/,
      ),
    ]);
  }, 180_000);
});
