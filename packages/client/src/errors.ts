/** Countersign answered with an error: the HTTP status, the API's error code and its message. */
export class CountersignError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "CountersignError";
  }
}

/**
 * No decision arrived within the time the caller allowed. The action is still parked in
 * Countersign under `actionId`: wait again with `waitForDecision(actionId)`, or let it expire.
 */
export class CountersignTimeoutError extends Error {
  constructor(readonly actionId: string) {
    super(`No decision on action ${actionId} within the time allowed; it is still pending`);
    this.name = "CountersignTimeoutError";
  }
}

/** The call may not run (rejected, expired or denied by policy): carries the outcome and the reason. */
export class CountersignNotApprovedError extends Error {
  constructor(
    readonly actionId: string,
    readonly status: string,
    readonly reason: string | null,
  ) {
    super(`Action ${actionId} was ${status}${reason ? `: ${reason}` : ""}; it must not run`);
    this.name = "CountersignNotApprovedError";
  }
}
