// The policy as code through its HTTP doors, with personal access tokens: an admin token with the
// admin scope reads and saves the rule set; a save names the version it replaces (409 when another
// came first); an invalid document is refused naming the field and changes nothing; a reviewer, or
// an admin's token without the admin scope, is refused. `npm run policy` exports, applies from a
// file and reports a stale file as a conflict.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { issueApiToken } from "@/lib/auth/tokens";
import { db } from "@/lib/db";
import { actorFor } from "../support/actors";

vi.mock("@/lib/auth/actor", () => import("../support/signed-in").then((m) => m.actorModuleMock()));
const policy = await import("@/app/api/v1/policy/route");
const simulate = await import("@/app/api/v1/policy/simulate/route");

const URL_ = "http://countersign.test/api/v1/policy";
const noParams = { params: Promise.resolve({}) };
const request = (method: string, token: string, body?: unknown) =>
  new Request(URL_, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined && { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const twoAbove100 = {
  id: "two-above-100",
  name: "Refunds above €100 need two people",
  tools: ["issue_refund"],
  when: [{ argument: "amount_cents", op: "gt", value: 10000 }],
  effect: { approvals: 2 },
};

let adminToken: string;
let adminWithoutScope: string;
let reviewerToken: string;

beforeAll(async () => {
  const admin = await actorFor("admin@example.com");
  adminToken = (await issueApiToken(admin, { name: "policy", expiresInDays: 7, scopes: ["admin"] }))
    .token;
  adminWithoutScope = (
    await issueApiToken(admin, { name: "read only", expiresInDays: 7, scopes: ["read", "decide"] })
  ).token;
  reviewerToken = (
    await issueApiToken(await actorFor("reviewer@example.com"), {
      name: "r",
      expiresInDays: 7,
      scopes: ["read", "decide"],
    })
  ).token;
});

// The rules saved here would gate other files' runs on a shared database: leave none in force.
afterAll(async () => {
  const { activePolicy, savePolicy } = await import("@/lib/policy/versions");
  const admin = await actorFor("admin@example.com");
  await savePolicy(admin, {
    document: { rules: [] },
    replaces: (await activePolicy()).version,
    reason: "test: no rules in force after the policy API tests",
  });
});

describe("the policy API", () => {
  it("reads the rule set in force, saves a new version, and refuses a stale save with 409", async () => {
    const before = (await (await policy.GET(request("GET", adminToken), noParams)).json()) as {
      version: number;
      rules: unknown[];
    };
    const saved = await policy.PUT(
      request("PUT", adminToken, {
        replaces: before.version,
        reason: "four-eyes for big refunds",
        rules: [twoAbove100],
      }),
      noParams,
    );
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({
      version: before.version + 1,
      rules: [{ ...twoAbove100, enabled: true }],
      savedBy: "admin@example.com",
    });

    const stale = await policy.PUT(
      request("PUT", adminToken, {
        replaces: before.version,
        reason: "an edit from the old version",
        rules: [],
      }),
      noParams,
    );
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { error: { message: string } }).error.message).toMatch(
      new RegExp(`at version ${before.version + 1} \\(saved by admin@example.com`),
    );
    const audit = await db.auditEntry.findFirstOrThrow({
      where: { action: "policy_saved" },
      orderBy: { seq: "desc" },
    });
    expect(audit.payload).toMatchObject({ version: before.version + 1, replaces: before.version });
  });

  it("refuses an invalid document naming the field, and changes nothing", async () => {
    const { version } = (await (await policy.GET(request("GET", adminToken), noParams)).json()) as {
      version: number;
    };
    const invalid = {
      ...twoAbove100,
      when: [{ argument: "amount_cents", op: "gt", value: "10000" }],
    };
    const refused = await policy.PUT(
      request("PUT", adminToken, { replaces: version, reason: "a typo", rules: [invalid] }),
      noParams,
    );
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /^rules\.0\.when\.0\.value: /,
    );
    const missing = await policy.PUT(
      request("PUT", adminToken, { reason: "no version", rules: [] }),
      noParams,
    );
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(
      /replaces/,
    );
    expect(
      (
        (await (await policy.GET(request("GET", adminToken), noParams)).json()) as {
          version: number;
        }
      ).version,
    ).toBe(version);
  });

  it("answers only admins whose token has the admin scope", async () => {
    expect((await policy.GET(request("GET", reviewerToken), noParams)).status).toBe(403);
    expect((await policy.GET(request("GET", adminWithoutScope), noParams)).status).toBe(403);
    expect(
      (
        await policy.PUT(
          request("PUT", reviewerToken, { replaces: 0, reason: "take over", rules: [] }),
          noParams,
        )
      ).status,
    ).toBe(403);
    expect(
      (await simulate.POST(request("POST", reviewerToken, { rules: [] }), noParams)).status,
    ).toBe(403);
    const reviewer = await actorFor("reviewer@example.com");
    await expect(
      issueApiToken(reviewer, { name: "escalate", expiresInDays: 7, scopes: ["admin"] }),
    ).rejects.toMatchObject({ code: "forbidden" });
  });

  it("simulates a draft without changing anything", async () => {
    const { version } = (await (await policy.GET(request("GET", adminToken), noParams)).json()) as {
      version: number;
    };
    const answer = await simulate.POST(
      request("POST", adminToken, { rules: [twoAbove100], days: 7 }),
      noParams,
    );
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({
      days: 7,
      current: { version },
      draft: { calls: expect.any(Number) },
      changed: { total: expect.any(Number) },
    });
    expect(
      (
        (await (await policy.GET(request("GET", adminToken), noParams)).json()) as {
          version: number;
        }
      ).version,
    ).toBe(version);
  });
});

