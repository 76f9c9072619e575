// How an agent plays itself on the offline demo model: a small deterministic script that reads
// the conversation as a model would (the request, the calls made so far and their results) and
// answers with one move. Scripts never see model wire formats; the offline model translates.

/** One earlier call of this run and, once it came back, its result (errors have ok: false). */
export type SeenCall = {
  name: string;
  input: Record<string, unknown>;
  result?: { ok: boolean; value: Record<string, unknown> };
};

export type OfflineMove =
  | {
      type: "call";
      name: string;
      input: Record<string, unknown>;
      confidence: number;
      rationale: string;
      /** Said beside the call, as a model writes text before a tool use: shown to the customer if the call waits for our team. */
      say?: string;
    }
  | { type: "say"; text: string };

export type OfflineTurn = {
  /** The user's request that started the run. */
  ask: string;
  seen: SeenCall[];
  /** Calls a tool; `say` is text beside the call (the customer reads it if the call waits for our team). */
  call: (
    name: string,
    input: Record<string, unknown>,
    confidence: number,
    rationale: string,
    say?: string,
  ) => OfflineMove;
  say: (text: string) => OfflineMove;
  /** Hands the request to the team (once, through the runtime's hand-off tool), then says `text`. */
  handOff: (reason: string, text: string) => OfflineMove;
};

export type OfflineScript = (turn: OfflineTurn) => OfflineMove;
