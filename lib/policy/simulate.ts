import "server-only";
import { agentConfig } from "@/lib/agent-kit";
import { registry } from "@/lib/agents";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { stableHash } from "@/lib/idempotency/hash";
import type { Flag, PolicyDocument } from "./document";
import { evaluateRules, factsAskedFor, type PolicyCall, type RuleOutcome } from "./evaluate";
import { activePolicy } from "./versions";

// What a draft rule set would have done to the calls agents really proposed: the last N days of
// recorded calls of live runs, each decided by the built-in gate as it was recorded and by the
// rules in force, then by the draft. Read in pages; facts rules ask for are looked up through the
// agent (reads only), once per customer, tool and arguments, up to a cap the report states.

/** `since` narrows the window to calls from then on (the live-equals-simulated test replays only its own calls). */
export type SimulationInput = {
  document: PolicyDocument;
  days: number;
  agent?: string;
  since?: Date;
};

/** What one call came to: refused, let through, or waiting (for how many people, in which queue). */
export type Verdict = {
  kind: "denied" | "auto" | "waits";
  approvals: number;
  team: string | null;
  rules: string[];
};

export type Tally = {
  calls: number;
  auto: number;
  waits: number;
  denied: number;
  needTwoOrMore: number;
  byTeam: Record<string, number>;
};

export type SimulationReport = {
  days: number;
  from: string;
  to: string;
  current: Tally & { version: number };
  draft: Tally;
  /** Calls whose verdict the draft changes, by how. */
  changed: {
    total: number;
    nowWait: number;
    nowAuto: number;
    nowDenied: number;
    approvalsChanged: number;
    teamChanged: number;
  };
  examples: Array<{
    toolCallId: string;
    runId: string;
    agent: string;
    tool: string;
    at: string;
    before: Verdict;
    after: Verdict;
  }>;
  facts: { looked: number; notLooked: number };
  durationMs: number;
};

const PAGE = 5_000;
const MAX_FACT_LOOKUPS = 2_000;
const EXAMPLES = 20;

type Recorded = {
  id: string;
  runId: string;
  agent: string;
  subject: { id: string; email: string; name: string | null };
  tool: string;
  arguments: Record<string, unknown>;
  createdAt: Date;
  /** What the built-in gate decided, as recorded: parked for its own reasons, refused as switched off, or let through. */
  builtIn: "waits" | "denied" | "auto";
  flags: Set<Flag>;
};

const emptyTally = (): Tally => ({
  calls: 0,
  auto: 0,
  waits: 0,
  denied: 0,
  needTwoOrMore: 0,
  byTeam: {},
});

function count(tally: Tally, v: Verdict) {
  tally.calls++;
  tally[v.kind]++;
  if (v.kind === "waits" && v.approvals >= 2) tally.needTwoOrMore++;
  if (v.kind === "waits" && v.team) tally.byTeam[v.team] = (tally.byTeam[v.team] ?? 0) + 1;
}

/** The built-in gate's verdict, then the rules' care on top (a rule never lets through what the gate held). */
export function verdictOf(builtIn: Recorded["builtIn"], outcome: RuleOutcome): Verdict {
  const rules = outcome.matched.map((m) => m.name);
  if (builtIn === "denied" || outcome.deny)
    return { kind: "denied", approvals: 0, team: null, rules };
  if (builtIn === "waits" || outcome.wait)
    return { kind: "waits", approvals: outcome.approvals, team: outcome.team, rules };
  return { kind: "auto", approvals: 0, team: null, rules };
}

const POLICY_REASONS = new Set(["policy_rule"]);

type RecordedRow = {
  id: string;
  run_id: string;
  tool: string;
  arguments: unknown;
  status: string;
  error: unknown;
  created_at: Date;
  agent: string;
  user_id: string;
  email: string;
  name: string | null;
  reason_codes: string[] | null;
};

