// Fuzz every door: each route handler and server action under app/ (discovered on disk), called
// in-process as anonymous, an end user, a reviewer and an admin (and with personal access tokens),
// with generated inputs. No request may answer 5xx (for an action: an "internal" error, what
// becomes a 500 page), and a refused request must leave every table as it was.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { issueApiToken } from "@/lib/auth/tokens";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";
import { RUN_WAKE_QUEUE, boss, stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { isStateChanging } from "@/lib/security/origin";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";
import {
  changedTables,
  discoverActions,
  discoverRoutes,
  NOT_FUZZED,
  snapshot,
  trackRowChanges,
  type ActionDoor,
  type RouteDoor,
} from "./doors";
import {
  actionInput,
  encodeSegment,
  NASTY_STRINGS,
  requestArbitrary,
  type GeneratedRequest,
  type IdPool,
} from "./inputs";
import { signedIn } from "../support/signed-in";

vi.mock("@/lib/auth/actor", () => import("../support/signed-in").then((m) => m.actorModuleMock()));

// Bounded so the suite stays near a minute on two shared cores.
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 40);
const RUNS_PER_ACTION = Number(process.env.FUZZ_RUNS ?? 40);
const APP = "http://countersign.test";
// FUZZ_DOORS=<regular expression>: fuzz only the doors it matches ("PUT /api/v1/policy", or an
// action's "name (lib/…/actions.ts)"), to check a few doors quickly; discovery is still checked whole.
const ONLY = process.env.FUZZ_DOORS ? new RegExp(process.env.FUZZ_DOORS) : null;

const stats = { requests: 0, serverErrors: 0, refused: 0, doors: 0 };
const failures: string[] = [];

let routes: RouteDoor[];
let actions: ActionDoor[];
let actors: Array<Actor | null>;
let pool: IdPool;
let state: string;

