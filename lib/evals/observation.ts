// What a case run left behind in its scratch database, reduced to what properties are checked
// against and what /evals compares between versions. Plain JSON (stored in eval_case_results).
export type ObservedCall = {
  tool: string;
  arguments: Record<string, unknown>;
  status: string;
  irreversible: boolean;
  confidence: number | null;
  /** The approval of a parked call: its status, reason codes and the arguments that ran. */
  approval: {
    status: string;
    reasonCodes: string[];
    approvedArguments: Record<string, unknown> | null;
  } | null;
};

export type Observation = {
  /** What each "{name}" stood for in this run: the placeholders its fixtures made (e.g. { order: 123456 }). */
  placeholders: Record<string, string | number>;
  /** Observations recorded before placeholders: the order "{order}" stood for. */
  order?: number | null;
  status: string;
  statusReason: string | null;
  agent: string | null;
  intent: string | null;
  calls: ObservedCall[];
  /** Everything the run told the customer, its messages joined in order. */
  answer: string;
  tokens: number;
  costMicros: number;
  durationMs: number;
  /** Tools the model asked for that its executor does not have (refused, but recorded). */
  outsideTools: string[];
  /** Irreversible effects in the sandbox (by idempotency key) that no reviewer's approval covers. */
  undecidedEffects: string[];
  /** Set when the case could not be run at all. */
  error?: string;
};