// One statement per page, walking the created_at index from a keyset cursor: a month of 100k calls
// is read in 20 round trips rather than Prisma's four per page (calls, runs, users, approvals).
async function* recordedCalls(since: Date, agent?: string): AsyncGenerator<Recorded[]> {
  let cursor: { at: Date; id: string } | null = null;
  for (;;) {
    const after: Prisma.Sql = cursor
      ? Prisma.sql`and (c.created_at, c.id) > (${cursor.at}, ${cursor.id}::uuid)`
      : Prisma.empty;
    const page = await db.$queryRaw<RecordedRow[]>`
      select c.id, c.run_id, c.tool, c.arguments, c.status::text as status, c.error, c.created_at,
             r.agent, r.user_id, u.email, u.name, a.reason_codes
      from tool_calls c
      join runs r on r.id = c.run_id
      join users u on u.id = r.user_id
      left join approvals a on a.tool_call_id = c.id
      where c.created_at >= ${since} and r.mode = 'live' and ${agent ? Prisma.sql`r.agent = ${agent}` : Prisma.sql`r.agent is not null`} ${after}
      order by c.created_at, c.id
      limit ${PAGE}`;
    if (!page.length) return;
    const last = page.at(-1)!;
    cursor = { at: last.created_at, id: last.id };
    yield page.map((c) => {
      const codes = c.reason_codes ?? [];
      const switchedOff =
        c.status === "refused" &&
        /switched off/.test(String((c.error as { message?: unknown } | null)?.message ?? ""));
      const flags = new Set<Flag>();
      if (codes.includes("untrusted_input")) flags.add("untrusted_input");
      if (codes.includes("anomalous_run")) flags.add("anomaly");
      if (codes.includes("low_confidence")) flags.add("low_confidence");
      return {
        id: c.id,
        runId: c.run_id,
        agent: c.agent,
        subject: { id: c.user_id, email: c.email, name: c.name },
        tool: c.tool,
        arguments: (c.arguments ?? {}) as Record<string, unknown>,
        createdAt: c.created_at,
        builtIn: switchedOff
          ? "denied"
          : codes.some((code) => !POLICY_REASONS.has(code))
            ? "waits"
            : "auto",
        flags,
      };
    });
    if (page.length < PAGE) return;
  }
}

export async function simulatePolicy(input: SimulationInput): Promise<SimulationReport> {
  const started = performance.now();
  const to = new Date();
  const window = new Date(to.getTime() - input.days * 86_400_000);
  const since = input.since && input.since > window ? input.since : window;
  const current = await activePolicy();
  const tallies = { current: emptyTally(), draft: emptyTally() };
  const changed = {
    total: 0,
    nowWait: 0,
    nowAuto: 0,
    nowDenied: 0,
    approvalsChanged: 0,
    teamChanged: 0,
  };
  const examples: SimulationReport["examples"] = [];
  const facts = { looked: 0, notLooked: 0 };
  const known = new Map<string, Record<string, unknown>>();

  async function factsFor(call: Recorded): Promise<Record<string, unknown>> {
    const names = [
      ...new Set([
        ...factsAskedFor(current.document, call.agent, call.tool),
        ...factsAskedFor(input.document, call.agent, call.tool),
      ]),
    ];
    const agent = registry.find(call.agent);
    if (!names.length || !agent?.facts) return {};
    const key = `${call.agent}|${call.subject.id}|${call.tool}|${stableHash(call.arguments)}`;
    const cached = known.get(key);
    if (cached) return cached;
    if (facts.looked >= MAX_FACT_LOOKUPS) {
      facts.notLooked++;
      return {};
    }
    facts.looked++;
    const deps = agent.createDeps(call.subject, {
      mode: "live",
      config: agentConfig(agent) as never,
    });
    const found = await agent
      .facts({ subject: call.subject, tool: call.tool, arguments: call.arguments, names }, deps)
      .catch(() => ({}));
    known.set(key, found);
    return found;
  }

  for await (const page of recordedCalls(since, input.agent)) {
    for (const call of page) {
      const asked: PolicyCall = {
        agent: call.agent,
        tool: call.tool,
        arguments: call.arguments,
        facts: await factsFor(call),
        flags: call.flags,
      };
      const before = verdictOf(call.builtIn, evaluateRules(current.document, asked));
      const after = verdictOf(call.builtIn, evaluateRules(input.document, asked));
      count(tallies.current, before);
      count(tallies.draft, after);
      const kindChanged = before.kind !== after.kind;
      const approvalsChanged =
        before.kind === "waits" && after.kind === "waits" && before.approvals !== after.approvals;
      const teamChanged =
        before.kind === "waits" && after.kind === "waits" && before.team !== after.team;
      if (!kindChanged && !approvalsChanged && !teamChanged) continue;
      changed.total++;
      if (kindChanged && after.kind === "waits") changed.nowWait++;
      if (kindChanged && after.kind === "auto") changed.nowAuto++;
      if (kindChanged && after.kind === "denied") changed.nowDenied++;
      if (approvalsChanged) changed.approvalsChanged++;
      if (teamChanged) changed.teamChanged++;
      if (examples.length < EXAMPLES) {
        examples.push({
          toolCallId: call.id,
          runId: call.runId,
          agent: call.agent,
          tool: call.tool,
          at: call.createdAt.toISOString(),
          before,
          after,
        });
      }
    }
  }
  return {
    days: input.days,
    from: since.toISOString(),
    to: to.toISOString(),
    current: { ...tallies.current, version: current.version },
    draft: tallies.draft,
    changed,
    examples,
    facts,
    durationMs: Math.round(performance.now() - started),
  };
}
