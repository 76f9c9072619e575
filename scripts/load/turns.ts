// What the load test's customers ask, and what counts as the right kind of answer on the offline
// model: an order lookup is answered with the order's state, a refund request parks for a
// reviewer (the honest "a member of our team needs to confirm"), a general question is answered
// from the published policies.
import type { LoadCustomer } from "./seed";

export type TurnKind = "order_lookup" | "refund_request" | "general_question";
export const TURN_KINDS: readonly TurnKind[] = [
  "order_lookup",
  "refund_request",
  "general_question",
];

export const PARKED_MESSAGE = /^Before I go ahead, a member of our team needs to confirm /;

export type PlannedTurn = { kind: TurnKind; text: string; order: number | null };

/** The k-th turn of a customer: the mix rotates so every kind is asked about equally often. */
export function planTurn(customer: LoadCustomer, k: number): PlannedTurn {
  const kind = TURN_KINDS[(customer.index + k) % TURN_KINDS.length]!;
  const order = customer.orders[k % customer.orders.length]!;
  switch (kind) {
    case "order_lookup":
      return { kind, order, text: `I was charged for order ${order}, what is its status?` };
    case "refund_request":
      return { kind, order, text: `Order ${order} arrived broken, I want my money back` };
    case "general_question":
      return { kind, order: null, text: "How long does delivery take?" };
  }
}

/** The run's final state and answer as the kind of turn expects them, or what is wrong. */
export function judgeAnswer(
  turn: PlannedTurn,
  status: string,
  answer: string | null,
): string | null {
  if (answer === null) return "no answer in the chat";
  switch (turn.kind) {
    case "order_lookup":
      return status === "completed" && answer.startsWith(`Order ${turn.order} is `)
        ? null
        : `expected the state of order ${turn.order}, got ${status}: ${answer.slice(0, 80)}`;
    case "refund_request":
      return status === "awaiting_approval" && PARKED_MESSAGE.test(answer)
        ? null
        : `expected the refund to park for a reviewer, got ${status}: ${answer.slice(0, 80)}`;
    case "general_question":
      return status === "completed" && /^Delivery:/m.test(answer)
        ? null
        : `expected the delivery policy, got ${status}: ${answer.slice(0, 80)}`;
  }
}
