import { CountersignError, CountersignNotApprovedError, CountersignTimeoutError } from "./errors";
import { requestJson, sleep, type FetchLike } from "./http";
import {
  actionViewSchema,
  proposeActionResponseSchema,
  proposeActionSchema,
  reportResultResponseSchema,
  type ActionStatus,
  type ActionView,
  type ProposeActionBody,
  type ProposeActionResponse,
  type ResultReportBody,
} from "./wire";
import type { z } from "zod";

export type CountersignClientOptions = {
  /** Where Countersign is served, e.g. `https://countersign.example.com`. */
  baseUrl: string;
  /** The external agent's key, `cs_agent_…`, sent as a bearer token. */
  agentKey: string;
  /** A fetch to use instead of the global one (tests, proxies, instrumentation). */
  fetch?: FetchLike;
  /** Seconds each long-poll asks the server to hold the request (1–60, default 30). */
  pollSeconds?: number;
  /** How often a request that is safe to repeat is retried after a transport failure, 5xx or 429 (default 4). */
  retries?: number;
};

export type WaitOptions = {
  /** Stops waiting (the action stays pending in Countersign). */
  signal?: AbortSignal;
  /** Gives up after this long with a CountersignTimeoutError; unset waits until the action is decided or expires. */
  timeoutMs?: number;
};

export type ApprovalRequest = ProposeActionBody &
  WaitOptions & {
    /** The Idempotency-Key of this proposal; generated when absent. Pass your own to make a retried proposal land on the same action. */
    idempotencyKey?: string;
  };

type DecisionBase = {
  id: string;
  tool: string;
  /** Why policy parked or refused the call. */
  reasons: string[];
  reason: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
};

/** The call may run: with these arguments (the reviewer's, when edited), once, then report. */
export type Approved = DecisionBase & {
  status: "approved";
  approved: true;
  arguments: Record<string, unknown>;
  argumentsHash: string;
  edited: boolean;
  grant: string;
  /** Reports success with the grant; the outcome enters the run's trace and the audit trail. */
  complete(result?: unknown): Promise<void>;
  /** Reports that running the approved call failed. */
  fail(error: unknown): Promise<void>;
};

/** The call must not run: rejected by a reviewer, expired, denied by policy (or already completed). */
export type NotApproved = DecisionBase & {
  status: Exclude<ActionStatus, "pending" | "approved">;
  approved: false;
  arguments: null;
  argumentsHash: null;
  edited: false;
  grant: null;
  complete(result?: unknown): Promise<never>;
  fail(error: unknown): Promise<never>;
};

export type Decision = Approved | NotApproved;

const DEFAULT_POLL_SECONDS = 30;
const MAX_POLL_SECONDS = 60;
const REPORT_ATTEMPTS = 3;

export type CountersignClient = ReturnType<typeof createClient>;