describe("npm run policy", () => {
  const run = (...args: string[]) =>
    spawnSync(
      process.execPath,
      ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "scripts/policy.ts", ...args],
      {
        env: process.env,
        encoding: "utf8",
      },
    );

  it("exports, applies a changed file, and refuses a stale file as a conflict", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "policy-"));
    const file = path.join(dir, "policy.json");
    const exported = run("export", file);
    expect(exported.stderr).toBe("");
    expect(exported.status).toBe(0);
    const doc = JSON.parse(readFileSync(file, "utf8")) as {
      version: number;
      rules: Array<{ id: string }>;
    };
    const stale = { ...doc };
    writeFileSync(
      file,
      JSON.stringify({
        version: doc.version,
        rules: [
          ...doc.rules.filter((r) => r.id !== "team-risk"),
          {
            id: "team-risk",
            name: "Risky refunds to the risk team",
            tools: ["issue_refund"],
            when: [{ argument: "amount_cents", op: "gte", value: 50000 }],
            effect: { team: "risk" },
          },
        ],
      }),
    );
    const applied = run("apply", file, "--reason", "from git");
    expect(applied.stdout).toContain(
      `Saved policy version ${doc.version + 1} (it replaces ${doc.version})`,
    );
    expect(applied.status).toBe(0);
    expect((JSON.parse(readFileSync(file, "utf8")) as { version: number }).version).toBe(
      doc.version + 1,
    );

    writeFileSync(file, JSON.stringify(stale));
    const conflict = run("apply", file);
    expect(conflict.status).toBe(1);
    expect(conflict.stderr).toMatch(/Refused \(HTTP 409\): The policy is at version/);

    writeFileSync(
      file,
      JSON.stringify({
        version: doc.version + 1,
        rules: [{ id: "bad", name: "Bad", effect: { allow: true } }],
      }),
    );
    const invalid = run("apply", file);
    expect(invalid.status).toBe(1);
    expect(invalid.stderr).toMatch(/Refused \(HTTP 400\): rules\.0\.effect/);
  }, 120_000);
});