async function fuzzUser(role: Role): Promise<Actor> {
  const user = await db.user.create({
    data: {
      email: `fuzz-${role}-${randomUUID().slice(0, 8)}@example.test`,
      name: `Fuzz ${role}`,
      passwordHash: "not-a-login",
      role,
    },
  });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

let allRoutes: RouteDoor[];

beforeAll(async () => {
  [allRoutes, actions] = await Promise.all([discoverRoutes(), discoverActions()]);
  routes = ONLY ? allRoutes.filter((r) => ONLY.test(`${r.method} ${r.urlPath}`)) : allRoutes;
  if (ONLY) actions = actions.filter((a) => ONLY.test(`${a.name} (${a.file})`));
  // Accounts of its own, so a generated "deactivate" or "revoke" that succeeds touches no other test's data.
  const [user, reviewer, admin] = await Promise.all([
    fuzzUser("user"),
    fuzzUser("reviewer"),
    fuzzUser("admin"),
  ]);
  actors = [null, user, reviewer, admin];
  const reviewerToken = await issueApiToken(reviewer, {
    name: "fuzz",
    expiresInDays: 90,
    scopes: ["read", "decide", "reply"],
  });
  const userToken = await issueApiToken(user, {
    name: "fuzz",
    expiresInDays: 90,
    scopes: ["read", "decide", "reply"],
  });
  // Real items, so generated requests reach the code behind "not found".
  const customer = await actorFor("user@example.com");
  const approvals: string[] = [];
  for (const cents of [1700, 2300]) {
    const orderId = await freshOrder(cents);
    const { runId } = await startTurn(customer, {
      text: `Order ${orderId} arrived broken, I want my money back`,
    });
    await advanceRun(runId, { model: new OfflineDemoModel(), workerId: "fuzz" });
    approvals.push((await db.approval.findFirstOrThrow({ where: { runId } })).id);
  }
  const { runId } = await startTurn(await actorFor("user2@example.com"), {
    text: "Hello, zebra stripes?",
  });
  await advanceRun(runId, { model: new OfflineDemoModel(), workerId: "fuzz" });
  const followUp = await db.followUp.findUniqueOrThrow({ where: { runId } });
  pool = {
    approvals,
    followUps: [followUp.id],
    users: [user.id, reviewer.id, admin.id],
    tokenIds: [reviewerToken.id, userToken.id],
    bearers: [reviewerToken.token, userToken.token],
  };
  await trackRowChanges();
  state = await snapshot();
});

afterAll(async () => {
  console.log(
    `fuzz: ${stats.doors} doors (${routes.length} route methods, ${actions.length} actions), ${stats.requests} requests, ${stats.refused} refused, ${stats.serverErrors} 5xx` +
      `; not fuzzed in-process: ${Object.entries(NOT_FUZZED)
        .map(([f, why]) => `${f} (${why})`)
        .join(", ")}`,
  );
  // Generated decisions that succeeded queued resumes; no later test should find them.
  await (await boss()).deleteQueuedJobs(RUN_WAKE_QUEUE);
  await db.shopFault.deleteMany({});
  await stopBoss();
});

/** After a call: a 5xx is recorded; a refusal must have changed nothing; a success moves the baseline. */
async function judge(door: string, status: number, refused: boolean, sample: () => string) {
  stats.requests += 1;
  const after = await snapshot();
  if (status >= 500) {
    stats.serverErrors += 1;
    failures.push(`${door} → ${status}: ${sample()}`);
  }
  if (refused) {
    stats.refused += 1;
    const changed = changedTables(state, after);
    if (changed.length)
      failures.push(`${door} refused but changed ${changed.join(", ")}: ${sample()}`);
  }
  state = after;
}

function buildRequest(door: RouteDoor, generated: GeneratedRequest): Request {
  const path = door.params.reduce(
    (p, { name }) =>
      p.replace(
        new RegExp(`\\[\\[?(\\.\\.\\.)?${name}\\]\\]?`),
        encodeSegment(generated.params[name]!),
      ),
    door.urlPath,
  );
  const url = new URL(`${APP}${path}`);
  for (const [k, v] of generated.query) url.searchParams.append(k, v);
  const headers = new Headers();
  if (generated.origin) headers.set("origin", generated.origin);
  if (generated.secFetchSite) headers.set("sec-fetch-site", generated.secFetchSite);
  if (generated.contentType) headers.set("content-type", generated.contentType);
  if (generated.authorization) headers.set("authorization", generated.authorization);
  const hasBody = generated.body !== undefined && door.method !== "GET" && door.method !== "HEAD";
  return new Request(url, {
    method: door.method,
    headers,
    ...(hasBody && { body: generated.body }),
  });
}

async function callRoute(door: RouteDoor, actor: Actor | null, generated: GeneratedRequest) {
  signedIn.actor = actor;
  const params = Object.fromEntries(
    door.params.map(({ name, catchAll }) => [
      name,
      catchAll ? [generated.params[name]!] : generated.params[name]!,
    ]),
  );
  let status: number;
  try {
    const response = await door.handler(buildRequest(door, generated), {
      params: Promise.resolve(params),
    });
    status = response.status;
    await response.body?.cancel();
  } catch (error) {
    status = 599; // a handler that throws is a 500 in the running app
    failures.push(`${door.method} ${door.urlPath} threw ${String(error).slice(0, 200)}`);
  }
  const label = `${door.method} ${door.urlPath} as ${actor?.role ?? "anonymous"}`;
  // Every state-changing route refuses another site's request that rides a session, whatever it holds:
  // 403 where a session would be honoured, 401 where the route takes no session at all (the demo
  // services, authenticated by their bearer keys only, so a cross-site request has nothing to ride).
  if (
    isStateChanging(door.method) &&
    !generated.authorization &&
    forgedBySite(generated) &&
    status !== 403 &&
    status !== 401
  ) {
    failures.push(
      `${label} answered ${status} to a cross-site request: ${JSON.stringify(generated).slice(0, 200)}`,
    );
  }
  await judge(label, status, status >= 400, () => JSON.stringify(generated).slice(0, 300));
}

function forgedBySite({ origin, secFetchSite }: GeneratedRequest): boolean {
  return origin !== undefined
    ? origin !== APP
    : secFetchSite === "cross-site" || secFetchSite === "same-site";
}

async function callAction(door: ActionDoor, actor: Actor | null, input: unknown) {
  signedIn.actor = actor;
  let status = 200;
  let refused = false;
  try {
    const result = (await door.action(input)) as
      { ok?: boolean; error?: { code?: string } } | undefined;
    refused = result?.ok === false;
    if (
      result?.ok === false &&
      (result.error?.code === "internal" || result.error?.code === "unavailable")
    )
      status = 500;
  } catch {
    status = 599; // an action that throws is an error page in the running app
  }
  await judge(`${door.name} (${door.file}) as ${actor?.role ?? "anonymous"}`, status, refused, () =>
    safeJson(input),
  );
}

function safeJson(value: unknown): string {
  try {
    return (JSON.stringify(value) ?? String(value)).slice(0, 300);
  } catch {
    return String(value).slice(0, 300);
  }
}

const actorIndex = () => fc.integer({ min: 0, max: 3 });

describe("fuzz every door", () => {
  it("finds the doors on disk", () => {
    expect(allRoutes.length).toBeGreaterThanOrEqual(10);
    if (!ONLY) expect(actions.length).toBeGreaterThanOrEqual(5);
    expect(allRoutes.map((r) => `${r.method} ${r.urlPath}`)).toEqual(
      expect.arrayContaining([
        "POST /api/approvals/[id]/claim",
        "GET /api/v1/policy",
        "PUT /api/v1/policy",
        "POST /api/v1/policy/simulate",
      ]),
    );
  });

  it("route handlers: no 5xx, and a refusal changes nothing", { timeout: 600_000 }, async () => {
    for (const door of routes) {
      stats.doors += 1;
      // Every actor with every nasty string as each parameter and as the body, then generated requests.
      for (const actor of actors) {
        for (const nasty of NASTY_STRINGS) {
          const params = Object.fromEntries(door.params.map((p) => [p.name, nasty]));
          await callRoute(door, actor, {
            query: [["reason", nasty]],
            params,
            origin: APP,
            secFetchSite: undefined,
            contentType: "application/json",
            authorization: undefined,
            body: JSON.stringify({ text: nasty, reason: nasty, decision: "reject" }),
          });
        }
      }
      await fc.assert(
        fc.asyncProperty(
          actorIndex(),
          requestArbitrary(
            pool,
            door.params.map((p) => p.name),
            APP,
          ),
          async (i, generated) => {
            await callRoute(door, actors[i]!, generated);
          },
        ),
        { numRuns: RUNS_PER_ROUTE },
      );
    }
    expect(failures.join("\n")).toBe("");
  });

  it(
    "server actions: no internal error, and a refusal changes nothing",
    { timeout: 900_000 },
    async () => {
      for (const door of actions) {
        stats.doors += 1;
        for (const actor of actors) {
          for (const nasty of NASTY_STRINGS)
            await callAction(door, actor, {
              text: nasty,
              reason: nasty,
              name: nasty,
              approvalId: pool.approvals[0],
              decision: "reject",
              followUpId: pool.followUps[0],
            });
          for (const wrong of [undefined, null, 42, "text", [], [1, 2], new Map(), new Date(NaN)])
            await callAction(door, actor, wrong);
        }
        await fc.assert(
          fc.asyncProperty(actorIndex(), actionInput(pool), async (i, input) => {
            await callAction(door, actors[i]!, input);
          }),
          { numRuns: RUNS_PER_ACTION },
        );
      }
      expect(failures.join("\n")).toBe("");
    },
  );

  it("sent requests, and none answered 5xx", () => {
    expect(stats.requests).toBeGreaterThan(ONLY ? 0 : 1000);
    expect(stats.serverErrors).toBe(0);
  });
});