export function createClient(options: CountersignClientOptions) {
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const pollSeconds = Math.min(
    MAX_POLL_SECONDS,
    Math.max(1, Math.floor(options.pollSeconds ?? DEFAULT_POLL_SECONDS)),
  );
  const retries = options.retries ?? 4;
  const auth = { authorization: `Bearer ${options.agentKey}` };
  const call = <S extends z.ZodType>(spec: Parameters<typeof requestJson>[2], schema: S) =>
    requestJson(fetchImpl, options.baseUrl, spec, schema).then((r) => r.body);

  /** Proposes one tool call. Retried under the same Idempotency-Key, so a lost answer never makes a second action. */
  async function propose(
    body: ProposeActionBody,
    init: { idempotencyKey?: string; signal?: AbortSignal } = {},
  ): Promise<ProposeActionResponse> {
    const checked = proposeActionSchema.safeParse(body);
    if (!checked.success)
      throw new CountersignError(
        0,
        "invalid_input",
        `Not a valid proposal: ${checked.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`,
      );
    const idempotencyKey = init.idempotencyKey ?? crypto.randomUUID();
    return call(
      {
        method: "POST",
        path: "/api/v1/actions",
        body,
        headers: { ...auth, "idempotency-key": idempotencyKey },
        signal: init.signal,
        retries,
      },
      proposeActionResponseSchema,
    );
  }

  /** The action as it stands; with `waitSeconds`, the server holds the request until it is decided or that time passes. */
  async function getAction(
    id: string,
    init: { waitSeconds?: number; signal?: AbortSignal } = {},
  ): Promise<ActionView> {
    const wait = init.waitSeconds
      ? `?wait=${Math.min(MAX_POLL_SECONDS, Math.max(0, Math.floor(init.waitSeconds)))}`
      : "";
    return call(
      {
        method: "GET",
        path: `/api/v1/actions/${encodeURIComponent(id)}${wait}`,
        headers: auth,
        signal: init.signal,
        retries,
      },
      actionViewSchema,
    );
  }

  /** Long-polls until the action is no longer pending. */
  async function waitForDecision(id: string, wait: WaitOptions = {}): Promise<Decision> {
    const deadline = wait.timeoutMs === undefined ? Infinity : Date.now() + wait.timeoutMs;
    const timeout = wait.timeoutMs === undefined ? undefined : AbortSignal.timeout(wait.timeoutMs);
    const signals = [wait.signal, timeout].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length ? AbortSignal.any(signals) : undefined;
    try {
      for (;;) {
        const remainingSeconds = Math.floor((deadline - Date.now()) / 1000);
        const view = await getAction(id, {
          waitSeconds: Math.min(pollSeconds, remainingSeconds),
          signal,
        });
        if (view.status !== "pending") return toDecision(view);
        if (remainingSeconds <= 0) throw new CountersignTimeoutError(id);
        // A server that answers pending early (or a proxy that cuts long requests) must not make this spin.
        if (remainingSeconds > 1) await sleep(250, signal);
      }
    } catch (error) {
      if (timeout?.aborted && !wait.signal?.aborted) throw new CountersignTimeoutError(id);
      throw error;
    }
  }

  /**
   * Proposes the call and waits for the decision. Run the tool only when `status` is
   * "approved", with `arguments` (the reviewer may have edited them), then `complete` or `fail`.
   */
  async function requireApproval(request: ApprovalRequest): Promise<Decision> {
    const { idempotencyKey, signal, timeoutMs, ...body } = request;
    const proposed = await propose(body, { idempotencyKey, signal });
    // Even "approved" or "denied" at once is read back: the grant and the reason come with the action.
    return waitForDecision(proposed.id, { signal, timeoutMs });
  }

  /**
   * Reports the outcome with the grant. Retried on transport failures and 5xx; a 409 on a retry
   * means the first attempt landed and its answer was lost, so it counts as reported.
   */
  async function reportResult(id: string, report: ResultReportBody): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await call(
          {
            method: "POST",
            path: `/api/v1/actions/${encodeURIComponent(id)}/result`,
            body: report,
            headers: auth,
            retries: 0,
          },
          reportResultResponseSchema,
        );
        return;
      } catch (error) {
        if (error instanceof CountersignError && error.status === 409 && attempt > 1) return;
        const transient =
          !(error instanceof CountersignError) || error.status >= 500 || error.status === 429;
        if (!transient || attempt >= REPORT_ATTEMPTS) throw error;
        await sleep(250 * attempt);
      }
    }
  }

  function toDecision(view: ActionView): Decision {
    if (view.status === "approved" && view.grant) {
      const grant = view.grant;
      return {
        id: view.id,
        tool: view.tool,
        status: "approved",
        approved: true,
        arguments: view.arguments,
        argumentsHash: view.arguments_hash,
        edited: view.edited,
        grant,
        reasons: view.reasons,
        reason: view.reason,
        decidedBy: view.decided_by,
        decidedAt: view.decided_at,
        complete: (result) =>
          reportResult(view.id, {
            grant,
            status: "succeeded",
            ...(result !== undefined && { result }),
          }),
        fail: (error) =>
          reportResult(view.id, { grant, status: "failed", error: describeError(error) }),
      };
    }
    if (view.status === "approved")
      throw new CountersignError(
        200,
        "invalid_response",
        `Action ${view.id} is approved but came without a grant`,
      );
    return notApproved(view);
  }

  function notApproved(view: ActionView): NotApproved {
    const status = view.status as NotApproved["status"];
    const refuse = async (): Promise<never> => {
      throw new CountersignNotApprovedError(view.id, status, view.reason);
    };
    return {
      id: view.id,
      tool: view.tool,
      status,
      approved: false,
      arguments: null,
      argumentsHash: null,
      edited: false,
      grant: null,
      reasons: view.reasons,
      reason: view.reason,
      decidedBy: view.decided_by,
      decidedAt: view.decided_at,
      complete: refuse,
      fail: refuse,
    };
  }

  return { propose, getAction, waitForDecision, requireApproval, reportResult };
}

function describeError(error: unknown): string {
  const text =
    error instanceof Error
      ? error.message
      : typeof error === "string"
        ? error
        : JSON.stringify(error);
  return (text || "failed").slice(0, 2000);
}
