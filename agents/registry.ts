// The agents this Countersign serves. Adding an agent is one line here (see docs/adding-an-agent.md).
import { createRegistry } from "@/lib/agent-kit";
import { accountsAgent } from "./accounts";
import { refundsAgent } from "./refunds";
import { shippingAgent } from "./shipping";
import { subscriptionsAgent } from "./subscriptions";
import { supportAgent } from "./support";

export const registry = createRegistry({
  assistant: "Shop assistant",
  fallbackIntent: "general_enquiry",
  agents: [refundsAgent, accountsAgent, supportAgent, shippingAgent, subscriptionsAgent],
});
